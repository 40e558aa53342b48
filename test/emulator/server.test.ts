/** The dev server's routes, against the built bundle. */
import { DevServer, startServer } from '../../emulator/server';

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

  test('GET /exec serves the form; a form post answers; JSON answers carry CORS', async () => {
    const page = await fetch(`${s.url}/exec`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain(`action="${s.url}/exec"`);
    const r = await fetch(`${s.url}/exec`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=Ada&email=ada%40example.com&format=json',
    });
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(await r.json()).toMatchObject({ status: 'confirmed' });
    expect((await fetch(`${s.url}/exec`, { method: 'OPTIONS' })).status).toBe(405);
  });

  test('the sheet API reads and edits (firing the edit trigger); unknown sheets are 404', async () => {
    const guests = (await (await fetch(`${s.url}/api/sheets/Guests`)).json()) as { values: string[][] };
    expect(guests.values[1].slice(0, 3)).toEqual(['ada@example.com', 'Ada', 'confirmed']);
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
    expect(guests.values.find((r) => r[0] === 'grace@example.com')?.slice(1, 3)).toEqual([
      'Lovelace, Grace',
      'confirmed',
    ]);
    const inbox = await (await fetch(`${s.url}/inbox`)).text();
    expect(inbox).toContain(`thread ${reply.threadId} · labels: RSVP/handled`);
  });

  test('reset gives a fresh spreadsheet', async () => {
    expect(await (await post('/api/reset', {})).json()).toEqual({ ok: true });
    const guests = (await (await fetch(`${s.url}/api/sheets/Guests`)).json()) as { values: string[][] };
    expect(guests.values).toHaveLength(1);
  });
});
