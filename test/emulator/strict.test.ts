/**
 * The runtime is as strict as Google where the product's correctness depends on it, and a run is
 * a seeded simulation in modelled time. Each test runs small fixture scripts through the same
 * loader and worker threads as the bundle. Error texts: ../shared/APPS-SCRIPT-FACTS.md (and the
 * notes beside ERR in emulator/backend/errors.ts where no source pins them down).
 */
import { Backend, BackendOptions, ERR } from '../../emulator/backend';
import { ExecutionResult, Runtime } from '../../emulator/runtime';

const FIXTURE = String.raw`
function locks(n, pause) {
  var lock = LockService.getScriptLock();
  try {
    for (var i = 0; i < n; i++) { lock.tryLock(0); lock.releaseLock(); if (pause) Utilities.sleep(pause); }
    return 'ok';
  } catch (e) { return { at: i, message: e.message }; }
}
function hold(ms) { Utilities.sleep(ms); return Date.now(); }
function append(tag) {
  var s = SpreadsheetApp.getActiveSpreadsheet();
  var sh = s.getSheetByName('Order') || s.insertSheet('Order');
  sh.appendRow([tag, Math.random(), Utilities.getUuid()]);
  SpreadsheetApp.flush();
  return tag;
}
function write(v) { SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1').setValue(v); return 'written'; }
function bigCell(n) {
  try { SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1').setValue(new Array(n + 1).join('x')); SpreadsheetApp.flush(); return 'ok'; }
  catch (e) { return e.message; }
}
function manyRows(n) {
  try { SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].insertRowsAfter(1, n); SpreadsheetApp.flush(); return 'ok'; }
  catch (e) { return e.message; }
}
function prop(chars, ch) {
  try { PropertiesService.getScriptProperties().setProperty('k', new Array(chars + 1).join(ch)); return 'ok'; }
  catch (e) { return e.message; }
}
function props(n) {
  var p = PropertiesService.getScriptProperties();
  try { for (var i = 0; i < n; i++) p.getProperty('k'); return 'ok'; } catch (e) { return { at: i, message: e.message }; }
}
function cachePut(chars, ch) {
  try { CacheService.getScriptCache().put('k', new Array(chars + 1).join(ch)); return 'ok'; }
  catch (e) { return e.message; }
}
function cacheRoundTrip(n) {
  var c = CacheService.getScriptCache(), kept = 0;
  for (var i = 0; i < n; i++) { c.put('k' + i, 'v'); if (c.get('k' + i) === 'v') kept++; }
  return kept;
}
function mail(to, size) {
  try { MailApp.sendEmail(to, 'Hi', new Array((size || 1) + 1).join('x')); return MailApp.getRemainingDailyQuota(); }
  catch (e) { return e.message; }
}
function onEdit(e) {
  var seen = { value: e.value, hasValue: 'value' in e, hasOld: 'oldValue' in e, oldValue: e.oldValue, authMode: e.authMode };
  try { MailApp.sendEmail('x@example.com', 'from onEdit', 'b'); seen.mail = 'sent'; } catch (err) { seen.mail = err.message; }
  CacheService.getScriptCache().put('edit:' + e.range.getA1Notation(), JSON.stringify(seen));
}
function installedEdit(e) {
  try { MailApp.sendEmail('y@example.com', 'from the installed trigger', 'b'); CacheService.getScriptCache().put('installed', 'sent'); }
  catch (err) { CacheService.getScriptCache().put('installed', err.message); }
}
function install() { ScriptApp.newTrigger('installedEdit').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create(); }
function tick() { return 'tick'; }
function every5() { ScriptApp.newTrigger('tick').timeBased().everyMinutes(5).create(); }
function search(q) { return GmailApp.search(q, 0, 10).length; }
`;

const runtime = (opts: BackendOptions = {}) => new Runtime({ code: FIXTURE, backendOptions: opts });
const cached = (rt: Runtime, key: string) => rt.backend.cache.get(key)?.value;

describe('the virtual clock: modelled time, seeded interleavings', () => {
  test('the same seed gives the same interleaving; another seed another one; nothing sleeps for real', async () => {
    const order = async (seed: number) => {
      const rt = runtime({ seed, startAt: Date.UTC(2026, 0, 1) });
      await rt.runConcurrently(Array.from({ length: 12 }, (_, i) => ({ fn: 'append', args: [`e${i}`] })));
      const rows = rt.backend.sheetRaw('Order');
      await rt.close();
      return {
        order: rows.map((r) => r[0]).join(','),
        random: rows.map((r) => r[1]),
        uuid: rows.map((r) => r[2]),
      };
    };
    const a = await order(11);
    expect(await order(11)).toEqual(a);
    const others = await Promise.all([12, 13, 14].map(order));
    expect(others.some((o) => o.order !== a.order)).toBe(true);
    expect(others.every((o) => o.uuid.join() !== a.uuid.join())).toBe(true);
  });

  test('five minutes of Utilities.sleep pass in modelled time, and six stop the execution', async () => {
    const rt = runtime({ latency: null });
    const before = rt.backend.now();
    const r = await rt.run('hold', [5 * 60e3]);
    expect(r.result).toBe(before + 5 * 60e3);
    expect(r.modelledMs).toBe(5 * 60e3);
    const over = await rt.run('hold', [6 * 60e3 + 1]);
    expect(over.error?.message).toBe(ERR.timeLimit);
    expect(over.modelledMs).toBe(6 * 60e3);
    await rt.close();
  });
});

describe('LockService has a rate limit', () => {
  test("too many lock operations at once fail with Google's text; spread out, the same number pass", async () => {
    const rt = runtime({ latency: null, lockRateMax: 10, lockRateWindowMs: 1000 });
    expect((await rt.run('locks', [8])).result).toEqual({ at: 5, message: ERR.lockRate });
    rt.backend.advanceTo(rt.backend.now() + 1000);
    expect((await rt.run('locks', [8, 300])).result).toBe('ok');
    await rt.close();
  });
});

describe('at most 30 executions at once', () => {
  const burst = (rt: Runtime, n: number) =>
    rt.runConcurrently(
      Array.from({ length: n }, () => ({ fn: 'hold', args: [1000], opts: { at: rt.backend.now() } })),
    );

  test('past 30, Google refuses (overflow: refuse)', async () => {
    const rt = runtime({ overflow: 'refuse' });
    const runs = await burst(rt, 35);
    const refused = runs.filter((r) => r.refused);
    expect(refused).toHaveLength(5);
    expect(refused[0].error?.message).toBe(ERR.tooManyExecutions);
    expect(runs.filter((r) => r.ok)).toHaveLength(30);
    await rt.close();
  });

  test('or waits for a slot (overflow: queue), and the wait counts against its 6 minutes', async () => {
    const rt = runtime({ overflow: 'queue', executionTimeLimitMs: 1500 });
    const runs = await burst(rt, 35);
    const late = runs.filter((r) => r.queuedMs > 0);
    expect(late).toHaveLength(5);
    // Queued about a second, each had half a second left: a one-second sleep runs out of time.
    for (const r of late) expect(r.error?.message).toBe(ERR.timeLimit);
    await rt.close();
  });

  test('a bounded queue refuses past its length', async () => {
    const rt = runtime({ overflow: 'queue', queueLimit: 3 });
    const runs = await burst(rt, 35);
    expect(runs.filter((r) => r.queuedMs > 0)).toHaveLength(3);
    expect(runs.filter((r) => r.refused)).toHaveLength(2);
    await rt.close();
  });
});

describe('edit triggers as Google fires them', () => {
  let rt: Runtime;
  beforeEach(async () => {
    rt = runtime();
    await rt.run('write', ['before']);
    await rt.run('install', [], { context: 'editor' });
  });
  afterEach(() => rt.close());

  test('a typed edit: value (a string) and oldValue; the simple trigger may not send mail, the installed one may', async () => {
    const sheet = rt.backend.ss.sheets[0].name;
    await rt.hostEdit(sheet, 'A1', [[42]]);
    expect(JSON.parse(cached(rt, 'edit:A1')!)).toMatchObject({
      value: '42',
      oldValue: 'before',
      authMode: 'LIMITED',
      mail: expect.stringMatching(/^You do not have permission to call MailApp/),
    });
    expect(cached(rt, 'installed')).toBe('sent');
    expect(rt.backend.mail.map((m) => m.subject)).toEqual(['from the installed trigger']);
  });

  test('a paste or a multi-cell edit: no value, no oldValue', async () => {
    const sheet = rt.backend.ss.sheets[0].name;
    await rt.hostEdit(sheet, 'B2', [['pasted']], { paste: true });
    expect(JSON.parse(cached(rt, 'edit:B2')!)).toMatchObject({ hasValue: false, hasOld: false });
    await rt.hostEdit(sheet, 'C3:D3', [['x', 'y']]);
    expect(JSON.parse(cached(rt, 'edit:C3:D3')!)).toMatchObject({ hasValue: false, hasOld: false });
  });

  test("a script's own writes fire no edit trigger", async () => {
    const before = rt.backend.finished.length;
    await rt.run('write', ['by the script']);
    expect(rt.backend.finished.slice(before).map((e) => e.fn)).toEqual(['write']);
  });
});

describe('sizes and quotas', () => {
  test('50,000 characters in a cell, 10 million cells in a spreadsheet', async () => {
    const rt = runtime();
    expect((await rt.run('bigCell', [50000])).result).toBe('ok');
    expect((await rt.run('bigCell', [50001])).result).toBe(
      'Your input contains more than the maximum of 50000 characters in a single cell.',
    );
    expect((await rt.run('manyRows', [500000])).result).toBe(
      'This action would increase the number of cells in the workbook above the limit of 10000000 cells.',
    );
    await rt.close();
  });

  test('property and cache limits are in bytes, not characters', async () => {
    const rt = runtime();
    expect((await rt.run('prop', [9000, 'x'])).result).toBe('ok');
    // 5,000 characters of "é" are 10,000 bytes: over the 9 KB a value may hold.
    expect((await rt.run('prop', [5000, 'é'])).result).toBe('Argument too large: value');
    expect((await rt.run('cachePut', [60000, 'x'])).result).toBe('ok');
    expect((await rt.run('cachePut', [60000, 'é'])).result).toBe('Argument too large: value');
    await rt.close();
  });

  test('property reads and writes per day run out', async () => {
    const rt = runtime({ propertyOpsPerDay: 20 });
    expect((await rt.run('props', [30])).result).toEqual({ at: 20, message: ERR.propsQuota });
    await rt.close();
  });

  test('the cache is best effort: entries vanish early, as the seed decides', async () => {
    const kept = async (seed: number) => {
      const rt = runtime({ seed, cacheEviction: 0.3 });
      const n = (await rt.run('cacheRoundTrip', [50])).result as number;
      await rt.close();
      return n;
    };
    const a = await kept(5);
    expect(a).toBeLessThan(50);
    expect(a).toBeGreaterThan(20);
    expect(await kept(5)).toBe(a);
  });

  test('trigger run time per day runs out, then triggers fail at start', async () => {
    const rt = runtime({ triggerMsPerDay: 60e3 });
    await rt.run('every5', [], { context: 'editor' });
    await rt.run('hold', [61e3], { context: 'trigger' });
    const [r] = (await rt.runDueTriggers(rt.backend.now() + 5 * 60e3)) as ExecutionResult[];
    expect(r.error?.message).toBe(ERR.triggerTime);
    await rt.close();
  });

  test('a mail body is at most 200 KB; each address of a comma list is a recipient', async () => {
    const rt = runtime({ mailQuotaPerDay: 10 });
    expect((await rt.run('mail', ['a@example.com', 200 * 1024 + 1])).result).toBe(
      'Limit Exceeded: Email Body Size.',
    );
    expect((await rt.run('mail', ['a@example.com, b@example.com,c@example.com'])).result).toBe(7);
    await rt.close();
  });

  test('Gmail search matches whole address tokens', async () => {
    const rt = runtime();
    rt.backend.deliverMail({ from: 'g@example.com', to: 'norsvp@example.com', subject: 's', plainBody: 'x' });
    rt.backend.deliverMail({
      from: 'g@example.com',
      to: 'Host <rsvp@example.com>',
      subject: 's',
      plainBody: 'x',
    });
    expect((await rt.run('search', ['to:rsvp@example.com'])).result).toBe(1);
    expect((await rt.run('search', ['to:example.com'])).result).toBe(2);
    await rt.close();
  });
});

describe('the backend on its own', () => {
  test('the virtual clock refuses a now() option (time moves with advanceTo)', () => {
    expect(() => new Backend({ now: () => 0 })).toThrow(/advanceTo/);
  });
});
