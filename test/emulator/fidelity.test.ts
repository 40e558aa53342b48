/**
 * The emulator's fidelity: each behaviour the product's correctness depends on, checked through
 * small fixture scripts run by the same loader and worker threads as the real bundle.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Backend, REALISTIC_LATENCY } from '../../emulator/backend';
import { Runtime } from '../../emulator/runtime';

const FIXTURE = String.raw`
function sheet_() {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  return ss.getSheetByName('Data') || ss.insertSheet('Data');
}
// Modelled time: the writer pauses (Utilities.sleep) and readers start at chosen moments.
function writeThenPause(v, pause) {
  sheet_().getRange('A1').setValue(v);
  Utilities.sleep(pause);
  SpreadsheetApp.flush();
  Utilities.sleep(pause);
}
function writeNoFlush(v, pause) {
  sheet_().getRange('A1').setValue(v);
  Utilities.sleep(pause || 0);
}
function readA1() { return sheet_().getRange('A1').getValue(); }
function installEditAndChange() {
  ScriptApp.newTrigger('seenEdit').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create();
  ScriptApp.newTrigger('seenChange').forSpreadsheet(SpreadsheetApp.getActive()).onChange().create();
}
function seenEdit(e) { PropertiesService.getScriptProperties().setProperty('edit', JSON.stringify(e.value || 'x')); }
function seenChange(e) { PropertiesService.getScriptProperties().setProperty('change', e.changeType); }
function flagCell() {
  var r = sheet_().getRange('B2');
  r.setNote('check me').setBackground('#F4C7C3');
  var both = sheet_().getRange('B2:B3');
  var out = [both.getBackgrounds(), both.getNotes()];
  r.setNote('').setBackground(null);
  return out.concat([r.getBackground(), r.getNote()]);
}
function seen() { var p = PropertiesService.getScriptProperties(); return [p.getProperty('edit'), p.getProperty('change')]; }
function sleepThenRead(ms) { Utilities.sleep(ms); return [readA1(), readA1()]; }
function writeAndReadOwn(v) { var r = sheet_().getRange('A1'); r.setValue(v); return r.getValue(); }
function holdLock(ms) {
  var lock = LockService.getScriptLock();
  lock.waitLock(10000);
  var t = Date.now();
  Utilities.sleep(ms);
  return { got: t, left: Date.now(), has: lock.hasLock() };
}
function holdLockAndReturn() { LockService.getScriptLock().waitLock(1000); return 'kept'; }
function tryShort(ms) {
  var lock = LockService.getScriptLock();
  var ok = lock.tryLock(ms);
  return { ok: ok, has: lock.hasLock() };
}
function waitShort(ms) {
  var lock = LockService.getScriptLock();
  try { lock.waitLock(ms); return 'got it'; } catch (e) { return { name: e.name, message: e.message, str: String(e), isError: e instanceof Error }; }
}
function releaseWithoutLock() { var l = LockService.getScriptLock(); l.releaseLock(); return l.hasLock(); }
function types() {
  var s = sheet_();
  s.getRange(1, 1, 1, 9).setValues([[42, true, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 'text', '', '=1+2', "'=1+2", '+cmd', '007']]);
  var v = s.getRange(1, 1, 1, 9).getValues()[0];
  return { v: v.map(function (x) { return x instanceof Date ? 'date:' + x.toISOString() : typeof x + ':' + x; }),
           f: s.getRange(1, 1, 1, 9).getFormulas()[0], empty: s.getRange('Z99').getValue() };
}
function badDims(rows, cols) {
  try { sheet_().getRange(1, 1, 2, 2).setValues(rows === 1 ? [[1, 2]] : [[1, 2, 3], [4, 5, 6]]); return 'no error'; }
  catch (e) { return e.message; }
}
function outside() { try { sheet_().getRange(1001, 1).getValue(); return 'no error'; } catch (e) { return e.message; } }
function sendMany(n) {
  var sent = 0;
  try { for (var i = 0; i < n; i++) { MailApp.sendEmail('g' + i + '@example.com', 'Hi', 'body'); sent++; } }
  catch (e) { return { sent: sent, error: e.message, left: MailApp.getRemainingDailyQuota() }; }
  return { sent: sent, left: MailApp.getRemainingDailyQuota() };
}
function sendTo(to) {
  try { MailApp.sendEmail(to, 'Hi', 'body'); } catch (e) { return { error: e.message, left: MailApp.getRemainingDailyQuota() }; }
  return { left: MailApp.getRemainingDailyQuota() };
}
function spin() { while (true) {} }
function sleepy(ms) { while (true) { Utilities.sleep(ms); } }
function counted() {
  var s = sheet_();
  s.getRange('A1:B2').getValues(); s.getRange('A1').setValue(1); SpreadsheetApp.flush();
  return true;
}
function unknownMethod() { return SpreadsheetApp.getActiveSpreadsheet().getBandings(); }
function nodeGlobals() { return [typeof require, typeof process, typeof Buffer, typeof setTimeout]; }
function echoEvent(e) { return e; }
function html() {
  var t = HtmlService.createTemplate('<p><?= name ?></p><p><?!= raw ?></p><? for (var i = 0; i < 2; i++) { ?><i><?= i ?></i><? } ?>');
  t.name = '<script>x</script>'; t.raw = '<b>ok</b>';
  return t.evaluate().setTitle('T').getContent();
}
function props() {
  var p = PropertiesService.getScriptProperties();
  p.setProperty('a', '1');
  try { p.setProperty('big', new Array(10000).join('x')); } catch (e) { return [p.getProperty('a'), e.message]; }
}
function fmt() {
  var d = new Date(Date.UTC(2026, 6, 1, 17, 30));
  return [Utilities.formatDate(d, 'America/New_York', "EEEE d MMMM yyyy 'at' HH:mm z"),
          Utilities.formatDate(d, 'Asia/Kolkata', 'yyyy-MM-dd HH:mm XXX')];
}
function realm() {
  var d = Utilities.parseDate('2026-01-02 03:04:05', 'UTC', 'yyyy-MM-dd HH:mm:ss');
  var v = SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1:B1').getValues();
  var digest = Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, 'x');
  var sheets = SpreadsheetApp.getActiveSpreadsheet().getSheets();
  return [d instanceof Date, v instanceof Array, v[0] instanceof Array, digest instanceof Array, sheets instanceof Array];
}
function clock() { return [Date.now(), new Date() instanceof Date, new Date(2020, 1, 1).getFullYear()]; }
function documentLockIsNull() { return LockService.getDocumentLock() === null; }
// 1,001 items, the k-th living 100 + k seconds: past 1,000 the cache keeps the 900 farthest from expiry.
function fillCache() {
  var c = CacheService.getScriptCache();
  var answers = [];
  for (var k = 0; k < 1001; k++) answers.push(c.put('k' + k, 'v', 100 + k));
  return { answers: answers.filter(function (a) { return a !== null; }).length, removed: c.remove('k1000'),
    first: c.get('k0'), lastDropped: c.get('k100'), firstKept: c.get('k101'), last: c.get('k999') };
}
function triggers() {
  ScriptApp.newTrigger('counted').timeBased().everyMinutes(5).create();
  return ScriptApp.getProjectTriggers().map(function (t) { return t.getHandlerFunction(); });
}
`;

describe('emulator fidelity', () => {
  let rt: Runtime;
  beforeEach(() => {
    rt = new Runtime({
      code: FIXTURE,
      backendOptions: { executionTimeLimitMs: 3000, mailQuotaPerDay: 5, latency: null },
    });
  });
  afterEach(() => rt.close());

  const t0 = () => rt.backend.now();

  test('the cache holds 1,000 items; past that the 900 farthest from expiry stay; put and remove answer null', async () => {
    const r = await rt.run('fillCache');
    expect(r.result).toEqual({
      answers: 0,
      removed: null,
      first: null,
      lastDropped: null,
      firstKept: 'v',
      last: 'v',
    });
    expect(rt.backend.cache.size).toBe(899);
  });

  test('getDocumentLock() is null in a web app, a lock elsewhere (LockService reference)', async () => {
    expect((await rt.run('documentLockIsNull', [], { context: 'webapp' })).result).toBe(true);
    expect((await rt.run('documentLockIsNull', [], { context: 'editor' })).result).toBe(false);
    expect((await rt.run('documentLockIsNull', [], { context: 'trigger' })).result).toBe(false);
  });

  test("text written to a cell is read by the spreadsheet's locale, and an impossible date stays text", () => {
    const read = (locale: 'en_US' | 'en_GB', text: string) => {
      const b = new Backend({ locale, timeZone: 'UTC' });
      b.hostEdit('Sheet1', 'A1', [[text]]);
      const v = b.sheetRaw('Sheet1')[0][0];
      return v instanceof Date ? v.toISOString() : v;
    };
    expect(read('en_US', '7/12/2026')).toBe('2026-07-12T00:00:00.000Z');
    expect(read('en_GB', '7/12/2026')).toBe('2026-12-07T00:00:00.000Z');
    expect(read('en_GB', '31/12/2026 19:00')).toBe('2026-12-31T19:00:00.000Z');
    // Never rolled over into another month or year.
    expect(read('en_US', '31/12/2026 19:00')).toBe('31/12/2026 19:00');
    expect(read('en_US', '19/12/2026 19:00')).toBe('19/12/2026 19:00');
    expect(read('en_GB', '12/31/2026')).toBe('12/31/2026');
    expect(read('en_GB', '2026-02-30')).toBe('2026-02-30');
    expect(read('en_US', '2026-12-24 25:00')).toBe('2026-12-24 25:00');
    expect(read('en_GB', '2026-12-24 18:00')).toBe('2026-12-24T18:00:00.000Z');
  });

  test('a negative lock timeout is refused (unsettled on Google: the stricter choice)', async () => {
    expect(await rt.run('waitShort', [-1])).toMatchObject({
      ok: true,
      result: { message: 'Invalid argument: timeoutInMillis' },
    });
    const r = await rt.run('tryShort', [-5]);
    expect(r.ok).toBe(false);
    expect(r.error?.message).toBe('Invalid argument: timeoutInMillis');
  });

  test('writes are invisible to other executions until flush', async () => {
    await rt.run('writeAndReadOwn', ['old']);
    const start = t0();
    const [, early, late] = await Promise.all([
      rt.run('writeThenPause', ['new', 1000], { at: start }),
      rt.run('readA1', [], { at: start + 500 }), // buffered in the writer
      rt.run('readA1', [], { at: start + 1500 }), // flushed, while the writer still runs
    ]);
    expect([early.result, late.result]).toEqual(['old', 'new']);
  });

  test("an execution's own read sees its writes; writes commit when the execution ends", async () => {
    expect((await rt.run('writeAndReadOwn', ['mine'])).result).toBe('mine');
    const start = t0();
    const [, during] = await Promise.all([
      rt.run('writeNoFlush', ['late', 1000], { at: start }),
      rt.run('readA1', [], { at: start + 500 }),
    ]);
    expect(during.result).toBe('mine');
    expect((await rt.run('readA1')).result).toBe('late');
  });

  test('the script lock is one mutex across concurrent executions', async () => {
    const runs = await rt.runConcurrently(Array.from({ length: 4 }, () => ({ fn: 'holdLock', args: [150] })));
    const spans = runs
      .map((r) => r.result as { got: number; left: number; has: boolean })
      .sort((a, b) => a.got - b.got);
    for (let i = 1; i < spans.length; i++) expect(spans[i].got).toBeGreaterThanOrEqual(spans[i - 1].left);
    expect(spans.every((s) => s.has)).toBe(true);
  });

  test("waitLock past its timeout throws Apps Script's error; tryLock returns false", async () => {
    const start = t0();
    const holder = rt.run('holdLock', [600], { at: start });
    const [waited, tried] = await Promise.all([
      rt.run('waitShort', [100], { at: start + 10 }),
      rt.run('tryShort', [50], { at: start + 10 }),
    ]);
    expect(waited.result).toEqual({
      name: 'Exception',
      message: 'Lock timeout: another process was holding the lock for too long.',
      str: 'Exception: Lock timeout: another process was holding the lock for too long.',
      isError: true,
    });
    expect(tried.result).toEqual({ ok: false, has: false });
    await holder;
    expect((await rt.run('releaseWithoutLock')).result).toBe(false);
  });

  test('a lock still held when an execution ends is released', async () => {
    expect((await rt.run('holdLockAndReturn')).result).toBe('kept');
    expect(rt.backend.lockHolder()).toBeNull();
    expect((await rt.run('tryShort', [0])).result).toEqual({ ok: true, has: true });
  });

  test("cell values keep Apps Script's types; '=' makes a formula; an apostrophe forces text", async () => {
    const r = await rt.run('types');
    const out = r.result as { v: string[]; f: string[]; empty: unknown };
    expect(out.v).toEqual([
      'number:42',
      'boolean:true',
      'date:2026-01-02T03:04:05.000Z',
      'string:text',
      'string:',
      'number:3',
      'string:=1+2',
      'string:#NAME?',
      'number:7',
    ]);
    expect(out.f).toEqual(['', '', '', '', '', '=1+2', '', '=+cmd', '']);
    expect(out.empty).toBe('');
  });

  test("setValues with the wrong dimensions throws Apps Script's error", async () => {
    expect((await rt.run('badDims', [1])).result).toBe(
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
    );
    expect((await rt.run('badDims', [2])).result).toBe(
      'The number of columns in the data does not match the number of columns in the range. The data has 3 but the range has 2.',
    );
    expect((await rt.run('outside')).result).toBe(
      'The coordinates of the range are outside the dimensions of the sheet.',
    );
  });

  test('the daily mail quota fails with Apps Script’s text and getRemainingDailyQuota reflects it', async () => {
    const r = await rt.run('sendMany', [8]);
    expect(r.result).toEqual({
      sent: 5,
      error: 'Service invoked too many times for one day: email.',
      left: 0,
    });
    expect(rt.backend.mail).toHaveLength(5);
  });

  test('a comma-separated "to" counts one recipient per address against the daily quota', async () => {
    expect((await rt.run('sendTo', ['a@example.com, b@example.com'])).result).toEqual({ left: 3 });
    // What an unchecked quoted local part turns into once unquoted: a list.
    expect((await rt.run('sendTo', ['victim@x.com,attacker@example.com'])).result).toEqual({ left: 1 });
    expect((await rt.run('sendTo', ['c@example.com,d@example.com'])).result).toEqual({
      error: 'Service invoked too many times for one day: email.',
      left: 1,
    });
    expect(rt.backend.mail.map((m) => m.to)).toEqual([
      'a@example.com, b@example.com',
      'victim@x.com,attacker@example.com',
    ]);
  });

  test('the execution time limit ends a busy loop and a sleeping loop with Apps Script’s text', async () => {
    const start = t0();
    const b = await rt.run('sleepy', [200]);
    // A loop that never calls a service cannot be timed in modelled time: a real-time net stops it.
    rt.backend.opts.realTimeLimitMs = 300;
    const a = await rt.run('spin');
    for (const r of [a, b]) {
      expect(r.ok).toBe(false);
      expect(r.error?.message).toBe('Exceeded maximum execution time');
    }
    // The sleeping loop ran to its modelled deadline (3 s here), not a moment more.
    expect(b.modelledMs).toBe(3000);
    expect(rt.backend.now() - start).toBeGreaterThanOrEqual(3000);
  });

  test('service calls are counted per execution, and the latency model charges them', async () => {
    const plain = await rt.run('counted');
    expect(plain.calls['range.getValues']).toBe(1);
    expect(plain.calls['range.setValue']).toBe(1);
    expect(plain.calls.flush).toBe(1);
    expect(plain.modelledMs).toBe(0);
    const slow = new Runtime({ code: FIXTURE, backendOptions: { latency: REALISTIC_LATENCY } });
    const before = slow.backend.now();
    const r = await slow.run('counted');
    await slow.close();
    expect(r.modelledMs).toBeGreaterThan(150);
    // Modelled, not slept: the clock moved by the execution's modelled time.
    expect(slow.backend.now() - before).toBe(r.modelledMs);
  });

  test('unemulated methods and Node globals fail loudly', async () => {
    const r = await rt.run('unknownMethod');
    expect(r.error?.message).toBe('not emulated: Spreadsheet.getBandings');
    expect((await rt.run('nodeGlobals')).result).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  test('web events are shaped as Apps Script’s', async () => {
    const get = await rt.run('echoEvent', [
      (await import('../../emulator/runtime')).webEvent('GET', { a: ['1', '2'] }),
    ]);
    expect(get.result).toEqual({
      queryString: 'a=1&a=2',
      parameter: { a: '1' },
      parameters: { a: ['1', '2'] },
      contextPath: '',
      contentLength: -1,
    });
    const post = (await import('../../emulator/runtime')).webEvent(
      'POST',
      {},
      {
        type: 'application/x-www-form-urlencoded',
        contents: 'name=A+B&email=x%40y.z',
      },
    );
    expect(post.parameter).toEqual({ name: 'A B', email: 'x@y.z' });
    expect(post.postData).toEqual({
      length: 22,
      type: 'application/x-www-form-urlencoded',
      contents: 'name=A+B&email=x%40y.z',
      name: 'postData',
    });
  });

  test('templates escape <?= ?>, print <?!= ?> raw and run <? ?> code', async () => {
    expect((await rt.run('html')).result).toBe(
      '<p>&#60;script&#62;x&#60;/script&#62;</p><p><b>ok</b></p><i>0</i><i>1</i>',
    );
  });

  test('values from services belong to the script realm (instanceof works)', async () => {
    expect((await rt.run('realm')).result).toEqual([true, true, true, true, true]);
  });

  test("the script's clock follows the backend's clock", async () => {
    const later = rt.backend.now() + 86400e3;
    rt.backend.advanceTo(later);
    const r = await rt.run('clock');
    expect(r.result).toEqual([later, true, 2020]);
  });

  test('properties, dates and triggers behave as documented', async () => {
    expect((await rt.run('props')).result).toEqual(['1', 'Argument too large: value']);
    expect((await rt.run('fmt')).result).toEqual([
      'Wednesday 1 July 2026 at 13:30 EDT',
      '2026-07-01 23:00 +05:30',
    ]);
    expect((await rt.run('triggers')).result).toEqual(['counted']);
    const due = await rt.runDueTriggers(rt.backend.now() + 6 * 60e3);
    expect(due.map((d) => d.fn)).toEqual(['counted']);
  });

  test('a script side woken with no reply waits on; each call still gets its own reply', async () => {
    // Real time here: the point is a worker really blocked in Atomics.wait while being woken.
    await rt.close();
    rt = new Runtime({ code: FIXTURE, backendOptions: { clock: 'real' } });
    await rt.run('writeAndReadOwn', ['kept']);
    const run = rt.run('sleepThenRead', [600]);
    let woken = 0;
    let settled = false;
    void run.then(() => (settled = true));
    while (!settled) {
      woken += rt.wakeWithoutReply();
      await new Promise((r) => setTimeout(r, 20));
    }
    const r = await run;
    expect(r.error).toBeUndefined();
    expect(r.result).toEqual(['kept', 'kept']);
    // The wake-ups really reached a waiting execution (the harness can tell).
    expect(woken).toBeGreaterThan(0);
    expect(r.emptyWakes).toBeGreaterThan(0);
  });

  test('notes and backgrounds: set, read back as Google gives them (lower-case hex, white by default), cleared', async () => {
    expect((await rt.run('flagCell')).result).toEqual([
      [['#f4c7c3'], ['#ffffff']],
      [['check me'], ['']],
      '#ffffff',
      '',
    ]);
  });

  test('a host deleting a row fires installed change triggers (changeType REMOVE_ROW), no edit trigger', async () => {
    await rt.run('writeAndReadOwn', ['x']);
    await rt.run('installEditAndChange', [], { context: 'editor' });
    rt.backend.hostEdit('Data', 'A2:A3', [['b'], ['c']]);
    await rt.hostDeleteRows('Data', 2, 1);
    expect((await rt.run('seen')).result).toEqual([null, 'REMOVE_ROW']);
    expect(rt.backend.sheetValues('Data').map((r) => r[0])).toEqual(['x', 'c']);
  });

  test('an execution killed half-way loses its unflushed writes and releases its lock', async () => {
    const r = await rt.run('writeNoFlush', ['doomed'], { killAfterCalls: 6 });
    expect(r.killed).toBe(true);
    expect((await rt.run('readA1')).result).toBe('');
    const l = await rt.run('holdLock', [5000], { killAfterCalls: 2 });
    expect(l.killed).toBe(true);
    expect(rt.backend.lockHolder()).toBeNull();
  });
});

describe('persistence', () => {
  test('state survives a restart and is written atomically', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rsvp-'));
    const file = path.join(dir, 'state.json');
    const a = new Backend({ dataFile: file });
    a.hostEdit('Sheet1', 'A1:B1', [['x', 5]]);
    a.saveNow();
    expect(fs.readdirSync(dir)).toEqual(['state.json']); // no temp file left behind
    const b = new Backend({ dataFile: file });
    expect(b.sheetRaw('Sheet1')).toEqual([['x', 5]]);
  });
});

const GMAIL_FIXTURE = String.raw`
function search(q) { return GmailApp.search(q, 0, 500).map(function (t) { return t.getId(); }); }
function answer(how, id) {
  if (how === 'thread') GmailApp.getThreadById(id).reply('thread answer', { replyTo: 'host+rsvp@example.com' });
  else GmailApp.getMessageById(id).reply('message answer', { replyTo: 'host+rsvp@example.com' });
}
function read(id) {
  var m = GmailApp.getMessageById(id);
  return [m.getPlainBody(), m.getHeader('Authentication-Results'), m.getHeader('X-Missing'), m.getRawContent().split('\r\n\r\n')[0]];
}
function labelAll(ids) {
  var l = GmailApp.getUserLabelByName('RSVP/handled') || GmailApp.createLabel('RSVP/handled');
  l.addToThreads(ids.map(function (id) { return GmailApp.getThreadById(id); }));
  return search('label:RSVP/handled').length;
}
function slowCalls(n) {
  var t = Date.now();
  for (var i = 0; i < n; i++) GmailApp.search('to:nobody', 0, 1);
  return Date.now() - t;
}
`;

describe('emulator fidelity: Gmail', () => {
  let rt: Runtime;
  beforeEach(() => {
    rt = new Runtime({ code: GMAIL_FIXTURE });
  });
  afterEach(() => rt.close());

  test('search: to:, after:/before: with epoch seconds or dates, newest thread first', async () => {
    const t0 = Date.UTC(2026, 10, 20, 12);
    const a = rt.backend.deliverMail({
      from: 'a@example.com',
      to: 'host+rsvp@example.com',
      subject: 's',
      plainBody: 'x',
      date: t0,
    });
    const b = rt.backend.deliverMail({
      from: 'b@example.com',
      to: 'host@example.com',
      subject: 's',
      plainBody: 'x',
      date: t0 + 60e3,
    });
    const c = rt.backend.deliverMail({
      from: 'c@example.com',
      to: 'Host <host+rsvp@example.com>',
      subject: 's',
      plainBody: 'x',
      date: t0 + 120e3,
    });
    const run = async (q: string) => (await rt.run('search', [q])).result;
    expect(await run('to:host+rsvp@example.com')).toEqual([c.threadId, a.threadId]);
    expect(await run(`to:host+rsvp@example.com after:${t0 / 1000 + 1}`)).toEqual([c.threadId]);
    expect(await run(`before:${(t0 + 90e3) / 1000}`)).toEqual([b.threadId, a.threadId]);
    expect(await run('after:2026/11/21')).toEqual([]);
    // Terms match one message, not the thread as a whole: our later answer in a's thread (to the guest)
    // does not make the thread a new match for mail to the reply address.
    rt.backend.deliverMail(
      {
        from: 'host@example.com',
        to: 'a@example.com',
        subject: 'Re: s',
        plainBody: 'y',
        date: t0 + 300e3,
        sent: true,
      },
      { threadId: a.threadId },
    );
    expect(await run(`to:host+rsvp@example.com after:${(t0 + 200e3) / 1000}`)).toEqual([]);
    expect(await run(`after:${(t0 + 200e3) / 1000}`)).toEqual([a.threadId]);
    expect(await run('after:2026/11/20')).toEqual([a.threadId, c.threadId, b.threadId]);
  });

  test("a message's reply goes to its sender; a thread's reply to the last message, even the owner's own", async () => {
    const m = rt.backend.deliverMail({
      from: 'Ada <ada@example.com>',
      to: 'host+rsvp@example.com',
      subject: 'Re: invite',
      plainBody: 'yes',
    });
    await rt.run('answer', ['message', m.id]);
    expect(rt.backend.mail.at(-1)).toMatchObject({
      to: 'Ada <ada@example.com>',
      subject: 'Re: invite',
      threadId: m.threadId,
      replyTo: 'host+rsvp@example.com',
    });
    await rt.run('answer', ['thread', m.threadId]);
    expect(rt.backend.mail.at(-1)?.to).toContain('host@example.com');
  });

  test('HTML-only mail: the plain body is the text without tags; repeated headers: getHeader gives the topmost', async () => {
    const m = rt.backend.deliverMail({
      from: 'a@example.com',
      subject: 's',
      plainBody: '',
      htmlBody: '<div>Yes!</div><blockquote>On Mon wrote:<br>&gt; invite</blockquote>',
      headers: { 'Authentication-Results': ['mx.google.com; dmarc=fail', 'mx.google.com; dmarc=pass'] },
    });
    const [plain, auth, missing, head] = (await rt.run('read', [m.id])).result as string[];
    expect(plain).toBe('Yes!\nOn Mon wrote:\n> invite');
    expect(auth).toBe('mx.google.com; dmarc=fail');
    expect(missing).toBe('');
    expect(head.match(/^Authentication-Results: .*$/gm)).toEqual([
      'Authentication-Results: mx.google.com; dmarc=fail',
      'Authentication-Results: mx.google.com; dmarc=pass',
    ]);
  });

  test('labels: addToThreads, and search by label', async () => {
    const ids = [1, 2].map(
      (i) => rt.backend.deliverMail({ from: `g${i}@example.com`, subject: 's', plainBody: 'x' }).threadId,
    );
    expect((await rt.run('labelAll', [ids])).result).toBe(2);
  });

  test("real clock, latencyScale < 1: the script's clock still counts the full modelled time (and so does the 6-minute limit)", async () => {
    await rt.close();
    rt = new Runtime({ code: GMAIL_FIXTURE, backendOptions: { clock: 'real' } });
    Object.assign(rt.backend.opts, { latency: REALISTIC_LATENCY, latencyScale: 0.01 });
    const r = await rt.run('slowCalls', [20]);
    // 20 searches at 300 ms modelled: the script sees about 6 s pass, while the test waited about 60 ms.
    expect(r.result as number).toBeGreaterThanOrEqual(20 * 300 * 0.99 - 300);
    rt.backend.opts.executionTimeLimitMs = 3000;
    const over = await rt.run('slowCalls', [20]);
    expect(over.error?.message).toBe('Exceeded maximum execution time');
  });
});

describe('emulator fidelity: OAuth scopes', () => {
  test("a call whose scope the manifest lacks fails as on Google; the product's manifest covers every call it makes", async () => {
    const manifest = JSON.stringify({
      oauthScopes: ['https://www.googleapis.com/auth/spreadsheets.currentonly'],
    });
    const rt = new Runtime({ code: GMAIL_FIXTURE, files: { 'appsscript.json': manifest } });
    try {
      const r = await rt.run('search', ['to:x']);
      expect(r.error?.message).toMatch(
        /^You do not have permission to call GmailApp .*Required permissions: https:\/\/mail\.google\.com\/$/,
      );
    } finally {
      await rt.close();
    }
    const product = JSON.parse(fs.readFileSync(path.join(__dirname, '../../appsscript.json'), 'utf8'));
    expect(product.oauthScopes).toEqual(
      expect.arrayContaining(['https://mail.google.com/', 'https://www.googleapis.com/auth/userinfo.email']),
    );
  });
});
