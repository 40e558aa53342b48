/** Cancelling, and freed seats going to the waitlist as offers with a claim window (issue 7). */
import { Runtime } from '../../emulator/runtime';
import {
  checkInvariants,
  guests,
  htmlOf,
  jsonOf,
  setSetting,
  setUpRuntime,
  signUp,
  summary,
} from '../helpers';

const act = (rt: Runtime, action: string, t: string) => rt.postForm({ action, t, format: 'json' });
const byEmail = (rt: Runtime, email: string) => guests(rt).find((g) => g.email === email)!;
const mailsTo = (rt: Runtime, email: string) => rt.backend.mail.filter((m) => m.to === email);

async function fullEvent(capacity: number, waiting: number): Promise<Runtime> {
  const rt = await setUpRuntime({ capacity });
  for (let i = 0; i < capacity; i++) await signUp(rt, `In ${i}`, `in${i}@example.com`);
  for (let i = 0; i < waiting; i++) await signUp(rt, `Wait ${i}`, `w${i}@example.com`);
  return rt;
}

describe('cancel and offers', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('the cancel link: GET shows a confirm page and changes nothing; only the POST cancels', async () => {
    rt = await fullEvent(2, 0);
    const t = byEmail(rt, 'in0@example.com').token;
    const page = htmlOf(await rt.web('GET', { action: 'cancel', t }));
    expect(page).toContain('Do you want to cancel your RSVP?');
    expect(page).toContain('value="cancel"');
    expect(byEmail(rt, 'in0@example.com').status).toBe('confirmed');
    expect(jsonOf(await act(rt, 'cancel', t))).toMatchObject({ status: 'cancelled' });
    expect(byEmail(rt, 'in0@example.com').status).toBe('cancelled');
    expect(mailsTo(rt, 'in0@example.com').map((m) => m.subject)).toEqual([
      "You're in: My event",
      "You're cancelled: My event",
    ]);
    expect(jsonOf(await act(rt, 'cancel', t))).toMatchObject({ status: 'already-cancelled' });
    expect(jsonOf(await act(rt, 'cancel', 'not-a-token'))).toMatchObject({ status: 'not-found' });
    expect(jsonOf(await act(rt, 'cancel', ''))).toMatchObject({ status: 'not-found' });
    expect(summary(rt)).toMatchObject({ Confirmed: 1, Cancelled: 1, 'Seats left': 1 });
  });

  test('signing up again after cancelling is a new RSVP with a new token: the old links say they are no longer valid', async () => {
    rt = await fullEvent(2, 0);
    const old = byEmail(rt, 'in0@example.com').token;
    await act(rt, 'cancel', old);
    // From an equivalent spelling of the same mailbox, even.
    expect(jsonOf(await signUp(rt, 'In 0', 'IN0+again@example.com'))).toMatchObject({ status: 'confirmed' });
    const rows = guests(rt).filter((g) => g.email.startsWith('in0'));
    expect(rows.map((g) => [g.email, g.status])).toEqual([
      ['in0@example.com', 'cancelled'],
      ['in0+again@example.com', 'confirmed'],
    ]);
    const fresh = rows[1].token;
    expect(fresh).not.toBe(old);
    // The new confirmation carries the new token only.
    const confirmation = mailsTo(rt, 'in0+again@example.com')[0];
    expect(confirmation.body).toContain(`t=${fresh}`);
    expect(confirmation.body).not.toContain(old);
    // The old link: GET and POST both say so, point to the form, and change nothing.
    for (const action of ['cancel', 'status', 'claim']) {
      const page = htmlOf(await rt.web('GET', { action, t: old }));
      expect(page).toContain('This link is no longer valid.');
      expect(page).toContain('Back to the sign-up form');
      expect(page).not.toContain('value="cancel"');
    }
    expect(jsonOf(await act(rt, 'cancel', old))).toMatchObject({
      status: 'not-found',
      message: 'This link is no longer valid.',
    });
    expect(byEmail(rt, 'in0+again@example.com').status).toBe('confirmed');
    expect(summary(rt)).toMatchObject({ Confirmed: 2, Cancelled: 1 });
    checkInvariants(rt, 2);
    // The new link works.
    expect(jsonOf(await act(rt, 'cancel', fresh))).toMatchObject({ status: 'cancelled' });
  });

  test('a cancelled seat is offered to #1, positions close up, and a claim in time confirms', async () => {
    rt = await fullEvent(2, 3);
    const t = byEmail(rt, 'in1@example.com').token;
    await act(rt, 'cancel', t);
    expect(guests(rt).map((g) => [g.email, g.status, g.position])).toEqual([
      ['in0@example.com', 'confirmed', ''],
      ['in1@example.com', 'cancelled', ''],
      ['w0@example.com', 'offered', ''],
      ['w1@example.com', 'waitlisted', 1],
      ['w2@example.com', 'waitlisted', 2],
    ]);
    checkInvariants(rt, 2);
    const offer = mailsTo(rt, 'w0@example.com').at(-1)!;
    expect(offer.subject).toBe('A seat opened up: claim it for My event');
    const w0 = byEmail(rt, 'w0@example.com').token;
    expect(offer.body).toContain(`action=claim&t=${w0}`);
    expect(offer.body).toMatch(/Claim it by \w+day \d+ \w+ at \d\d:\d\d/);
    const page = htmlOf(await rt.web('GET', { action: 'claim', t: w0 }));
    expect(page).toContain('A seat is being held for you.');
    expect(byEmail(rt, 'w0@example.com').status).toBe('offered'); // GET changed nothing
    expect(jsonOf(await act(rt, 'claim', w0))).toMatchObject({ status: 'confirmed' });
    expect(byEmail(rt, 'w0@example.com').status).toBe('confirmed');
    expect(jsonOf(await act(rt, 'claim', byEmail(rt, 'w1@example.com').token))).toMatchObject({
      status: 'not-offered',
      position: 1,
    });
    checkInvariants(rt, 2);
  });

  test('leaving the waitlist closes the gap behind', async () => {
    rt = await fullEvent(1, 4);
    await act(rt, 'cancel', byEmail(rt, 'w1@example.com').token);
    expect(
      guests(rt)
        .filter((g) => g.status === 'waitlisted')
        .map((g) => [g.email, g.position]),
    ).toEqual([
      ['w0@example.com', 1],
      ['w2@example.com', 2],
      ['w3@example.com', 3],
    ]);
    checkInvariants(rt, 1);
  });

  test('declining passes the seat to the next person', async () => {
    rt = await fullEvent(1, 2);
    await act(rt, 'cancel', byEmail(rt, 'in0@example.com').token);
    expect(jsonOf(await act(rt, 'decline', byEmail(rt, 'w0@example.com').token))).toMatchObject({
      status: 'declined',
    });
    expect(byEmail(rt, 'w0@example.com').status).toBe('cancelled');
    expect(byEmail(rt, 'w1@example.com').status).toBe('offered');
    checkInvariants(rt, 1);
  });

  test('an offer past its deadline expires on the trigger and the seat goes to the next', async () => {
    rt = await fullEvent(1, 2);
    setSetting(rt, 'Claim window (hours)', 2);
    await act(rt, 'cancel', byEmail(rt, 'in0@example.com').token);
    expect(byEmail(rt, 'w0@example.com').status).toBe('offered');
    const later = rt.backend.now() + 3 * 3600e3;
    rt.backend.advanceTo(later);
    await rt.runDueTriggers(later);
    expect(byEmail(rt, 'w0@example.com').status).toBe('cancelled');
    expect(byEmail(rt, 'w1@example.com').status).toBe('offered');
    expect(mailsTo(rt, 'w0@example.com').at(-1)!.subject).toBe('Your held seat was released: My event');
    expect(mailsTo(rt, 'w1@example.com').at(-1)!.subject).toBe('A seat opened up: claim it for My event');
    // A claim after the deadline is refused.
    expect(jsonOf(await act(rt, 'claim', byEmail(rt, 'w0@example.com').token))).toMatchObject({
      status: 'already-cancelled',
    });
    checkInvariants(rt, 1);
  });

  test('with "waitlist" an expired offer goes back to the end of the line', async () => {
    rt = await fullEvent(1, 2);
    setSetting(rt, 'When an offer runs out', 'waitlist');
    await act(rt, 'cancel', byEmail(rt, 'in0@example.com').token);
    // The 24-hour claim window counts waking hours only (quiet hours 21:00-08:00): from Monday 10:00
    // it runs until Wednesday 08:00.
    const later = rt.backend.now() + 47 * 3600e3;
    rt.backend.advanceTo(later);
    await rt.run('sendQueuedEmails', [], { context: 'trigger' });
    expect(byEmail(rt, 'w0@example.com')).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(byEmail(rt, 'w1@example.com').status).toBe('offered');
    checkInvariants(rt, 1);
  });

  test('raising capacity offers seats at once; lowering it removes nobody and shows "over capacity"', async () => {
    rt = await fullEvent(2, 3);
    const capRow = rt.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Capacity') + 1;
    await rt.hostEdit('Settings', `B${capRow}`, [[4]]);
    expect(guests(rt).map((g) => g.status)).toEqual([
      'confirmed',
      'confirmed',
      'offered',
      'offered',
      'waitlisted',
    ]);
    expect(mailsTo(rt, 'w1@example.com').at(-1)!.subject).toMatch(/A seat opened up/);
    await rt.hostEdit('Settings', `B${capRow}`, [[1]]);
    expect(guests(rt).map((g) => g.status)).toEqual([
      'confirmed',
      'confirmed',
      'offered',
      'offered',
      'waitlisted',
    ]);
    expect(String(summary(rt).Status)).toBe(
      'Over capacity by 3: new sign-ups go to the waitlist; 2 seats held for offers (waiting to be claimed)',
    );
    expect(jsonOf(await signUp(rt, 'Late', 'late@example.com'))).toMatchObject({
      status: 'waitlisted',
      position: 2,
    });
  });

  test('after the event starts no offers are made, sign-ups and claims are closed', async () => {
    rt = await fullEvent(1, 1);
    const start = new Date(rt.backend.now() + 3600e3);
    setSetting(rt, 'Starts at', start);
    await act(rt, 'cancel', byEmail(rt, 'in0@example.com').token);
    const offered = byEmail(rt, 'w0@example.com');
    expect(offered.status).toBe('offered'); // the window is cut to the start
    const later = start.getTime() + 60e3;
    rt.backend.advanceTo(later);
    expect(jsonOf(await act(rt, 'claim', offered.token))).toMatchObject({ status: 'already-cancelled' });
    expect(jsonOf(await signUp(rt, 'Late', 'late@example.com'))).toMatchObject({ status: 'closed' });
    expect(guests(rt).filter((g) => g.status === 'offered')).toEqual([]);
  });

  test('50 simultaneous cancels and 50 simultaneous sign-ups on a full event keep every invariant', async () => {
    rt = await setUpRuntime({ capacity: 60, backend: { mailQuotaPerDay: 10000 } });
    const seed = Array.from({ length: 60 }, (_, i) => `s${i}@example.com`);
    await rt.runConcurrently(
      seed.map((email) => ({
        fn: 'doPost',
        args: [{ parameter: { name: 'S', email, format: 'json' } }],
        opts: { context: 'webapp' as const },
      })),
    );
    const tokens = guests(rt)
      .slice(0, 50)
      .map((g) => g.token);
    const runs = await rt.runConcurrently([
      ...tokens.map((t) => ({
        fn: 'doPost',
        args: [{ parameter: { action: 'cancel', t, format: 'json' } }],
        opts: { context: 'webapp' as const },
      })),
      ...Array.from({ length: 50 }, (_, i) => ({
        fn: 'doPost',
        args: [{ parameter: { name: 'N', email: `n${i}@example.com`, format: 'json' } }],
        opts: { context: 'webapp' as const },
      })),
    ]);
    expect(runs.filter((r) => !r.ok).map((r) => r.error?.message)).toEqual([]);
    const rows = checkInvariants(rt, 60);
    expect(rows.filter((g) => g.status === 'cancelled')).toHaveLength(50);
    const held = rows.filter((g) => g.status === 'confirmed' || g.status === 'offered').length;
    expect(held).toBe(60);
    // Each guest's answer matches their final row (a new guest may have been offered a seat since).
    runs.slice(50).forEach((r, i) => {
      const a = jsonOf(r);
      const row = byEmail(rt, `n${i}@example.com`);
      expect(['confirmed', 'waitlisted']).toContain(a.status);
      if (a.status === 'confirmed') expect(row.status).toBe('confirmed');
      else expect(['waitlisted', 'offered']).toContain(row.status);
    });
  }, 60000);
});
