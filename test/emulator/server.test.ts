/** The dev server's routes, against the built bundle. */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { DevServer, startServer } from '../../emulator/server';
import { records } from '../../scripts/sim/sheet';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, with exactly the headers given (Host included): what a browser or an attacker sends. */
function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('dev server', () => {
  let s: DevServer;
  beforeAll(async () => {
    s = await startServer({ port: 0, dataDir: null, quiet: true });
  });
  afterAll(() => s.close());

  const post = (path: string, body: unknown) =>
    fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('GET /exec frames the form from the content origin, sandboxed; JSON answers arrive by a one-time redirect', async () => {
    const page = await fetch(`${s.url}/exec`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const shell = await page.text();
    // The outer page holds no form: it frames the script's HTML from the other origin, as Google does.
    expect(shell).not.toContain('<form');
    const frame = /<iframe id="sandboxFrame"[^>]* sandbox="([^"]*)"[^>]* src="([^"]+)"/.exec(shell);
    expect(frame).not.toBeNull();
    expect(frame![1].split(' ')).toEqual(
      expect.arrayContaining(['allow-scripts', 'allow-forms', 'allow-same-origin']),
    );
    // A sheet-bound script's page may not navigate the top window (the default here).
    expect(frame![1]).not.toContain('allow-top-navigation');
    expect(frame![2].startsWith(`${s.contentOrigin}/userCodeAppPanel?`)).toBe(true);
    expect(s.contentOrigin).not.toBe(s.url);
    const inner = await (await fetch(frame![2].replace(/&amp;/g, '&'))).text();
    expect(inner).toContain(`action="${s.url}/exec"`);

    const post = () =>
      fetch(`${s.url}/exec`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'name=Ada&email=ada%40example.com&format=json',
      });
    const r = await post();
    expect(r.status).toBe(302);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const echo = r.headers.get('location')!;
    expect(echo.startsWith(`${s.contentOrigin}/macros/echo?user_content_key=`)).toBe(true);
    const answer = await fetch(echo);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(await answer.json()).toMatchObject({ status: 'confirmed' });
    // The echo URL answers once.
    expect((await fetch(echo)).status).toBe(404);
    // fetch follows the redirect, as a browser's does.
    expect(await (await fetch(`${s.url}/exec?format=json`)).json()).toMatchObject({ open: true });
    expect((await fetch(`${s.url}/exec`, { method: 'OPTIONS' })).status).toBe(405);
    // /dev is the editors' test deployment: a guest gets no page there.
    const dev = await fetch(`${s.url}/dev`);
    expect(dev.status).toBe(403);
    expect(await dev.text()).toContain('/exec');
  });

  test('google.script.run from the web app page: only the framed page itself may call it, and the gate answers', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${s.contentOrigin}/api/webapp-run/dashboardData`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ args: [] }),
      });
    expect((await call({ Origin: 'https://evil.example' })).status).toBe(403);
    const r = (await (await call({ Origin: s.contentOrigin })).json()) as { ok: boolean; error?: string };
    expect(r.ok).toBe(false);
  });

  test('the sheet API reads and edits (firing the edit trigger); unknown sheets are 404', async () => {
    const guests = (await (await fetch(`${s.url}/api/sheets/Guests`)).json()) as { values: string[][] };
    const ada = records(guests.values)[0];
    expect([ada.Email, ada.Name, ada.Status]).toEqual(['ada@example.com', 'Ada', 'confirmed']);
    expect((await fetch(`${s.url}/api/sheets/Nope`)).status).toBe(404);
    const settings = (await (await fetch(`${s.url}/api/sheets/Settings`)).json()) as { values: string[][] };
    const row = settings.values.findIndex((r) => r[0] === 'Capacity') + 1;
    const edit = (await (await post('/api/sheets/Settings', { a1: `B${row}`, values: [[7]] })).json()) as {
      triggers: Array<{ fn: string; ok: boolean }>;
    };
    expect(edit.triggers).toEqual([{ fn: 'onSheetEdit', ok: true }]);
    const after = (await (await fetch(`${s.url}/api/sheets/Settings`)).json()) as { values: string[][] };
    expect(after.values.find((r) => r[0] === 'Seats left')?.[1]).toBe('6');
  });

  test('bad input to the API is a 400 with a reason, and changes nothing; HEAD is answered as GET', async () => {
    const before = (await (await fetch(`${s.url}/api/sheets/Settings`)).json()) as { values: string[][] };
    const bad = async (body: string) => {
      const r = await fetch(`${s.url}/api/sheets/Settings`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      return [r.status, await r.text()];
    };
    expect(await bad('{not json')).toEqual([400, 'The body is not JSON.']);
    expect(await bad('[1]')).toEqual([400, 'The body must be a JSON object.']);
    expect((await bad('{"a1":"B8","values":7}'))[0]).toBe(400);
    expect((await bad('{"a1":"B8","values":[[1],[2,3]]}'))[0]).toBe(400);
    expect(await bad('{"a1":"8B","values":[[1]]}')).toEqual([400, '"a1" must be a cell like B7 (got "8B").']);
    const after = (await (await fetch(`${s.url}/api/sheets/Settings`)).json()) as { values: string[][] };
    expect(after).toEqual(before);
    const head = await fetch(`${s.url}/sheets`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  test('run a function, the mail list, the inbox, and escaping on /sheets', async () => {
    const run = (await (await post('/api/run/recount', {})).json()) as { ok: boolean; result: string };
    expect(run.ok).toBe(true);
    expect(run.result).toMatch(/Confirmed 1/);
    const mail = (await (await fetch(`${s.url}/api/mail`)).json()) as Array<{ to: string }>;
    expect(mail.map((m) => m.to)).toEqual(['ada@example.com']);
    expect((await fetch(`${s.url}/mail`)).status).toBe(200);
    const delivered = (await (
      await post('/api/inbox', { from: 'Eve <eve@example.com>', subject: '<b>hi</b>', body: 'yes' })
    ).json()) as {
      threadId: string;
    };
    expect(delivered.threadId).toBeTruthy();
    expect(await (await fetch(`${s.url}/inbox`)).text()).toContain('&#60;b&#62;hi&#60;/b&#62;');
    await post('/api/sheets/Import', { a1: 'A2', values: [['<script>alert(1)</script>']] });
    const sheets = await (await fetch(`${s.url}/sheets?tab=Import`)).text();
    expect(sheets).not.toContain('<script>alert(1)</script>');
    expect(sheets).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  test('email replies: turn them on, write a reply on /api/inbox, run the due triggers, and the guest is in', async () => {
    const on = (await (await post('/api/run/turnOnEmailReplies', {})).json()) as {
      ok: boolean;
      result: string;
    };
    expect(on.result).toMatch(/every 5 minute\(s\), replies to host\+rsvp@/);
    const reply = (await (
      await post('/api/inbox', {
        from: '"Lovelace, Grace" <grace@example.com>',
        subject: "Re: You're invited",
        body: 'Yes please!\n\n> invite',
        headers: { 'X-Mailer': 'test' },
      })
    ).json()) as { id: string; threadId: string };
    const runs = (await (await post('/api/triggers/run', { now: Date.now() + 6 * 60e3 })).json()) as Array<{
      fn: string;
      ok: boolean;
    }>;
    expect(runs).toEqual(expect.arrayContaining([{ fn: 'pollReplies', ok: true, error: null }]));
    const guests = (await (await fetch(`${s.url}/api/sheets/Guests`)).json()) as { values: string[][] };
    const grace = records(guests.values).find((r) => r.Email === 'grace@example.com');
    expect(grace && [grace.Name, grace.Status]).toEqual(['Lovelace, Grace', 'confirmed']);
    const inbox = await (await fetch(`${s.url}/inbox`)).text();
    expect(inbox).toContain(`thread ${reply.threadId} · labels: RSVP/handled`);
  });

  test('reset gives a fresh spreadsheet', async () => {
    expect(await (await post('/api/reset', {})).json()).toEqual({ ok: true });
    const guests = (await (await fetch(`${s.url}/api/sheets/Guests`)).json()) as { values: string[][] };
    expect(guests.values).toHaveLength(1);
  });

  describe('a local tool: Host and Origin checks', () => {
    let port: number;
    let local: string;
    beforeAll(() => {
      port = Number(new URL(s.url).port);
      local = `localhost:${port}`;
    });
    const setting = async (label: string) => {
      const v = (await (await fetch(`${s.url}/api/sheets/Settings`)).json()) as { values: string[][] };
      return v.values.find((r) => r[0] === label)?.[1];
    };
    const eventRow = async () => {
      const v = (await (await fetch(`${s.url}/api/sheets/Settings`)).json()) as { values: string[][] };
      return v.values.findIndex((r) => r[0] === 'Event name') + 1;
    };

    test('only localhost, 127.0.0.1 or [::1] on this port: a DNS-rebound or foreign Host gets 421 and no data', async () => {
      // Every guest's token is in /api/mail: what a rebinding page would be after.
      await fetch(`${s.url}/exec`, {
        method: 'POST',
        body: new URLSearchParams({ name: 'Ada', email: 'ada@example.com' }),
      });
      const mail = await raw(port, 'GET', '/api/mail', { Host: local });
      const token = /[?&]t=([0-9a-f-]{36})/.exec(mail.body)?.[1];
      expect(token).toBeTruthy();
      for (const host of [
        'evil.example',
        `evil.example:${port}`,
        `localhost.evil.example:${port}`,
        `127.0.0.1.nip.io:${port}`,
        `localhost:${port + 1}`,
        'localhost',
        `localhost:${port}@evil.example`,
        '',
      ]) {
        for (const path of ['/api/mail', '/exec', '/sheets', '/api/sheets/Guests']) {
          const r = await raw(port, 'GET', path, { Host: host });
          expect({ host, path, status: r.status }).toEqual({ host, path, status: 421 });
          expect(r.body).toMatch(/local development server/);
          expect(r.body).not.toContain(token);
        }
      }
      for (const host of [local, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
        const r = await raw(port, 'GET', '/api/mail', { Host: host });
        expect({ host, status: r.status }).toEqual({ host, status: 200 });
      }
    });

    test('a cross-origin text/plain or form POST is refused (403) and changes nothing', async () => {
      const row = await eventRow();
      const before = await setting('Event name');
      const rename = JSON.stringify({ a1: `B${row}`, values: [['Pwned']] });
      const attempts: Array<{ path: string; headers: Record<string, string>; body: string }> = [
        // The issue's attack: a page on any site posts JSON as text/plain (no preflight needed).
        {
          path: '/api/sheets/Settings',
          headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
          body: rename,
        },
        {
          path: '/api/sheets/Settings',
          headers: { Origin: 'null', 'Content-Type': 'text/plain' },
          body: rename,
        },
        {
          path: '/api/sheets/Settings',
          headers: { Origin: `http://localhost:${port + 1}`, 'Content-Type': 'text/plain' },
          body: rename,
        },
        { path: '/api/sheets/Settings', headers: { 'Content-Type': 'text/plain' }, body: rename },
        {
          path: '/api/sheets/Settings',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: rename,
        },
        // JSON, but from a foreign page (only possible after a preflight this server refuses).
        {
          path: '/api/sheets/Settings',
          headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
          body: rename,
        },
        {
          path: '/api/run/setUp',
          headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
          body: '{}',
        },
        {
          path: '/api/reset',
          headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
          body: '{}',
        },
        {
          path: '/api/inbox',
          headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
          body: '{"from":"x@evil.example"}',
        },
        {
          path: '/sheets/edit',
          headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `sheet=Settings&a1=B${row}&value=Pwned`,
        },
        {
          path: '/sheets/paste',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `sheet=Settings&a1=B${row}&text=Pwned`,
        },
        {
          path: '/sheets/run',
          headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'fn=setUp',
        },
        {
          path: '/inbox',
          headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'from=x%40evil.example&subject=cancel&body=cancel',
        },
      ];
      const threads = s.runtime.backend.mailbox.threads.length;
      for (const a of attempts) {
        const r = await raw(port, 'POST', a.path, { Host: local, ...a.headers }, a.body);
        expect({ ...a, status: r.status }).toEqual({ ...a, status: 403 });
        expect(r.headers['access-control-allow-origin']).toBeUndefined();
      }
      // A CORS preflight is refused too, so a foreign page's JSON POST never leaves the browser.
      const pre = await raw(port, 'OPTIONS', '/api/sheets/Settings', {
        Host: local,
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      });
      expect(pre.status).toBe(403);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(await setting('Event name')).toBe(before);
      expect(s.runtime.backend.mailbox.threads.length).toBe(threads);
      // A GET never edits.
      expect(
        (await raw(port, 'GET', `/sheets/edit?sheet=Settings&a1=B${row}&value=Pwned`, { Host: local }))
          .status,
      ).toBe(404);
      expect(await setting('Event name')).toBe(before);
    });

    test("the server's own pages (same origin) and scripts (JSON) still change state", async () => {
      const row = await eventRow();
      for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`]) {
        const r = await raw(
          port,
          'POST',
          '/sheets/edit',
          { Host: local, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
          `sheet=Settings&a1=B${row}&value=${encodeURIComponent(`Set from ${origin}`)}`,
        );
        expect(r.status).toBe(303);
        expect(await setting('Event name')).toBe(`Set from ${origin}`);
      }
      const r = await raw(
        port,
        'POST',
        '/api/sheets/Settings',
        { Host: local, 'Content-Type': 'application/json; charset=utf-8' },
        JSON.stringify({ a1: `B${row}`, values: [['Set by a script']] }),
      );
      expect(r.status).toBe(200);
      expect(await setting('Event name')).toBe('Set by a script');
    });

    test('/exec stays open to every origin, like Google’s', async () => {
      for (const [type, body] of [
        ['application/x-www-form-urlencoded', 'name=Eve&email=eve%40example.com&format=json'],
        ['text/plain', 'name=Eve&email=eve%40example.com&format=json'],
      ]) {
        const r = await raw(
          port,
          'POST',
          '/exec',
          { Host: local, Origin: 'https://club.example', 'Content-Type': type },
          body,
        );
        // A text/plain body is not form parameters (as on Google): no format=json, so the page answers.
        expect(r.status).toBe(type === 'text/plain' ? 200 : 302);
        expect(r.headers['access-control-allow-origin']).toBe('*');
      }
      const get = await raw(port, 'GET', '/exec?format=json', { Host: local, Origin: 'null' });
      expect(get.status).toBe(302);
      expect(get.headers['access-control-allow-origin']).toBe('*');
      expect(await (await fetch(get.headers.location!)).json()).toMatchObject({ open: true });
    });
  });
});

describe('dev server: real time, durable answers, a clean start', () => {
  const post = (url: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const guests = async (url: string) =>
    ((await (await fetch(`${url}/api/sheets/Guests`)).json()) as { values: string[][] }).values;
  const signUp = (url: string, name: string, email: string) =>
    fetch(`${url}/exec`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name, email, format: 'json' }),
    }).then((r) => r.json() as Promise<{ status: string }>);

  /** Capacity 1, quiet hours off; Ada is confirmed, Bo waitlisted; Ada cancels and Bo is offered the seat. */
  async function offerToBo(url: string) {
    const settings = (await (await fetch(`${url}/api/sheets/Settings`)).json()) as { values: string[][] };
    const row = (label: string) => settings.values.findIndex((r) => r[0] === label) + 1;
    await post(url, '/api/sheets/Settings', { a1: `B${row('Capacity')}`, values: [[1]] });
    // Real time: quiet hours would make the outcome depend on the hour the test runs.
    await post(url, '/api/sheets/Settings', { a1: `B${row('Quiet hours')}`, values: [['off']] });
    expect((await signUp(url, 'Ada', 'ada@example.com')).status).toBe('confirmed');
    expect((await signUp(url, 'Bo', 'bo@example.com')).status).toBe('waitlisted');
    await fetch(`${url}/exec`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'cancel', t: (await guests(url))[1][9], format: 'json' }),
    });
    expect((await guests(url))[2][2]).toBe('offered');
  }

  test("/api/triggers/run with {now} moves the scripts' clock too: an offer past its window ends", async () => {
    const s = await startServer({ port: 0, dataDir: null, quiet: true });
    try {
      await offerToBo(s.url);
      await post(s.url, '/api/triggers/run', { now: Date.now() + 25 * 3600e3 });
      expect((await guests(s.url))[2][2]).toBe('cancelled');
    } finally {
      await s.close();
    }
  });

  test('npm start runs the time triggers on the clock, as Google does: the offer ends with no call; /sheets shows last and next run', async () => {
    const s = await startServer({ port: 0, dataDir: null, quiet: true, schedule: { everyMs: 5 } });
    try {
      const before = await (await fetch(`${s.url}/sheets`)).text();
      expect(before).toMatch(/<td>sendQueuedEmails<\/td><td>every 10 min<\/td><td>–<\/td><td>\d{4}-/);
      await offerToBo(s.url);
      // A day passes (the scripts' clock); nobody calls /api/triggers/run: the scheduler runs them.
      s.runtime.backend.advanceTo(Date.now() + 25 * 3600e3);
      while ((await guests(s.url))[2][2] === 'offered') await new Promise((r) => setTimeout(r, 5));
      expect((await guests(s.url))[2][2]).toBe('cancelled');
      const after = await (await fetch(`${s.url}/sheets`)).text();
      expect(after).toMatch(
        /<td>sendQueuedEmails<\/td><td>every 10 min<\/td><td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d<\/td>/,
      );
    } finally {
      await s.close();
    }
  });

  test('/dashboard opens every time: the 21st opening and later (the panel buffer keeps 20)', async () => {
    const s = await startServer({ port: 0, dataDir: null, quiet: true });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await fetch(`${s.url}/dashboard`)).status);
      expect(statuses).toEqual(Array(25).fill(200));
    } finally {
      await s.close();
    }
  });

  test('an answer is on disk before it is sent; a temp file a killed save left is cleaned at start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rsvp-srv-'));
    fs.writeFileSync(path.join(dir, 'state.json.4242.tmp'), '{"half');
    const s = await startServer({ port: 0, dataDir: dir, quiet: true });
    try {
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect((await signUp(s.url, 'Ada', 'ada@example.com')).status).toBe('confirmed');
      // Read at once, as a kill -9 right after the answer would leave it.
      expect(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')).toContain('ada@example.com');
    } finally {
      await s.close();
    }
  });

  test('a request that arrives while the server boots is answered once it is up', async () => {
    let early: Promise<Response> | null = null;
    const s = await startServer({
      port: 0,
      dataDir: null,
      quiet: true,
      onListening: (url) => (early = fetch(`${url}/exec?format=json`)),
    });
    try {
      expect(early).not.toBeNull();
      const r = await early!;
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ open: true });
    } finally {
      await s.close();
    }
  });

  test('parameters named constructor, __proto__ or toString are ordinary parameters', async () => {
    const s = await startServer({ port: 0, dataDir: null, quiet: true });
    try {
      const get = await fetch(`${s.url}/exec?constructor=1&__proto__=2&toString=3&hasOwnProperty=4`);
      expect(get.status).toBe(200);
      const r = await fetch(`${s.url}/exec?__proto__=x`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'name=Ada&email=ada%40example.com&format=json&constructor=1&__proto__=2&toString=3',
      });
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ status: 'confirmed' });
    } finally {
      await s.close();
    }
  });

  test('past its executions at once the server refuses, as Google does (503, Retry-After)', async () => {
    const s = await startServer({
      port: 0,
      dataDir: null,
      quiet: true,
      backendOptions: { overflow: 'refuse', maxConcurrent: 0 },
    });
    try {
      const r = await fetch(`${s.url}/exec?format=json`);
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await s.close();
    }
  });
});
