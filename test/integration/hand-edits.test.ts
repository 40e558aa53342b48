/**
 * Hand edits a real host makes (issue 13), through the built bundle: the host types, pastes, copies
 * and deletes rows in Guests while the installed edit trigger runs the keeper.
 */
import { Runtime } from '../../emulator/runtime';
import {
  GUEST_HEADERS,
  guests,
  htmlOf,
  jsonOf,
  logRows,
  setUpRuntime,
  sheetRecords,
  signUp,
  summary,
} from '../helpers';

const byEmail = (rt: Runtime, email: string) => guests(rt).filter((g) => g.email === email);
const mailsTo = (rt: Runtime, email: string) => rt.backend.mail.filter((m) => m.to === email);
const logFor = (rt: Runtime, email: string) => logRows(rt).filter((r) => r.email === email);
const rawRow = (rt: Runtime, row: number) => rt.backend.sheetRaw('Guests')[row - 1];
const statusCol = GUEST_HEADERS.indexOf('Status');

let rt: Runtime;
afterEach(() => rt?.close());

async function fill(rt: Runtime, n: number, prefix = 'h') {
  for (let i = 1; i <= n; i++) {
    const r = await signUp(rt, `Guest ${i}`, `${prefix}${i}@example.com`);
    expect(r.ok).toBe(true);
  }
}

describe('a duplicated row never counts twice', () => {
  test('a copied row: Recount keeps the earlier one, marks the copy, logs it and says so', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await fill(rt, 5);
    const original = byEmail(rt, 'h1@example.com')[0];
    // The host copies row 2 (a whole row, token included) below the table, twice: a paste.
    const copy = rawRow(rt, original.row);
    await rt.hostEdit('Guests', 'A7:K8', [copy, copy], { paste: true });
    const rows = byEmail(rt, 'h1@example.com');
    expect(rows.map((g) => g.status)).toEqual(['confirmed', 'duplicate', 'duplicate']);
    expect(rows[0].row).toBe(original.row);
    const notes = sheetRecords(rt, 'Guests')
      .filter((r) => r.Status === 'duplicate')
      .map((r) => r.Note);
    expect(notes).toEqual([
      expect.stringContaining(`Copy of row ${original.row}`),
      expect.stringContaining(`Copy of row ${original.row}`),
    ]);
    expect(summary(rt).Confirmed).toBe(5);
    expect(String(summary(rt).Status)).toMatch(/2 duplicate rows/);
    expect(logFor(rt, 'h1@example.com').filter((r) => r.to === 'duplicate')).toHaveLength(2);
    const again = await rt.run('recount', [], { context: 'editor' });
    expect(again.result).toMatch(/Nothing needed repair/);
  });

  test('a pasted other spelling of a mailbox is a duplicate; the guest cancelling cancels the kept row', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await fill(rt, 5);
    // Duplicates found by hand edit of a plain cell range: typed below the table, then recounted.
    rt.backend.hostEdit('Guests', 'A7:C7', [['H1@Example.com', 'Guest 1 again', 'confirmed']]);
    const r = await rt.run('recount', [], { context: 'editor' });
    expect(r.result).toMatch(/duplicate/i);
    expect(summary(rt).Confirmed).toBe(5);
    const token = byEmail(rt, 'h1@example.com')[0].token;
    await rt.postForm({ action: 'cancel', t: token, format: 'json' });
    expect(byEmail(rt, 'h1@example.com')[0].status).toBe('cancelled');
    expect(guests(rt).find((g) => g.row === 7)?.status).toBe('duplicate');
    const back = await signUp(rt, 'Guest 1', 'h1@example.com');
    expect(jsonOf(back)).toMatchObject({ status: 'confirmed' });
  });

  test('a copied confirmed row is never counted by a seat request either (no transaction sees 6 of 5)', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await fill(rt, 4);
    const copy = rawRow(rt, 2);
    // Without the trigger (the host's edit lands; the next request is the first to see it).
    rt.backend.hostEdit('Guests', 'A6:K6', [copy]);
    const r = await signUp(rt, 'Fifth', 'h5@example.com');
    expect(jsonOf(r)).toMatchObject({ status: 'confirmed' });
    expect(guests(rt).filter((g) => g.status === 'confirmed')).toHaveLength(5);
  });
});

describe('status edits', () => {
  test('a typo reverted puts a waitlisted guest back exactly where they were', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Ann', 'ann@example.com');
    await signUp(rt, 'Ivan', 'ivan@example.com');
    await signUp(rt, 'Jo', 'jo@example.com');
    const ivan = byEmail(rt, 'ivan@example.com')[0];
    expect(ivan.position).toBe(1);
    await rt.hostEdit('Guests', `C${ivan.row}`, [['Confirmed!']]);
    expect(byEmail(rt, 'ivan@example.com')[0]).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(byEmail(rt, 'jo@example.com')[0]).toMatchObject({ status: 'waitlisted', position: 2 });
  });

  test('retyping the status a guest already has changes nothing', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Ann', 'ann@example.com');
    const ann = byEmail(rt, 'ann@example.com')[0];
    const logBefore = logRows(rt).length;
    const mailBefore = rt.backend.mail.length;
    await rt.hostEdit('Guests', `C${ann.row}`, [[' Confirmed ']]);
    expect(logRows(rt).length).toBe(logBefore);
    expect(rt.backend.mail.length).toBe(mailBefore);
    const row = sheetRecords(rt, 'Guests').find((r) => r.row === ann.row)!;
    expect(row.Status).toBe('confirmed');
    expect(row.Note).toBe('');
  });

  test('a hand-typed decomposed address confirmed by hand gets the email and a Log row', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    rt.backend.hostEdit('Guests', 'A2:C2', [['zoe\u0308@example.com', 'Zoë', 'waitlisted']]);
    await rt.run('recount', [], { context: 'editor' });
    await rt.hostEdit('Guests', 'C2', [['confirmed']]);
    const nfc = 'zo\u00eb@example.com';
    expect(rt.backend.mail.filter((m) => m.to.normalize('NFC') === nfc).length).toBeGreaterThan(0);
    expect(logRows(rt).some((r) => r.email.normalize('NFC') === nfc && r.to === 'confirmed')).toBe(true);
  });
});

describe('a deleted row', () => {
  test('is logged "removed by the host" with its last state; the waitlist moves up; no email', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Ann', 'ann@example.com');
    await signUp(rt, 'Bob', 'bob@example.com');
    await signUp(rt, 'Cy', 'cy@example.com');
    const bob = byEmail(rt, 'bob@example.com')[0];
    const mailBefore = rt.backend.mail.length;
    await rt.hostDeleteRows('Guests', bob.row, 1);
    const removed = logFor(rt, 'bob@example.com').filter((r) => r.to === 'removed');
    expect(removed).toHaveLength(1);
    expect(removed[0].from).toBe('waitlisted');
    expect(removed[0].detail).toMatch(/removed by the host/);
    expect(byEmail(rt, 'cy@example.com')[0].position).toBe(1);
    expect(rt.backend.mail.slice(mailBefore).filter((m) => m.to === 'bob@example.com')).toHaveLength(0);
    expect(mailsTo(rt, 'bob@example.com')).toHaveLength(1); // only the first "waitlisted"
  });
});

describe('the summary', () => {
  test('says how many seats are held for offers', async () => {
    rt = await setUpRuntime({ capacity: 2 });
    await fill(rt, 4);
    const t1 = byEmail(rt, 'h1@example.com')[0].token;
    const t2 = byEmail(rt, 'h2@example.com')[0].token;
    await rt.postForm({ action: 'cancel', t: t1, format: 'json' });
    await rt.postForm({ action: 'cancel', t: t2, format: 'json' });
    expect(summary(rt).Offered).toBe(2);
    expect(String(summary(rt).Status)).toMatch(/2 seats held for offers/);
  });
});

describe('a Settings typo', () => {
  const capRow = (rt: Runtime) => rt.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Capacity') + 1;
  const cellLook = (rt: Runtime, row: number) => {
    const s = rt.backend.ss.byName('Settings')!;
    return { note: s.notes[`${row},2`] ?? '', background: s.backgrounds?.[`${row},2`] ?? '' };
  };

  test.each([['ten'], [-3]])(
    'capacity %p: the cell is flagged, counts stay, a toast, and the page says registration is paused',
    async (bad) => {
      rt = await setUpRuntime({ capacity: 3, settings: { 'Event name': 'Launch party' } });
      await signUp(rt, 'Ann', 'ann@example.com');
      await signUp(rt, 'Bob', 'bob@example.com');
      const row = capRow(rt);
      await rt.hostEdit('Settings', `B${row}`, [[bad]]);
      expect(cellLook(rt, row)).toEqual({
        note: expect.stringMatching(/^RSVP: Capacity must be a whole number, 0 or more/),
        background: '#f4c7c3',
      });
      expect(summary(rt)).toMatchObject({ Confirmed: 2, Waitlisted: 0, 'Seats left': '' });
      expect(String(summary(rt).Status)).toMatch(/^Registration is paused until Settings are fixed/);
      expect(rt.backend.toasts.at(-1)?.message).toMatch(/Registration is paused.*Capacity must be/);
      const html = htmlOf(await rt.web('GET'));
      expect(html).toContain('Registration for Launch party is paused.');
      expect(jsonOf(await rt.web('GET', { format: 'json' }))).toMatchObject({
        open: false,
        paused: true,
        eventName: 'Launch party',
        message: 'Registration for Launch party is paused.',
      });
      expect(jsonOf(await signUp(rt, 'Cy', 'cy@example.com'))).toMatchObject({
        status: 'closed',
        message: 'Registration for Launch party is paused.',
      });
      // Fixed: the flag goes, registration opens again.
      await rt.hostEdit('Settings', `B${row}`, [[3]]);
      expect(cellLook(rt, row)).toEqual({ note: '', background: '' });
      expect(summary(rt)).toMatchObject({ Confirmed: 2, 'Seats left': 1 });
      expect(jsonOf(await signUp(rt, 'Cy', 'cy@example.com'))).toMatchObject({ status: 'confirmed' });
    },
  );
});

describe('Settings on a sheet set up by an older version', () => {
  test('a setting Set up appends below the summary block is read there', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    const rows = rt.backend.sheetRaw('Settings');
    const cap = rows.findIndex((r) => r[0] === 'Capacity') + 1;
    // An older sheet without this setting: its row is blank.
    rt.backend.hostEdit('Settings', `A${cap}:C${cap}`, [['', '', '']]);
    await rt.run('setUp', [], { context: 'editor' });
    const after = rt.backend.sheetRaw('Settings');
    const moved = after.findIndex((r) => r[0] === 'Capacity') + 1;
    expect(moved).toBeGreaterThan(after.findIndex((r) => r[0] === 'Confirmed') + 1);
    await rt.hostEdit('Settings', `B${moved}`, [[2]]);
    expect(summary(rt)).toMatchObject({ 'Seats left': 2 });
    expect(jsonOf(await signUp(rt, 'Ann', 'ann@example.com'))).toMatchObject({ status: 'confirmed' });
  });
});

describe('a host edit the 10-minute run reads before its trigger runs', () => {
  // From simulator seed 702121: the host typed "confirmed" into a cancelled row while the 10-minute run
  // started; the run logged the change late, then the edit trigger logged it again, and the Log replayed
  // to two rows for one.
  test('is logged once: the Log replays to the rows', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    await fill(rt, 2);
    const g = byEmail(rt, 'h1@example.com')[0];
    await rt.postForm({ action: 'cancel', t: g.token, format: 'json' });
    expect(byEmail(rt, 'h1@example.com')[0].status).toBe('cancelled');
    const edit = rt.hostEditLater('Guests', `${String.fromCharCode(65 + statusCol)}${g.row}`, [
      ['confirmed'],
    ]);
    await rt.run('recount', [], { context: 'editor' });
    const runs = await edit.fire();
    expect(runs.every((r) => r.ok)).toBe(true);
    expect(byEmail(rt, 'h1@example.com').map((x) => x.status)).toEqual(['confirmed']);
    const moves = logFor(rt, 'h1@example.com').map((r) => `${r.from}>${r.to}`);
    // new>confirmed, confirmed>cancelled, cancelled>confirmed (logged late), then the trigger's own row
    // moves nothing.
    expect(moves).toEqual([
      'new>confirmed',
      'confirmed>cancelled',
      'cancelled>confirmed',
      'confirmed>confirmed',
    ]);
    // A recount now finds nothing to put right.
    const before = logRows(rt).length;
    await rt.run('recount', [], { context: 'editor' });
    expect(logRows(rt).length).toBe(before);
  });
});
