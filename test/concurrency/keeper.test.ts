/**
 * The cap under real concurrency: executions in worker threads that truly overlap, with a latency
 * model so reads and writes take time and interleave as they do on Google. A negative control (a
 * naive claim with no lock, a test fixture) runs in the same harness and must be caught overselling.
 */
import { REALISTIC_LATENCY } from '../../emulator/backend';
import { Runtime } from '../../emulator/runtime';
import {
  checkInvariants,
  guests,
  jsonOf,
  outboxRows,
  setUpRuntime,
  sheetRecords,
  signUp,
  summary,
} from '../helpers';

const LATENCY = { latency: REALISTIC_LATENCY, latencyScale: 0.05 };

/**
 * A claim written the way the classic buggy script does it: read, check, write; no lock. After its read
 * it waits (up to 5 s) until the others have read too, so the race it has happens on every run, also on a
 * machine busy enough to run the 30 executions one after another.
 */
const READ_TOGETHER = String.raw`
function readTogether(sheet, email, together) {
  var rows = sheet.getDataRange().getValues();
  var cache = CacheService.getScriptCache();
  cache.put('read:' + email, '1');
  var keys = [];
  for (var i = 0; i < together; i++) keys.push('read:n' + i + '@example.com');
  for (var t = 0; t < 200 && Object.keys(cache.getAll(keys)).length < together; t++) Utilities.sleep(25);
  return rows;
}`;

const NAIVE_CLAIM = String.raw`
function naiveClaim(email, capacity, together) {
  var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Guests');
  var rows = readTogether(sheet, email, together);
  var confirmed = rows.filter(function (r) { return r[2] === 'confirmed'; }).length;
  var status = confirmed < capacity ? 'confirmed' : 'waitlisted';
  var waiting = rows.filter(function (r) { return r[2] === 'waitlisted'; }).length;
  sheet.appendRow([email, 'Naive', status, status === 'waitlisted' ? waiting + 1 : '', 'form', new Date(), new Date(), '', '', Utilities.getUuid()]);
  SpreadsheetApp.flush();
  return status;
}`;

describe('the cap holds under concurrency', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('100 simultaneous sign-ups for the last 40 seats: exactly 40 confirmed, 60 waitlisted 1..60', async () => {
    rt = await setUpRuntime({ capacity: 50 });
    for (let i = 0; i < 10; i++) jsonOf(await signUp(rt, `Early ${i}`, `early${i}@example.com`));
    const slow = new Runtime({ backend: rt.backend });
    rt.backend.opts.maxConcurrent = 100;
    Object.assign(rt.backend.opts, LATENCY);
    const emails = Array.from({ length: 100 }, (_, i) => `guest${i}@example.com`);
    const runs = await slow.runConcurrently(
      emails.map((email, i) => ({
        fn: 'doPost',
        args: [
          {
            parameter: { name: `Guest ${i}`, email, format: 'json' },
            parameters: {},
            contentLength: 0,
            queryString: '',
          },
        ],
        opts: { context: 'webapp' as const },
      })),
    );
    await slow.close();
    // They really overlapped (this test lifts Apps Script's 30 to 100), sharing transactions.
    const ran = (r: (typeof runs)[number]) => r.startedAt + r.queuedMs;
    const at = (t: number) => runs.filter((r) => ran(r) <= t && t < r.endedAt).length;
    expect(Math.max(...runs.map((r) => at(ran(r))))).toBe(100);
    expect(runs.reduce((n, r) => n + (r.callsInLock.flush ?? 0), 0)).toBeLessThan(20);
    const answers = runs.map(jsonOf);
    const rows = checkInvariants(rt, 50);
    const newRows = rows.filter((g) => g.email.startsWith('guest'));
    expect(newRows).toHaveLength(100);
    expect(newRows.filter((g) => g.status === 'confirmed')).toHaveLength(40);
    expect(
      newRows
        .filter((g) => g.status === 'waitlisted')
        .map((g) => g.position)
        .sort((a, b) => Number(a) - Number(b)),
    ).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // Every guest was told what their row says.
    const byEmail = new Map(rows.map((g) => [g.email, g]));
    answers.forEach((a, i) => {
      const row = byEmail.get(emails[i])!;
      expect(a.status).toBe(row.status);
      if (row.status === 'waitlisted') expect(a.position).toBe(row.position);
    });
    expect(summary(rt)).toMatchObject({ Confirmed: 50, Waitlisted: 60, 'Seats left': 0 });
    // Each got exactly one email, or (past the consumer quota of 100 a day) one queued in the Outbox.
    const mails = rt.backend.mail.filter((m) => m.to.startsWith('guest'));
    expect(new Set(mails.map((m) => m.to)).size).toBe(mails.length);
    expect(rt.backend.mail).toHaveLength(100);
    const queued = outboxRows(rt)
      .filter((o) => o.status === 'queued')
      .map((o) => o.to);
    expect(queued).toHaveLength(10);
    expect(new Set([...mails.map((m) => m.to), ...queued]).size).toBe(100);
  }, 120000);

  test('the same email sent 25 times at once makes one row', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    Object.assign(rt.backend.opts, LATENCY);
    const runs = await rt.runConcurrently(
      Array.from({ length: 25 }, () => ({
        fn: 'doPost',
        args: [{ parameter: { name: 'Ada', email: 'Ada@Example.com', format: 'json' }, parameters: {} }],
        opts: { context: 'webapp' as const },
      })),
    );
    const statuses = runs.map((r) => jsonOf(r).status).sort();
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'already-confirmed')).toHaveLength(24);
    expect(guests(rt)).toHaveLength(1);
    expect(rt.backend.mail).toHaveLength(1);
    checkInvariants(rt, 5);
  }, 60000);

  test('negative control: a naive claim without the lock oversells, and this harness sees it', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    Object.assign(rt.backend.opts, LATENCY);
    const naive = new Runtime({ backend: rt.backend, code: NAIVE_CLAIM + READ_TOGETHER });
    const runs = await naive.runConcurrently(
      Array.from({ length: 30 }, (_, i) => ({ fn: 'naiveClaim', args: [`n${i}@example.com`, 5, 30] })),
    );
    await naive.close();
    expect(runs.every((r) => r.ok)).toBe(true);
    await rt.run('recount', [], { context: 'editor' });
    const confirmed = guests(rt).filter((g) => g.status === 'confirmed').length;
    expect(confirmed).toBeGreaterThan(5);
    expect(() => checkInvariants(rt, 5)).toThrow();
  }, 60000);

  test.each(['discard', 'commit'] as const)(
    'a sign-up killed at any point loses no guest and leaves the lock free (unflushed writes: %s)',
    async (onKill) => {
      rt = await setUpRuntime({ capacity: 2, backend: { onKill } });
      // The calls of a sign-up like those of the sweep: the event full (each is waitlisted: a
      // confirmed one also reads the pass for its email), the caches filled (the form's copy of the
      // questions, which the first sign-up reads from the sheet).
      await signUp(rt, 'Warm', 'warm@example.com');
      await signUp(rt, 'Full', 'full@example.com');
      const clean = await signUp(rt, 'Probe', 'probe@example.com');
      const total = Object.values(clean.calls).reduce((a, b) => a + b, 0);
      for (let k = 1; k <= total; k++) {
        const r = await rt.run(
          'doPost',
          [{ parameter: { name: `K${k}`, email: `k${k}@example.com`, format: 'json' }, parameters: {} }],
          { context: 'webapp', killAfterCalls: k },
        );
        expect(r.killed).toBe(true);
        expect(rt.backend.lockHolder()).toBeNull();
        const row = guests(rt).find((g) => g.email === `k${k}@example.com`);
        // A guest row never exists without the email owed to it (the Outbox row is written first).
        if (row) expect(outboxRows(rt).some((o) => o.token === row.token)).toBe(true);
        // Dropped writes leave the sheet as it was; landed ones may leave the summary behind, and the
        // next transaction recomputes it from the rows.
        if (onKill === 'commit') await rt.run('recount', [], { context: 'editor' });
        checkInvariants(rt, 2);
      }
      // Whatever died, the drain later sends what was promised. (A run killed between sending an email
      // and recording it is the one case that can email someone twice: MailApp leaves no trace to check.)
      rt.backend.advanceTo(rt.backend.now() + 11 * 60e3);
      await rt.run('sendQueuedEmails', [], { context: 'trigger' });
      const byTo = new Map<string, number>();
      for (const m of rt.backend.mail) byTo.set(m.to, (byTo.get(m.to) ?? 0) + 1);
      for (const g of guests(rt)) expect(byTo.get(g.email) ?? 0).toBeGreaterThanOrEqual(1);
      expect(jsonOf(await signUp(rt, 'After', 'after@example.com')).status).toMatch(/confirmed|waitlisted/);
    },
    60000,
  );
  test('a cancel killed at any point, even half-written, then retried: one cancel email and one offer, the cap holds', async () => {
    const probe = await setUpRuntime({ capacity: 1 });
    await signUp(probe, 'Ada', 'ada@example.com');
    const cancel = (r: Runtime, opts = {}) =>
      r.run(
        'doPost',
        [{ parameter: { action: 'cancel', t: guests(r)[0].token, format: 'json' }, parameters: {} }],
        { context: 'webapp', ...opts },
      );
    const total = Object.values((await cancel(probe)).calls).reduce((a, b) => a + b, 0);
    await probe.close();
    let torn = 0;
    for (let k = 1; k <= total; k++) {
      rt = await setUpRuntime({ capacity: 1, backend: { onKill: 'commit' } });
      await signUp(rt, 'Ada', 'ada@example.com');
      await signUp(rt, 'Bo', 'bo@example.com');
      const before = rt.backend.mail.length;
      expect((await cancel(rt, { killAfterCalls: k })).killed).toBe(true);
      const byDead = rt.backend.mail.slice(before).map((m) => m.to);
      const sentByDead = (to: string) => byDead.filter((x) => x === to).length;
      const outbox = outboxRows(rt);
      // Half-written: the emails were queued but Ada's cancel did not land.
      if (outbox.some((o) => o.kind === 'cancelled') && guests(rt)[0].status === 'confirmed') torn++;
      // The guest tries again, and later the drain sends whatever is owed.
      expect(jsonOf(await cancel(rt)).status).toMatch(/^(cancelled|already-cancelled)$/);
      rt.backend.advanceTo(rt.backend.now() + 11 * 60e3);
      await rt.run('sendQueuedEmails', [], { context: 'trigger' });
      const where = `killed at call ${k} of ${total}`;
      expect([where, guests(rt).map((g) => g.status)]).toEqual([where, ['cancelled', 'offered']]);
      // Exactly one of each. Two only if the dead run sent one itself and died before recording it.
      const once = (to: string, subject: RegExp) => {
        const n = rt.backend.mail.slice(before).filter((m) => m.to === to && subject.test(m.subject)).length;
        return n === 1 || (n === 2 && sentByDead(to) > 0) ? 'once' : `${n} emails`;
      };
      expect([where, once('ada@example.com', /^You're cancelled/)]).toEqual([where, 'once']);
      expect([where, once('bo@example.com', /^A seat opened up/)]).toEqual([where, 'once']);
      await rt.run('recount', [], { context: 'editor' });
      checkInvariants(rt, 1);
      await rt.close();
    }
    // The sweep really hit the half-written case this guards against.
    expect(torn).toBeGreaterThan(0);
  }, 120000);
});

describe('a queued request whose requester died', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('is seated by the next transaction, and the guest is told by email, once', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    // Something holds the lock for a while (a long import, say): Ada's request queues, and her
    // execution dies while it waits (Google stopped it, or it ran out of time).
    const holder = new Runtime({
      backend: rt.backend,
      code: 'function hold(ms){ LockService.getScriptLock().waitLock(1000); Utilities.sleep(ms); }',
    });
    const t0 = rt.backend.now();
    const held = holder.run('hold', [8000], { at: t0 });
    const ada = rt.run(
      'doPost',
      [{ parameter: { name: 'Ada', email: 'ada@example.com', format: 'json' }, parameters: {} }],
      { context: 'webapp', at: t0 + 500, killAfterCalls: 25 },
    );
    expect((await ada).killed).toBe(true);
    await held;
    expect(Object.keys(rt.backend.documentProperties).some((k) => k.startsWith('rsvp.req.'))).toBe(true);
    expect(guests(rt)).toEqual([]);
    // The next sign-up leads a transaction: it takes Ada's request along.
    expect(jsonOf(await signUp(rt, 'Bo', 'bo@example.com')).status).toBe('confirmed');
    expect(guests(rt).map((g) => [g.email, g.status])).toEqual([
      ['ada@example.com', 'confirmed'],
      ['bo@example.com', 'confirmed'],
    ]);
    // Nobody was there to send Ada's email: the drain takes it over once it is orphaned.
    rt.backend.advanceTo(rt.backend.now() + 11 * 60e3);
    await rt.run('sendQueuedEmails', [], { context: 'trigger' });
    const toAda = rt.backend.mail.filter((m) => m.to === 'ada@example.com');
    expect(toAda.map((m) => m.subject)).toEqual([expect.stringMatching(/^You're in/)]);
    checkInvariants(rt, 5);
  });

  test('a request whose requester gave up ("busy") before any transaction took it is never seated', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    const holder = new Runtime({
      backend: rt.backend,
      code: 'function hold(ms){ LockService.getScriptLock().waitLock(1000); Utilities.sleep(ms); }',
    });
    const t0 = rt.backend.now();
    const held = holder.run('hold', [25000], { at: t0 });
    const ada = await rt.postForm(
      { name: 'Ada', email: 'ada@example.com', format: 'json' },
      { at: t0 + 500 },
    );
    expect(jsonOf(ada).status).toBe('busy');
    await held;
    expect(jsonOf(await signUp(rt, 'Bo', 'bo@example.com')).status).toBe('confirmed');
    await rt.run('sendQueuedEmails', [], { context: 'trigger' });
    expect(guests(rt).map((g) => g.email)).toEqual(['bo@example.com']);
    expect(rt.backend.mail.filter((m) => m.to === 'ada@example.com')).toEqual([]);
  });
});

/**
 * Parties (issue 15): a burst of mixed party sizes for the last seats. Seats, not rows, are capped:
 * confirmed + offered seats never pass the capacity, checked on every commit as it lands.
 */
describe('parties: the seat cap holds under concurrency', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  /** Seats held from the rows, as Google would show them at this instant. */
  const seatsHeld = (r: Runtime) =>
    sheetRecords(r, 'Guests')
      .filter((x) => x.Status === 'confirmed' || x.Status === 'offered')
      .reduce((n, x) => n + Number(x.Party || 1), 0);

  /** Sizes 1..4 from a seed (a tiny LCG: the same burst on every machine). */
  const sizes = (seed: number, n: number) => {
    let x = seed;
    return Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) % 2 ** 31), 1 + (x % 4)));
  };

  test.each([1, 2, 3])(
    'seed %i: 40 parties of 1-4 at once for the last 7 seats: never more than 10 seats held, every seat given that fits',
    async (seed) => {
      rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 4 }, backend: { seed } });
      await rt.postForm({ name: 'Early', email: 'early@example.com', party: '3', format: 'json' });
      rt.backend.opts.maxConcurrent = 40;
      Object.assign(rt.backend.opts, LATENCY);
      let worst = 0;
      rt.backend.onCommit = () => (worst = Math.max(worst, seatsHeld(rt)));
      const party = sizes(seed, 40);
      const runs = await rt.runConcurrently(
        party.map((p, i) => ({
          fn: 'doPost',
          args: [
            {
              parameter: { name: `P${i}`, email: `p${i}@example.com`, party: String(p), format: 'json' },
              parameters: {},
            },
          ],
          opts: { context: 'webapp' as const },
        })),
      );
      rt.backend.onCommit = null;
      expect(runs.every((r) => r.ok)).toBe(true);
      expect(worst).toBeLessThanOrEqual(10);
      const rows = checkInvariants(rt, 10);
      // Whole parties only, and none left waiting that would fit the seats still free.
      const free = 10 - seatsHeld(rt);
      const waiting = rows.filter((g) => g.status === 'waitlisted');
      expect(waiting.every((g) => g.party > free)).toBe(true);
      // Each row holds the party its guest asked for.
      for (const g of rows.filter((x) => /^p\d+@/.test(x.email)))
        expect([g.email, g.party]).toEqual([g.email, party[Number(g.email.slice(1).split('@')[0])]]);
    },
    60000,
  );

  test('negative control: the same burst claimed naively (rows read, no lock) passes the cap, and the same check sees it', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 4 } });
    const naive = new Runtime({ backend: rt.backend, code: NAIVE_PARTY + READ_TOGETHER });
    Object.assign(rt.backend.opts, LATENCY);
    // The same measure as above: seats held, after every commit.
    let worst = 0;
    rt.backend.onCommit = () => (worst = Math.max(worst, seatsHeld(rt)));
    const party = sizes(1, 30);
    await naive.runConcurrently(
      party.map((p, i) => ({ fn: 'naivePartyClaim', args: [`n${i}@example.com`, p, 10, 30] })),
    );
    rt.backend.onCommit = null;
    await naive.close();
    expect(worst).toBeGreaterThan(10);
  }, 60000);
});

/** The classic buggy claim with parties: read, sum the seats, append; no lock (see NAIVE_CLAIM). */
const NAIVE_PARTY = String.raw`
function naivePartyClaim(email, party, capacity, together) {
  var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Guests');
  var rows = readTogether(sheet, email, together);
  var held = 0;
  rows.forEach(function (r) { if (r[2] === 'confirmed') held += Number(r[10] || 1); });
  var status = held + party <= capacity ? 'confirmed' : 'waitlisted';
  sheet.appendRow([email, 'Naive', status, '', 'form', new Date(), new Date(), '', '', Utilities.getUuid(), party]);
  SpreadsheetApp.flush();
  return status;
}`;
