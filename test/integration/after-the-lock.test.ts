/**
 * What a sign-up does after the keeper's lock, now that it reads nothing that grows with the sheet
 * (issue 24): the seats line on the answer comes from the transaction's own counts, and the email's
 * result is recorded on its Outbox row found by a search. Both must stay right while others sign up
 * and while the host sorts the Outbox.
 */
import { Runtime, webEvent } from '../../emulator/runtime';
import { checkInvariants, jsonOf, outboxRows, runTrigger, setUpRuntime, signUp } from '../helpers';

describe('after the lock', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('each answer says the seats left after its own sign-up, also when sign-ups share a transaction', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    expect(jsonOf(await signUp(rt, 'Ada', 'ada@example.com'))).toMatchObject({
      status: 'confirmed',
      seatsText: '2 seats left',
    });
    // Three at once: whichever transactions they share, each answer's seats line is the count right
    // after its own transaction, so the answer that took the last seat says the event is full.
    const FULL = 'The event is full: the waitlist is open';
    const at = rt.backend.now();
    const runs = await rt.runConcurrently(
      ['bob', 'cy', 'dee'].map((n) => ({
        fn: 'doPost',
        args: [
          webEvent(
            'POST',
            {},
            {
              type: 'application/x-www-form-urlencoded',
              contents: `name=${n}&email=${n}%40example.com&format=json`,
            },
          ),
        ],
        opts: { context: 'webapp' as const, at },
      })),
    );
    const answers = runs.map((r) => jsonOf(r));
    expect(answers.map((a) => a.status).sort()).toEqual(['confirmed', 'confirmed', 'waitlisted']);
    for (const a of answers)
      expect(a.status === 'waitlisted' ? [FULL] : ['1 seat left', FULL]).toContain(a.seatsText);
    expect(answers.filter((a) => a.status === 'confirmed' && a.seatsText === FULL).length).toBeGreaterThan(0);
    checkInvariants(rt, 3);
  });

  test('the host sorts the Outbox at any moment of a sign-up: the email is recorded on its own row', async () => {
    const start = async () => {
      rt = await setUpRuntime({ capacity: 10 });
      for (const n of ['zoe', 'yan', 'xia']) await signUp(rt, n, `${n}@example.com`);
      await rt.settle();
    };
    await start();
    const probe = await signUp(rt, 'Ada', 'ada@example.com');
    const [from, to] = [probe.startedAt, probe.endedAt];
    await rt.close();
    const steps = 20;
    let movedAfterAppend = 0;
    for (let k = 0; k <= steps; k++) {
      await start();
      const before = outboxRows(rt);
      const at = rt.backend.now() + Math.round(((to - from) * k) / steps);
      const sheet = rt.backend.ss.byName('Outbox')!;
      rt.backend.sim!.schedule(at, `sort#${k}`, () => {
        // Sort by recipient, A to Z: Ada's row, once appended, moves from the bottom to the top.
        if (outboxRows(rt).some((r) => r.to === 'ada@example.com')) movedAfterAppend++;
        rt.backend.ss.sortRows(sheet.id, 1, 3);
      });
      expect(jsonOf(await signUp(rt, 'Ada', 'ada@example.com'))).toMatchObject({ status: 'confirmed' });
      await rt.settle();
      const after = outboxRows(rt);
      const ada = after.filter((r) => r.to === 'ada@example.com');
      expect([k, ada.map((r) => r.status)]).toEqual([k, ['sent']]);
      // Nobody else's email is taken for sent: a row the write landed on (a sort between finding
      // Ada's row and the write) is put back to queued, and the drain sends it again; every other
      // row is as it was.
      const was = new Map(before.map((r) => [r.id, r.status]));
      const others = after.filter((r) => r.to !== 'ada@example.com');
      const requeued = others.filter((r) => r.status !== was.get(r.id));
      expect([k, requeued.map((r) => r.status)]).toEqual([k, requeued.map(() => 'queued')]);
      expect(requeued.length).toBeLessThan(2);
      expect(rt.backend.mail.filter((m) => m.to === 'ada@example.com')).toHaveLength(1);
      await runTrigger(rt, 'sendQueuedEmails');
      expect([k, outboxRows(rt).map((r) => r.status)]).toEqual([k, after.map(() => 'sent')]);
      await rt.close();
    }
    // The sweep reached the window that matters: sorts after Ada's row landed, and before.
    expect(movedAfterAppend).toBeGreaterThan(0);
    expect(movedAfterAppend).toBeLessThan(steps + 1);
  }, 120000);

  test('a sort between finding the row and the write landing: no other email is taken for sent', async () => {
    rt = await setUpRuntime({ capacity: 10 });
    for (const n of ['zoe', 'yan', 'xia']) await signUp(rt, n, `${n}@example.com`);
    await rt.settle();
    const before = new Map(outboxRows(rt).map((r) => [r.id, r.status]));
    const sheet = rt.backend.ss.byName('Outbox')!;
    let sorted = 0;
    // The moment the result is written (just after the search found Ada's row), the host sorts.
    rt.backend.onCall = (_ex, method, args) => {
      const ref = args[0] as { sheetId?: number; col?: number } | undefined;
      if (method === 'range.setValues' && ref?.sheetId === sheet.id && ref.col === 7 && !sorted) {
        sorted++;
        rt.backend.ss.sortRows(sheet.id, 1, 3);
      }
    };
    expect(jsonOf(await signUp(rt, 'Ada', 'ada@example.com'))).toMatchObject({ status: 'confirmed' });
    rt.backend.onCall = null;
    await rt.settle();
    expect(sorted).toBe(1);
    const after = outboxRows(rt);
    expect(after.filter((r) => r.to === 'ada@example.com').map((r) => r.status)).toEqual(['sent']);
    // The row the write landed on is queued again (its email is still owed), every other as it was.
    const changed = after.filter((r) => r.to !== 'ada@example.com' && r.status !== before.get(r.id));
    expect(changed.map((r) => r.status)).toEqual(['queued']);
    await runTrigger(rt, 'sendQueuedEmails');
    expect(outboxRows(rt).map((r) => r.status)).toEqual(after.map(() => 'sent'));
    expect(rt.backend.mail.filter((m) => m.to === 'ada@example.com')).toHaveLength(1);
  });
});

describe("the drain's record", () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('a row deleted between finding the rows and writing their results: no email is taken for sent', async () => {
    // Today's quota runs out after two emails: the later sign-ups' emails wait in the Outbox.
    rt = await setUpRuntime({ capacity: 10, backend: { mailQuotaPerDay: 2 } });
    for (const n of ['zoe', 'yan', 'xia', 'wes', 'val']) await signUp(rt, n, `${n}@example.com`);
    await rt.settle();
    const waiting = outboxRows(rt).filter((r) => r.status === 'queued');
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    // Room for one more today: the drain sends one, and the others stay owed (queued) beside it.
    rt.backend.opts.mailQuotaPerDay = 3;
    const sheet = rt.backend.ss.byName('Outbox')!;
    let sorted = 0;
    // The moment the drain writes its first result (its row found), the host deletes the first
    // Outbox row (an email long sent): every row below moves up one, onto the row above it.
    rt.backend.onCall = (ex, method, args) => {
      const ref = args[0] as { sheetId?: number; col?: number } | undefined;
      if (
        ex.fn === 'sendQueuedEmails' &&
        method === 'range.setValues' &&
        ref?.sheetId === sheet.id &&
        ref.col === 7 &&
        !sorted
      ) {
        sorted++;
        rt.backend.hostDeleteRows('Outbox', 2, 1);
      }
    };
    await runTrigger(rt, 'sendQueuedEmails');
    rt.backend.onCall = null;
    expect(sorted).toBe(1);
    rt.backend.opts.mailQuotaPerDay = 100;
    // A second drain settles every row, and every guest has their email: none is taken for sent.
    // A row the results landed on lost its own result (written over): it is queued again and its
    // email may go twice, the price of never losing one; the rows that were not moved, once.
    await runTrigger(rt, 'sendQueuedEmails');
    expect(outboxRows(rt).map((r) => r.status)).toEqual(outboxRows(rt).map(() => 'sent'));
    const got = ['zoe', 'yan', 'xia', 'wes', 'val'].map((n) => ({
      n,
      k: rt.backend.mail.filter((m) => m.to === `${n}@example.com`).length,
    }));
    expect(got.filter((g) => g.k === 0)).toEqual([]);
    expect(got.filter((g) => g.k > 1).length).toBeLessThanOrEqual(waiting.length);
    expect(got.every((g) => g.k <= 2)).toBe(true);
  });
});
