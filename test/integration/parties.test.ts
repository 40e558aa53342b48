/** Parties (plus-ones, issue 15) through the built bundle: the form, the keeper's seat count, the guest's page. */
import { Runtime } from '../../emulator/runtime';
import {
  checkInvariants,
  column,
  deliverReply,
  guestRecord,
  guests,
  htmlOf,
  jsonOf,
  logRows,
  pollReplies,
  replyRows,
  setSetting,
  setUpRuntime,
  sheetRecords,
  summary,
} from '../helpers';

let rt: Runtime;
afterEach(() => rt?.close());

const row = (email: string) => guestRecord(rt, email)!;
const partyOf = (email: string) => Number(row(email).Party || 1);
const statusOf = (email: string) => String(row(email).Status);
const mailTo = (email: string) => rt.backend.mail.filter((m) => m.to === email);
const logDetails = () => logRows(rt).map((r) => r.detail);

async function party(name: string, n: number | string, extra: Record<string, string> = {}) {
  const email = `${name.toLowerCase()}@example.com`;
  return jsonOf(await rt.postForm({ name, email, party: String(n), format: 'json', ...extra }));
}

/** Confirmed + offered seats, from the rows: never above the capacity. */
function seatsHeld(): number {
  return sheetRecords(rt, 'Guests')
    .filter((r) => r.Status === 'confirmed' || r.Status === 'offered')
    .reduce((n, r) => n + Number(r.Party || 1), 0);
}

describe('parties', () => {
  test('off by default: no question on the form, a party field is ignored, one seat each', async () => {
    rt = await setUpRuntime({ capacity: 2 });
    expect(htmlOf(await rt.web('GET'))).not.toContain('How many of you are coming');
    expect(await party('Ann', 3)).toMatchObject({ status: 'confirmed' });
    expect(partyOf('ann@example.com')).toBe(1);
    expect(summary(rt)).toMatchObject({ Confirmed: 1, 'Seats left': 1 });
  });

  test('the form asks; capacity counts seats; a party that does not fit waits whole; the summary and emails say seats', async () => {
    rt = await setUpRuntime({ capacity: 5, settings: { 'Largest party': 4 } });
    const page = htmlOf(await rt.web('GET'));
    expect(page).toContain('How many of you are coming (including you)?');
    expect(page).toContain('<option value="4"');
    expect(await party('Ann', 3)).toMatchObject({
      status: 'confirmed',
      party: 3,
      message: "You're in! 3 seats are held for you.",
    });
    expect(mailTo('ann@example.com')[0].body).toContain(
      '3 seats at My event are confirmed for you and your party',
    );
    expect(await party('Bob', 3)).toMatchObject({ status: 'waitlisted', position: 1, party: 3 });
    expect(mailTo('bob@example.com')[0].body).toContain("you're number 1 on the waitlist (a party of 3)");
    // Two seats are free: too few for Bob, enough for Cy, who is confirmed; Bob keeps his place.
    expect(await party('Cy', 2)).toMatchObject({ status: 'confirmed', party: 2 });
    expect(logDetails()).toContain('passed over: a party of 3, 2 seats free; a party of 2 behind confirmed');
    expect(statusOf('bob@example.com')).toBe('waitlisted');
    expect(summary(rt)).toMatchObject({ Confirmed: 5, Waitlisted: 3, 'Seats left': 0 });
    expect(String(summary(rt).Status)).toContain('5 seats confirmed for 2 RSVPs');
    // Every figure says what it counts, beside it: seats or RSVPs.
    const units = new Map(rt.backend.sheetRaw('Settings').map((r) => [r[0], [r[1], r[2]]]));
    expect(units.get('Confirmed')).toEqual([5, 'seats confirmed (a party counts its size)']);
    expect(units.get('Waitlisted')).toEqual([3, 'seats asked for by those waiting']);
    expect(units.get('Cancelled')).toEqual([0, 'RSVPs cancelled']);
    expect(seatsHeld()).toBe(5);
    // The dashboard counts seats as the summary does.
    const board = (await rt.run('dashboardData', [], { context: 'editor' })).result as {
      counts: Array<{ status: string; count: number }>;
    };
    expect(board.counts.filter((x) => ['confirmed', 'waitlisted'].includes(x.status))).toEqual([
      { status: 'confirmed', count: 5, unit: 'seats' },
      { status: 'waitlisted', count: 3, unit: 'seats' },
    ]);
  });

  test('bad party sizes are refused with a friendly error and change nothing', async () => {
    rt = await setUpRuntime({ capacity: 5, settings: { 'Largest party': 4 } });
    for (const bad of ['5', '0', 'two', '2.5'])
      expect(await party('Ann', bad)).toMatchObject({
        status: 'invalid',
        errors: { party: 'Please choose how many of you are coming: 1 to 4.' },
      });
    expect(rt.backend.sheetRaw('Guests')).toHaveLength(1);
    expect(rt.backend.mail).toHaveLength(0);
  });

  test('a guest lowers their party from their page and the seats go to the first party that fits; raising needs free seats', async () => {
    rt = await setUpRuntime({ capacity: 4, settings: { 'Largest party': 4 } });
    await party('Ann', 4);
    await party('Bob', 2);
    await party('Cy', 1);
    const token = String(row('ann@example.com').Token);
    const pageHtml = htmlOf(await rt.web('GET', { action: 'status', t: token }));
    expect(pageHtml).toContain('Change how many of you are coming');
    // Ann frees one seat: too few for Bob (2), so Cy (1, behind him) is offered it, and the Log says why.
    expect(
      jsonOf(await rt.postForm({ action: 'party', t: token, party: '3', format: 'json' })),
    ).toMatchObject({
      status: 'party-changed',
      party: 3,
      message: 'Your party is now 3.',
    });
    expect(statusOf('cy@example.com')).toBe('offered');
    expect(statusOf('bob@example.com')).toBe('waitlisted');
    expect(logDetails()).toContain('passed over: a party of 2, 1 seat free; offered to a party of 1 behind');
    // Raising again: the seat is held for Cy, so the extra is not free.
    expect(
      jsonOf(await rt.postForm({ action: 'party', t: token, party: '4', format: 'json' })),
    ).toMatchObject({
      status: 'party-unavailable',
      party: 3,
    });
    expect(partyOf('ann@example.com')).toBe(3);
    expect(seatsHeld()).toBeLessThanOrEqual(4);
    checkInvariants(rt, 4, { summary: false });
  });

  test('strict order (Smaller parties may go first: no): the free seats wait for the first party', async () => {
    rt = await setUpRuntime({
      capacity: 5,
      settings: { 'Largest party': 4, 'Smaller parties may go first': 'no' },
    });
    await party('Ann', 3);
    await party('Bob', 3);
    expect(await party('Cy', 2)).toMatchObject({ status: 'waitlisted', position: 2 });
    expect(summary(rt)).toMatchObject({ Confirmed: 3, 'Seats left': 2 });
  });

  test('a typo in Largest party is flagged, and registration goes on one seat each', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    setSetting(rt, 'Largest party', 'four');
    await rt.run('recount', [], { context: 'editor' });
    const r = rt.backend.sheetRaw('Settings').findIndex((x) => x[0] === 'Largest party') + 1;
    expect(rt.backend.ss.byName('Settings')!.notes[`${r},2`]).toMatch(
      /^RSVP: Largest party must be a whole number/,
    );
    expect(await party('Ann', 3)).toMatchObject({ status: 'confirmed' });
    expect(partyOf('ann@example.com')).toBe(1);
    expect(guests(rt)).toHaveLength(1);
  });

  test('asking again with another party size keeps the RSVP and points to the guest page', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 4 } });
    await party('Ann', 2);
    expect(await party('Ann', 4)).toMatchObject({
      status: 'already-confirmed',
      party: 2,
      detail: expect.stringContaining('use the link in your email'),
    });
    expect(partyOf('ann@example.com')).toBe(2);
  });

  test('a sheet made before parties (no Party column) keeps working; Set up names the column', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    rt.backend.hostEdit('Guests', 'K1', [['']]);
    expect(await party('Ann', 1)).toMatchObject({ status: 'confirmed' });
    await rt.run('setUp', [], { context: 'editor' });
    expect(guests(rt)[0]).toMatchObject({ email: 'ann@example.com', party: 1 });
  });

  test('by email: "yes, 3 of us" is a party of 3; more than the largest party is left for the host, nothing changes', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 4 } });
    const a = deliverReply(rt, 'Ann <ann@example.com>', 'Yes, 3 of us will come!');
    const b = deliverReply(rt, 'Bob <bob@example.com>', 'Yes +5, see you there');
    await pollReplies(rt);
    expect(statusOf('ann@example.com')).toBe('confirmed');
    expect(partyOf('ann@example.com')).toBe(3);
    expect(rt.backend.mail.find((m) => m.to.includes('ann@example.com'))?.body).toContain(
      '3 seats at My event',
    );
    expect(column(rt, 'Guests', 'Email').some((x) => x === 'bob@example.com')).toBe(false);
    const replies = replyRows(rt);
    expect(replies.find((x) => x.id === a.id)?.status).toBe('handled');
    const bobs = replies.find((x) => x.id === b.id);
    expect(bobs && [bobs.status, bobs.result]).toEqual([
      'review',
      expect.stringMatching(/^for you to answer: asked for a party of 6, more than Largest party allows/),
    ]);
  });

  test('the import takes an optional Party column: sizes checked per row, a bad one not imported and said why', async () => {
    rt = await setUpRuntime({ capacity: 5, settings: { 'Largest party': 4 } });
    expect(rt.backend.sheetRaw('Import')[0]).toEqual(['Name', 'Email', 'Result', 'Party']);
    await rt.hostEdit('Import', 'A2:D5', [
      ['Ann', 'ann@example.com', '', 3],
      ['Bob', 'bob@example.com', '', ''],
      ['Cy', 'cy@example.com', '', 'two'],
      ['Dee', 'dee@example.com', '', 9],
    ]);
    await rt.run('importConfirmed', [], { context: 'editor' });
    expect(column(rt, 'Import', 'Result')).toEqual([
      'confirmed',
      'confirmed',
      'party "two" is not a whole number from 1 to 4; not imported',
      'party "9" is not a whole number from 1 to 4; not imported',
    ]);
    expect(partyOf('ann@example.com')).toBe(3);
    expect(partyOf('bob@example.com')).toBe(1);
    expect(guests(rt).map((g) => g.email)).toEqual(['ann@example.com', 'bob@example.com']);
    expect(summary(rt)).toMatchObject({ Confirmed: 4, 'Seats left': 1 });
  });

  test('the import: a party size beside several pasted guests in one cell is not guessed at; that row stays out, said why', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 4 } });
    await rt.hostEdit('Import', 'A2:D3', [
      ['Ann <ann@example.com>, Bob <bob@example.com>', '', '', 2],
      ['Cy <cy@example.com>, Dee <dee@example.com>', '', '', ''],
    ]);
    await rt.run('importConfirmed', [], { context: 'editor' });
    const why = 'party 2 beside 2 guests: put each guest on their own row; not imported';
    expect(column(rt, 'Import', 'Result')).toEqual([`${why}\n${why}`, 'confirmed\nconfirmed']);
    expect(guests(rt).map((g) => [g.email, g.party])).toEqual([
      ['cy@example.com', 1],
      ['dee@example.com', 1],
    ]);
  });

  test('an invited party hears its size in the invite, and confirming holds its seats', async () => {
    rt = await setUpRuntime({ capacity: 5, settings: { 'Largest party': 4 } });
    await rt.hostEdit('Import', 'A2:D3', [
      ['Ann', 'ann@example.com', '', 3],
      ['Bob', 'bob@example.com', '', ''],
    ]);
    await rt.run('importPending', [], { context: 'editor' });
    expect(mailTo('ann@example.com')[0].body).toContain("You're invited to My event, with your party of 3.");
    expect(mailTo('bob@example.com')[0].body).toContain("You're invited to My event.\n");
    const token = String(row('ann@example.com').Token);
    expect(jsonOf(await rt.postForm({ action: 'confirm', t: token, format: 'json' }))).toMatchObject({
      status: 'confirmed',
      party: 3,
    });
    expect(summary(rt)).toMatchObject({ 'Seats left': 2 });
  });

  test('by email with plus-ones off: "yes +1" is a yes for one seat, and the Replies row tells the host what was said', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    const m = deliverReply(rt, 'Ann <ann@example.com>', 'Yes +1, see you there!');
    await pollReplies(rt);
    expect(statusOf('ann@example.com')).toBe('confirmed');
    expect(partyOf('ann@example.com')).toBe(1);
    const reply = replyRows(rt).find((x) => x.id === m.id);
    expect(reply && [reply.status, reply.result]).toEqual([
      'handled',
      'confirmed (said a party of 2; plus-ones are off, so 1 seat)',
    ]);
  });

  test('the host types a party size: a number stands (past the capacity as a noted override), a word is put back with a note', async () => {
    rt = await setUpRuntime({ capacity: 4, settings: { 'Largest party': 4 } });
    await party('Ann', 2);
    await party('Bob', 2);
    await rt.hostEdit('Guests', 'K2', [['three']]);
    expect(row('ann@example.com').Party).toBe(2);
    expect(row('ann@example.com').Note).toBe('Party "three" is not a whole number from 1: put back to 2.');
    await rt.hostEdit('Guests', 'K2', [[1]]);
    expect(partyOf('ann@example.com')).toBe(1);
    expect(summary(rt)).toMatchObject({ Confirmed: 3, 'Seats left': 1 });
    await rt.hostEdit('Guests', 'K3', [[4]]);
    expect(summary(rt)).toMatchObject({ Confirmed: 5, 'Seats left': 0 });
    expect(String(summary(rt).Status)).toMatch(/^Over capacity by 1/);
    expect(logDetails()).toContain('party 2 → 4 by the host: over capacity by 1');
  });

  test('the host sorts the Guests sheet at any moment of a party change: every row keeps its own status and party', async () => {
    // Zed (3, confirmed) lowers to 1; the two seats freed go to Amy (2, waiting behind Bob's seat).
    // Zed's and Amy's rows are written as one block by row number: a sort by email between the
    // keeper's read and its write lands that block on other guests (repairIfMoved puts it right,
    // Party included). Swept over the whole request, a fresh sheet each time.
    const start = async () => {
      rt = await setUpRuntime({ capacity: 4, settings: { 'Largest party': 4 } });
      await party('Zed', 3);
      await party('Amy', 2);
      await party('Bob', 1);
      expect([statusOf('amy@example.com'), statusOf('bob@example.com')]).toEqual(['waitlisted', 'confirmed']);
      return String(row('zed@example.com').Token);
    };
    const lower = (token: string) => rt.postForm({ action: 'party', t: token, party: '1', format: 'json' });
    const probe = await lower(await start());
    const [from, to] = [probe.startedAt, probe.endedAt];
    await rt.close();
    const want = [
      ['amy@example.com', 'offered', 2],
      ['bob@example.com', 'confirmed', 1],
      ['zed@example.com', 'confirmed', 1],
    ];
    const steps = 24;
    let sortedBeforeWrite = 0;
    for (let k = 0; k <= steps; k++) {
      const token = await start();
      const t0 = rt.backend.now();
      const at = t0 + Math.round(((to - from) * k) / steps);
      const sheet = rt.backend.ss.byName('Guests')!;
      rt.backend.sim!.schedule(at, `sort#${k}`, () => {
        // Did the keeper's write land already? (Zed's party says so.)
        if (partyOf('zed@example.com') === 3) sortedBeforeWrite++;
        rt.backend.ss.sortRows(sheet.id, 1, 1);
      });
      expect(jsonOf(await lower(token))).toMatchObject({ status: 'party-changed', party: 1 });
      await rt.settle();
      const now = sheetRecords(rt, 'Guests').map((r) => [r.Email, r.Status, Number(r.Party || 1)]);
      expect([k, now]).toEqual([k, want]);
      expect(seatsHeld()).toBe(4);
      checkInvariants(rt, 4, { summary: false });
      await rt.close();
    }
    // The sweep reached the window that matters: sorts before the write as well as after it.
    expect(sortedBeforeWrite).toBeGreaterThan(0);
    expect(sortedBeforeWrite).toBeLessThan(steps + 1);
  }, 120000);
});
