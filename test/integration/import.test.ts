/** The host import lane (issue 6) through the built bundle. */
import { Runtime } from '../../emulator/runtime';
import { records, text } from '../../scripts/sim/sheet';
import {
  checkInvariants,
  column,
  guests,
  jsonOf,
  logRows,
  outboxRows,
  setUpRuntime,
  sheetRecords,
  signUp,
  summary,
} from '../helpers';

const importResults = (rt: Runtime) => sheetRecords(rt, 'Import').map((r) => text(r, 'Result'));

describe('host import', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('pre-confirmed past the cap: the rest are waitlisted in list order; every row gets its result', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    await signUp(rt, 'Early', 'early@example.com');
    await rt.hostEdit('Import', 'A2:B9', [
      ['Ada', 'ada@example.com'],
      ['Grace', 'grace@example.com'],
      ['No Email', ''],
      ['Alan', 'alan@example.com'],
      ['Ada Again', 'ADA@example.com'],
      ['Bad', 'bad@'],
      ['Early Bird', 'early@example.com'],
      ['Edsger', 'edsger@example.com'],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(r.result).toMatch(
      /^4 imported, 2 confirmed, 2 waitlisted, 1 already on the list, 1 duplicates in the paste, 2 invalid\./,
    );
    expect(importResults(rt)).toEqual([
      'confirmed',
      'confirmed',
      'no email',
      'waitlisted #1',
      'duplicate of row 2',
      'malformed email: That email address is missing the part after "@".',
      'already confirmed',
      'waitlisted #2',
    ]);
    checkInvariants(rt, 3);
    expect(guests(rt).map((g) => [g.email, g.status, g.source])).toEqual([
      ['early@example.com', 'confirmed', 'form'],
      ['ada@example.com', 'confirmed', 'import'],
      ['grace@example.com', 'confirmed', 'import'],
      ['alan@example.com', 'waitlisted', 'import'],
      ['edsger@example.com', 'waitlisted', 'import'],
    ]);
    expect(rt.backend.toasts.at(-1)?.message).toMatch(/4 imported/);
    expect(logRows(rt).at(-1)?.detail).toMatch(/pre-confirmed: 4 imported/);
    // Running it again imports nothing twice.
    const again = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(again.result).toMatch(/Nothing to import/);
    expect(guests(rt)).toHaveLength(5);
  });

  test('pending invites hold no seat; the invite email confirms through the form', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await rt.hostEdit('Import', 'A2', [
      ['Ada Lovelace <ada@example.com>\n"Hopper, Grace" <grace@example.com>'],
    ]);
    await rt.run('importPending', [], { context: 'editor' });
    expect(importResults(rt)).toEqual(['invited\ninvited']);
    expect(summary(rt)).toMatchObject({ Invited: 2, Confirmed: 0, 'Seats left': 1 });
    const invite = rt.backend.mail.find((m) => m.to === 'grace@example.com')!;
    expect(invite.subject).toBe("You're invited: My event");
    const token = guests(rt).find((g) => g.email === 'grace@example.com')!.token;
    expect(invite.body).toContain(`action=confirm&t=${token}`);
    expect(invite.body).toContain('reply "yes"');
    // Confirming is a normal seat request at that moment.
    expect(jsonOf(await rt.postForm({ action: 'confirm', t: token, format: 'json' }))).toMatchObject({
      status: 'confirmed',
    });
    expect(jsonOf(await signUp(rt, 'Ada', 'ada@example.com'))).toMatchObject({
      status: 'waitlisted',
      position: 1,
    });
    checkInvariants(rt, 1);
  });

  test('values are stored as text: a pasted formula name is a name', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await rt.hostEdit('Import', 'A2:B2', [['\'=HYPERLINK("http://evil","click")', 'f@example.com']]);
    await rt.run('importConfirmed', [], { context: 'editor' });
    expect(guests(rt)[0].name).toBe('=HYPERLINK("http://evil","click")');
    expect(
      rt.backend.ss
        .byName('Guests')!
        .rows.flat()
        .filter((c) => c.f),
    ).toEqual([]);
  });

  test('an import over the mail quota queues the rest, and the drain sends them on later days', async () => {
    rt = await setUpRuntime({ capacity: 300, backend: { mailQuotaPerDay: 100 } });
    const rows = Array.from({ length: 250 }, (_, i) => [`Guest ${i}`, `g${i}@example.com`]);
    await rt.hostEdit('Import', 'A2:B251', rows);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(r.result).toMatch(
      /250 imported, 250 confirmed\. Emails from this import: 100 sent, 150 queued for the next runs\./,
    );
    expect(guests(rt)).toHaveLength(250);
    expect(rt.backend.mail).toHaveLength(100);
    for (let i = 0; i < 2; i++) {
      rt.backend.advanceTo(rt.backend.now() + 25 * 3600e3);
      await rt.run('sendQueuedEmails', [], { context: 'trigger' });
    }
    expect(new Set(rt.backend.mail.map((m) => m.to)).size).toBe(250);
    expect(outboxRows(rt).every((o) => o.status === 'sent')).toBe(true);
  }, 60000);

  test('an import racing 50 concurrent web sign-ups: no oversell, everyone in exactly one row', async () => {
    rt = await setUpRuntime({ capacity: 40, backend: { mailQuotaPerDay: 100000 } });
    // 30 of the imported people also sign up on the web at the same moment.
    const rows = Array.from({ length: 60 }, (_, i) => [`Imp ${i}`, `p${i}@example.com`]);
    await rt.hostEdit('Import', 'A2:B61', rows);
    const web = Array.from({ length: 50 }, (_, i) =>
      i < 30 ? `p${i * 2}@example.com` : `w${i}@example.com`,
    );
    const runs = await rt.runConcurrently([
      { fn: 'importConfirmed', opts: { context: 'editor' as const } },
      ...web.map((email) => ({
        fn: 'doPost',
        args: [{ parameter: { name: 'Web', email, format: 'json' } }],
        opts: { context: 'webapp' as const },
      })),
    ]);
    expect(runs.filter((r) => !r.ok).map((r) => r.error?.message)).toEqual([]);
    const all = checkInvariants(rt, 40);
    expect(all.filter((g) => g.status === 'confirmed')).toHaveLength(40);
    expect(new Set(all.map((g) => g.email)).size).toBe(60 + 20);
    expect(all).toHaveLength(80);
  }, 60000);
});

describe('host import: what hosts really paste (issue 13)', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('a pasted To: line is one guest per address', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    await rt.hostEdit('Import', 'A2', [
      ['Eve <imp12@example.com>, Mallory <imp13@example.com>, Trent <imp14@example.com>'],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(r.result).toMatch(/^3 imported, 3 confirmed\./);
    expect(guests(rt).map((g) => [g.name, g.email])).toEqual([
      ['Eve', 'imp12@example.com'],
      ['Mallory', 'imp13@example.com'],
      ['Trent', 'imp14@example.com'],
    ]);
    expect(importResults(rt)).toEqual(['confirmed\nconfirmed\nconfirmed']);
  });

  test('the email is the cell holding a valid address: "@SUM(1)" in the Name column is a name', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    await rt.hostEdit('Import', 'A2:B2', [['@SUM(1)', 'sum@example.com']]);
    await rt.run('importConfirmed', [], { context: 'editor' });
    expect(guests(rt).map((g) => [g.name, g.email, g.status])).toEqual([
      ['@SUM(1)', 'sum@example.com', 'confirmed'],
    ]);
  });

  test('a CSV block with its header pasted below rows imported before: the header is not an invalid row', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    await rt.hostEdit('Import', 'A2:B2', [['Ada', 'ada@example.com']]);
    await rt.run('importConfirmed', [], { context: 'editor' });
    await rt.hostEdit('Import', 'A3', [
      ['First name,Last name,Email address\nGrace,Hopper,grace@example.com'],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(r.result).toMatch(/^1 imported, 1 confirmed\./);
    expect(r.result).not.toMatch(/invalid/);
    expect(guests(rt).map((g) => [g.name, g.email])).toEqual([
      ['Ada', 'ada@example.com'],
      ['Grace Hopper', 'grace@example.com'],
    ]);
  });
});

describe('invites when the event is full (issue 13)', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('the invite and its page say "Join the waitlist"; the import says how many will wait', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Early', 'early@example.com');
    await rt.hostEdit('Import', 'A2:B4', [
      ['Ann', 'inv1@example.com'],
      ['Ben', 'inv2@example.com'],
      ['Cat', 'inv3@example.com'],
    ]);
    const r = await rt.run('importPending', [], { context: 'editor' });
    expect(r.result).toMatch(/3 invited \(the event is full: all 3 will be waitlisted if they accept\)/);
    const invite = rt.backend.mail.find((m) => m.to === 'inv1@example.com')!;
    expect(invite.body).toContain('Join the waitlist');
    expect(invite.body).not.toContain('Confirm my seat');
    expect(invite.htmlBody).toContain('>Join the waitlist</a>');
    const t = guests(rt).find((g) => g.email === 'inv1@example.com')!.token;
    const page = jsonOf(await rt.web('GET', { action: 'confirm', t, format: 'json' }));
    expect(page).toMatchObject({ status: 'invited', detail: expect.stringContaining('join the waitlist') });
    expect(JSON.stringify(page)).toContain('Join the waitlist');
    expect(JSON.stringify(page)).not.toContain('Confirm my seat');
    expect(jsonOf(await rt.postForm({ action: 'confirm', t, format: 'json' }))).toMatchObject({
      status: 'waitlisted',
      position: 1,
    });
  });

  test('with seats left the invite still says "Confirm my seat", and the count of who would wait', async () => {
    rt = await setUpRuntime({ capacity: 2 });
    await rt.hostEdit('Import', 'A2:B4', [
      ['Ann', 'inv1@example.com'],
      ['Ben', 'inv2@example.com'],
      ['Cat', 'inv3@example.com'],
    ]);
    const r = await rt.run('importPending', [], { context: 'editor' });
    expect(r.result).toMatch(/3 invited \(2 seats left: 1 will be waitlisted if they all accept\)/);
    expect(rt.backend.mail.find((m) => m.to === 'inv1@example.com')!.body).toContain('Confirm my seat');
  });
});

describe('what the host pastes is read as they meant it', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());
  test('a natural Name ⇥ Email ⇥ Party paste: imported with its parties, and only once', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 4 } });
    // Pasted into A2:C3: the party lands in column C, which is Result.
    await rt.hostEdit('Import', 'A2:C3', [
      ['Ada', 'ada@example.com', 2],
      ['Bob', 'bob@example.com', 3],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(String(r.result)).toMatch(/^2 imported, 2 confirmed\./);
    expect(guests(rt).map((g) => [g.email, g.status, g.party])).toEqual([
      ['ada@example.com', 'confirmed', 2],
      ['bob@example.com', 'confirmed', 3],
    ]);
    // The parties moved to Party (column D); Result holds what the import did.
    expect(sheetRecords(rt, 'Import').map((x) => [x.Result, x.Party])).toEqual([
      ['confirmed', 2],
      ['confirmed', 3],
    ]);
    const again = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(String(again.result)).toMatch(/^Nothing to import/);
  });

  test('a CSV with its own header: names are names, extra columns stay out, the header is no guest', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    const csv =
      'Timestamp,Name,Email,Diet\n2026/11/30 10:01:02,Zoe Lin,zoe@example.com,Vegan\n2026/11/30 10:02:00,Ola Nordmann,ola@example.com,';
    await rt.hostEdit('Import', 'A2', [[csv]]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(String(r.result)).toMatch(/^2 imported, 2 confirmed\./);
    expect(String(r.result)).not.toMatch(/invalid/);
    expect(guests(rt).map((g) => g.name)).toEqual(['Zoe Lin', 'Ola Nordmann']);
  });

  test('text of the host’s in the Result column is never taken for "imported", nor written over', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    await rt.hostEdit('Import', 'A2:C3', [
      ['Ada', 'ada@example.com', 'Vegan'],
      ['Bob', 'bob@example.com', ''],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(String(r.result)).toMatch(
      /^1 imported, 1 confirmed\..*1 row\(s\) not imported because their Result cell \(column C\) holds text of yours \(row 2\)/,
    );
    expect(sheetRecords(rt, 'Import')[0].Result).toBe('Vegan');
    expect(guests(rt).map((g) => g.email)).toEqual(['bob@example.com']);
  });

  test("a form's export pasted wide over the header: read by its own header, results in a column of their own, imported once", async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 4 } });
    await rt.hostEdit('Import', 'A1:E3', [
      ['Timestamp', 'Name', 'Email', 'Diet', 'Party'],
      ['2026/11/30 10:01:02', 'Zoe Lin', 'zoe@example.com', 'Vegan', 2],
      ['2026/11/30 10:02:00', 'Ola Nordmann', 'ola@example.com', '', ''],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(String(r.result)).toMatch(/^2 imported, 2 confirmed\./);
    expect(String(r.result)).not.toMatch(/invalid|holds text of yours/);
    expect(guests(rt).map((g) => [g.name, g.email, g.party])).toEqual([
      ['Zoe Lin', 'zoe@example.com', 2],
      ['Ola Nordmann', 'ola@example.com', 1],
    ]);
    // Nothing the host pasted is written over: the results go in column F, under a header of their own.
    // (The header row is what this checks: the paste's own columns A to E, and Result after them in F.)
    expect(rt.backend.sheetRaw('Import')[0].slice(0, 6)).toEqual([
      'Timestamp',
      'Name',
      'Email',
      'Diet',
      'Party',
      'Result',
    ]);
    expect(
      sheetRecords(rt, 'Import').map((x) => [x.Timestamp, x.Name, x.Email, x.Diet, x.Party, x.Result]),
    ).toEqual([
      ['2026/11/30 10:01:02', 'Zoe Lin', 'zoe@example.com', 'Vegan', 2, 'confirmed'],
      ['2026/11/30 10:02:00', 'Ola Nordmann', 'ola@example.com', '', '', 'confirmed'],
    ]);
    // More rows of the same export, pasted below: only they are imported.
    await rt.hostEdit('Import', 'A4:E4', [['2026/11/30 11:00:00', 'Kai Berg', 'kai@example.com', '', 3]]);
    const again = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(String(again.result)).toMatch(/^1 imported, 1 confirmed\./);
    expect(guests(rt).map((g) => [g.name, g.party])).toEqual([
      ['Zoe Lin', 2],
      ['Ola Nordmann', 1],
      ['Kai Berg', 3],
    ]);
    expect(sheetRecords(rt, 'Import')[2].Result).toBe('confirmed');
  });

  test('a wide paste below the header, its own header line first: Result and Party of ours are left to it', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    await rt.hostEdit('Import', 'A2:E4', [
      ['Timestamp', 'Name', 'Email', 'Phone', 'Company'],
      ['2026/11/30 10:01:02', 'Zoe Lin', 'zoe@example.com', '555-0100', 'Acme'],
      ['2026/11/30 10:02:00', 'Ola Nordmann', 'ola@example.com', '', 'Initech'],
    ]);
    const r = await rt.run('importPending', [], { context: 'editor' });
    expect(String(r.result)).toMatch(/^2 imported, 2 invited/);
    expect(guests(rt).map((g) => [g.name, g.status])).toEqual([
      ['Zoe Lin', 'invited'],
      ['Ola Nordmann', 'invited'],
    ]);
    // Row 1 is our header, row 2 the paste's own: its columns are read by the paste's header, and the
    // results go in a Result column of ours after the paste's last one.
    const [ours, theirs, ...pasted] = rt.backend.sheetRaw('Import');
    const result = ours.lastIndexOf('Result');
    expect(result).toBe(theirs.filter((h) => h !== '').length);
    expect(
      records([theirs, ...pasted]).map((x, i) => [x.Email, x.Phone, x.Company, pasted[i][result]]),
    ).toEqual([
      ['zoe@example.com', '555-0100', 'Acme', 'invited'],
      ['ola@example.com', '', 'Initech', 'invited'],
    ]);
  });

  test('results written before the Result note existed still count as imported; the host’s words do not', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    // An Import sheet from an earlier version: results with no note beside rows imported then.
    await rt.hostEdit('Import', 'A2:C5', [
      ['Ada', 'ada@example.com', 'confirmed'],
      ['Bob', 'bob@example.com', 'waitlisted #2'],
      ['Cy', 'cy@example.com', 'duplicate of row 2'],
      ['Di', 'di@example.com', 'VIP table'],
    ]);
    await rt.hostEdit('Import', 'A6:B6', [['Eve', 'eve@example.com']]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(String(r.result)).toMatch(
      /^1 imported, 1 confirmed\..*1 row\(s\) not imported because their Result cell \(column C\) holds text of yours \(row 5\)/,
    );
    expect(guests(rt).map((g) => g.email)).toEqual(['eve@example.com']);
  });

  test('notes of the host’s own in column E beside imported rows do not make the sheet a wide paste', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    await rt.hostEdit('Import', 'A2:B3', [
      ['Ada', 'ada@example.com'],
      ['Bob', 'bob@example.com'],
    ]);
    expect(String((await rt.run('importConfirmed', [], { context: 'editor' })).result)).toMatch(
      /^2 imported/,
    );
    await rt.hostEdit('Import', 'E2', [['called her on Monday']]);
    await rt.hostEdit('Import', 'A4:B4', [['Cy', 'cy@example.com']]);
    expect(String((await rt.run('importConfirmed', [], { context: 'editor' })).result)).toMatch(
      /^1 imported, 1 confirmed\./,
    );
    expect(column(rt, 'Import', 'Result')).toEqual(['confirmed', 'confirmed', 'confirmed']);
    // No Result column of its own was added: the results stay in C.
    expect(rt.backend.sheetRaw('Import')[0].filter((h) => h === 'Result')).toHaveLength(1);
  });

  test('rows imported before a wide paste below them are not imported again when the sheet turns wide', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    await rt.hostEdit('Import', 'A2:B3', [
      ['Ada', 'ada@example.com'],
      ['Bob', 'bob@example.com'],
    ]);
    expect(String((await rt.run('importConfirmed', [], { context: 'editor' })).result)).toMatch(
      /^2 imported/,
    );
    await rt.hostEdit('Import', 'A4:D5', [
      ['Timestamp', 'Name', 'Email', 'Diet'],
      ['2026/11/30 10:01:02', 'Zoe Lin', 'zoe@example.com', 'Vegan'],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(String(r.result)).toMatch(/^1 imported, 1 confirmed\./);
    expect(String(r.result)).not.toMatch(/already/);
    // Ada's and Bob's results stay where they were written; Zoe's goes in the new Result column.
    expect(column(rt, 'Import', 'Result')).toEqual(['', '', '', 'confirmed']);
    expect(
      rt.backend
        .sheetRaw('Import')
        .slice(1, 3)
        .map((x) => x[2]),
    ).toEqual(['confirmed', 'confirmed']);
  });
});
