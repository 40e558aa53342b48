/**
 * Fidelity of what the deployment check (issue 14) needs from the emulator: UrlFetchApp, the
 * authorization info, and the options that model answers only a real account gives. Each default
 * behaves as Google documents; each option changes exactly what it names.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackendOptions } from '../../emulator/backend';
import { Runtime } from '../../emulator/runtime';
import { REQUIRED_SCOPES } from '../../src/core/checks';

const URL = 'https://script.google.com/macros/s/abc/exec';
const MANIFEST = fs.readFileSync(path.join(__dirname, '../../appsscript.json'), 'utf8');

const FIXTURE = String.raw`
function doGet(e) {
  if (e.parameter.fail) throw new Error('broken page');
  var p = PropertiesService.getScriptProperties();
  p.setProperty('gets', String(Number(p.getProperty('gets') || 0) + 1));
  return ContentService.createTextOutput(JSON.stringify({ hello: e.parameter.who || '' })).setMimeType(ContentService.MimeType.JSON);
}
function fetch(url, mute) {
  try {
    var r = UrlFetchApp.fetch(url, { muteHttpExceptions: !!mute });
    return { code: r.getResponseCode(), body: r.getContentText(), type: r.getHeaders()['Content-Type'], at: Date.now() };
  } catch (e) { return { error: e.message }; }
}
function fetchTwiceAndCount(url) {
  var t = Date.now();
  fetch(url + '?who=a');
  fetch(url + '?who=b');
  return { gets: PropertiesService.getScriptProperties().getProperty('gets'), took: Date.now() - t };
}
function serviceUrl() { return ScriptApp.getService().getUrl(); }
function auth() {
  var i = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL);
  return { status: String(i.getAuthorizationStatus()), url: i.getAuthorizationUrl(), scopes: i.getAuthorizedScopes() };
}
function gmailCalls() { return GmailApp.search('to:nobody', 0, 1).length; }
function search(q) { return GmailApp.search(q, 0, 500).length; }
function replyTo(id) {
  var m = GmailApp.getMessageById(id);
  m.reply('answer');
  var all = m.getThread().getMessages();
  return all[all.length - 1].getHeader('In-Reply-To');
}
function headers(id) {
  var m = GmailApp.getMessageById(id);
  return { top: m.getHeader('Authentication-Results'), raw: m.getRawContent().split('\r\n\r\n')[0] };
}
function getters(id, n) {
  var m = GmailApp.getMessageById(id);
  var t = Date.now();
  for (var i = 0; i < n; i++) m.getSubject();
  return Date.now() - t;
}
`;

function make(opts: BackendOptions = {}): Runtime {
  return new Runtime({
    code: FIXTURE,
    files: { 'appsscript.json': MANIFEST },
    backendOptions: { url: URL, ...opts },
  });
}

describe('emulator fidelity: UrlFetchApp', () => {
  test("a fetch of the web app's own URL runs doGet as a new execution (virtual clock) and answers its output", async () => {
    const rt = make();
    const r = await rt.run('fetch', [`${URL}?who=ada`]);
    expect(r.result).toMatchObject({ code: 200, body: '{"hello":"ada"}', type: 'application/json' });
    expect(rt.backend.finished.map((x) => x.fn)).toEqual(['doGet', 'fetch']);
    const two = await rt.run('fetchTwiceAndCount', [URL]);
    // The second execution's write is seen by the fetching one; the clock counted both round trips.
    expect(two.result).toMatchObject({ gets: '3' });
    expect((two.result as { took: number }).took).toBeGreaterThanOrEqual(2 * 100);
  });

  test('getUrl() is the /exec URL inside a web-app request and the /dev URL elsewhere, unless modelled otherwise', async () => {
    const rt = make();
    expect((await rt.run('serviceUrl', [], { context: 'webapp' })).result).toBe(URL);
    for (const context of ['editor', 'trigger', 'ide'] as const)
      expect((await rt.run('serviceUrl', [], { context })).result).toBe(URL.replace(/exec$/, 'dev'));
    expect(
      (await make({ getUrlOutsideWebApp: 'exec' }).run('serviceUrl', [], { context: 'trigger' })).result,
    ).toBe(URL);
    expect(
      (await make({ getUrlOutsideWebApp: 'null' }).run('serviceUrl', [], { context: 'trigger' })).result,
    ).toBeNull();
  });

  test('a script error gives an error page; another address is unreachable; a bad one is refused; 4xx/5xx throw unless muted', async () => {
    const rt = make();
    const page = await rt.run('fetch', [`${URL}?fail=1`]);
    expect(page.result).toMatchObject({ code: 200, body: expect.stringContaining('broken page') });
    expect((await rt.run('fetch', ['https://example.com/x'])).result).toEqual({
      error: 'Address unavailable: https://example.com/x',
    });
    expect((await rt.run('fetch', ['not a url'])).result).toEqual({ error: 'Invalid argument: not a url' });
    const busy = make({ maxConcurrent: 1, overflow: 'refuse' });
    // One slot: the web app's execution is refused while the fetching one runs.
    expect((await busy.run('fetch', [URL, true])).result).toMatchObject({ code: 503 });
    expect((await busy.run('fetch', [URL, false])).result).toEqual({
      error: expect.stringMatching(
        /^Request failed for https:\/\/script\.google\.com returned code 503\. Truncated server response: .*\(use muteHttpExceptions option to examine full response\)$/,
      ),
    });
  });

  test('UrlFetchApp needs script.external_request; the product asks for it', async () => {
    const rt = new Runtime({
      code: FIXTURE,
      files: { 'appsscript.json': JSON.stringify({ oauthScopes: ['https://mail.google.com/'] }) },
      backendOptions: { url: URL },
    });
    const r = await rt.run('fetch', [URL]);
    expect((r.result as { error: string }).error).toMatch(/^You do not have permission to call UrlFetchApp/);
    expect(JSON.parse(MANIFEST).oauthScopes).toContain(
      'https://www.googleapis.com/auth/script.external_request',
    );
  });
});

describe('emulator fidelity: authorization', () => {
  test('every scope granted by default; an unticked one makes the status REQUIRED and its calls fail', async () => {
    const ok = await make().run('auth');
    expect(ok.result).toEqual({
      status: 'NOT_REQUIRED',
      url: null,
      scopes: JSON.parse(MANIFEST).oauthScopes,
    });
    const rt = make({ ungrantedScopes: ['https://mail.google.com/'] });
    const r = await rt.run('auth');
    expect(r.result).toMatchObject({ status: 'REQUIRED', url: expect.stringMatching(/^https:/) });
    expect((r.result as { scopes: string[] }).scopes).not.toContain('https://mail.google.com/');
    expect((await rt.run('gmailCalls')).error?.message).toMatch(
      /^You do not have permission to call GmailApp/,
    );
  });

  test("the check's list of required scopes is the manifest's", () => {
    expect([...REQUIRED_SCOPES].sort()).toEqual([...JSON.parse(MANIFEST).oauthScopes].sort());
  });
});

describe('emulator fidelity: Gmail answers only a real account settles', () => {
  const inbound = (rt: Runtime, at: number, extra: Record<string, unknown> = {}) =>
    rt.backend.deliverMail({
      from: 'a@guest.example',
      to: 'host+rsvp@example.com',
      subject: 's',
      plainBody: 'b',
      date: at,
      ...extra,
    });

  test('after:<epoch seconds>: honoured by default; modelled as ignored, or as matching nothing; dates always work', async () => {
    for (const [mode, expected] of [
      ['seconds', [1, 0, 1, 0]],
      ['ignored', [1, 1, 1, 0]],
      ['nothing', [0, 0, 1, 0]],
    ] as const) {
      const rt = make({ gmailAfterEpoch: mode, startAt: Date.UTC(2026, 5, 10, 12) });
      const t = rt.backend.now();
      inbound(rt, t);
      const s = Math.floor(t / 1000);
      const got = [];
      for (const q of [`after:${s - 60}`, `after:${s + 3600}`, 'after:2026/06/09', 'after:2026/06/12'])
        got.push((await rt.run('search', [q])).result);
      expect([mode, got]).toEqual([mode, expected]);
    }
  });

  test('GmailMessage.reply carries In-Reply-To by default; modelled without it', async () => {
    for (const [on, expected] of [
      [undefined, /^<.+@mail\.emulator>$/],
      [false, /^$/],
    ] as const) {
      const rt = make({ gmailReplyInReplyTo: on });
      const m = inbound(rt, rt.backend.now());
      expect((await rt.run('replyTo', [m.id])).result).toMatch(expected);
    }
  });

  test("Gmail's own Authentication-Results is topmost by default, below the arrived headers when modelled so", async () => {
    const gmail = 'mx.google.com; dmarc=fail header.from=guest.example';
    const forged = 'mx.google.com; dmarc=pass header.from=guest.example';
    for (const [at, top] of [
      ['top', gmail],
      ['bottom', forged],
    ] as const) {
      const rt = make({ gmailAuthResultsAt: at });
      const m = inbound(rt, rt.backend.now(), {
        gmailAuth: gmail,
        headers: { 'Authentication-Results': forged },
      });
      const r = (await rt.run('headers', [m.id])).result as { top: string; raw: string };
      expect(r.top).toBe(top);
      const ar = r.raw.split('\r\n').filter((l) => l.startsWith('Authentication-Results:'));
      expect(ar).toEqual([
        `Authentication-Results: ${top}`,
        `Authentication-Results: ${top === gmail ? forged : gmail}`,
      ]);
      if (at === 'top') expect(r.raw.split('\r\n')[0]).toBe(`Authentication-Results: ${gmail}`);
    }
  });

  test('message getters are local reads by default (no Gmail operation); modelled as round trips that count', async () => {
    for (const [count, used, slow] of [
      [false, 0, false],
      [true, 20, true],
    ] as const) {
      const rt = make({ gmailGettersCount: count });
      const m = inbound(rt, rt.backend.now());
      const before = rt.backend.quota.gmailUsed ?? 0;
      const ms = (await rt.run('getters', [m.id, 20])).result as number;
      // getMessageById is one operation; the 20 getters count only when modelled so.
      expect((rt.backend.quota.gmailUsed ?? 0) - before).toBe(1 + used);
      expect(ms / 20 > 20).toBe(slow);
    }
  });
});
