/// <reference lib="dom" />
/**
 * A visitor of the public form, as an attacker: on Google every HtmlService page gets
 * google.script.run, so from the browser console of the /exec page anyone can call every top-level
 * function of the bundle, as the host. Here the console is the guest frame of the dev server (the
 * content origin, as Google frames it), and the list of functions is the build's own
 * (build/entries.json), so a function added later is attacked too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Frame } from 'playwright-core';
import { DevServer } from '../../emulator/server';
import { app, eventServer, launch, suite } from './harness';

const ENTRIES = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'build', 'entries.json'), 'utf8'),
) as Record<'web' | 'host' | 'trigger', string[]>;

/** What an attacker would pass: the dashboard's own actions, a link of theirs, forged trigger events. */
function attempts(fn: string): unknown[][] {
  const forged = [
    { triggerUid: '5012345678901234567', authMode: 'FULL' },
    { triggerUid: 1, authMode: 'FULL', source: {}, range: { a1: 'A1' }, value: 'cancelled' },
    {},
  ];
  if (fn === 'dashboardAction') return [['importConfirmed'], ['importPending'], ['sendInvites'], ['recount']];
  if (fn === 'setPublicLink') return [['https://attacker.example/exec']];
  if (ENTRIES.trigger.includes(fn)) return [[], ...forged.map((e) => [e])];
  return [[]];
}

type Outcome = { ok: boolean; value: string };

/** google.script.run.<fn>(...args) from the page, as a console would, with both handlers. */
const callFrom = (f: Frame, fn: string, args: unknown[]) =>
  f.evaluate(
    ([fn, args]) =>
      new Promise<Outcome>((resolve) => {
        const run = (window as unknown as { google: { script: { run: Record<string, unknown> } } }).google
          .script.run as {
          withSuccessHandler(h: (r: unknown) => void): {
            withFailureHandler(h: (e: Error) => void): Record<string, (...a: unknown[]) => void>;
          };
        };
        run
          .withSuccessHandler((r) => resolve({ ok: true, value: JSON.stringify(r) ?? 'undefined' }))
          .withFailureHandler((e) => resolve({ ok: false, value: String(e?.message ?? e) }))
          [fn](...args);
      }),
    [fn, args] as const,
  );

suite('google.script.run from the public page (an attacker at the console)', () => {
  let s: DevServer;
  let browser: Browser;
  /** Everything a call could change or send: sheets, properties, cache, mail, mailbox, triggers, quota. */
  const state = () => {
    const { toasts: _t, ...rest } = s.runtime.backend.snapshot();
    return JSON.stringify(rest);
  };

  beforeAll(async () => {
    s = await eventServer(1);
    const post = (fields: Record<string, string>) => s.runtime.postForm({ format: 'json', ...fields });
    await post({ name: 'Ada Lovelace', email: 'ada@example.com' });
    await post({ name: 'Bob Bell', email: 'bob@example.com' });
    // The host's draft rows, not yet imported: an attacker seating them would mail them.
    s.runtime.backend.hostEdit('Import', 'A2:B2', [['Ivy Draft', 'ivy@example.com']]);
    browser = await launch();
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  test('every function but doGet and doPost is refused; nothing changes, nothing is sent, nothing leaks', async () => {
    const page = await browser.newPage();
    await page.goto(`${s.url}/exec`);
    const f = await app(page);
    // The console is the content origin's page, as on Google.
    expect(new URL(f.url()).origin).toBe(s.contentOrigin);
    const before = state();
    const mail = s.runtime.backend.mail.length;

    const gated = [...ENTRIES.host, ...ENTRIES.trigger];
    expect(gated.length).toBeGreaterThanOrEqual(21);
    const seen: string[] = [];
    for (const fn of gated) {
      for (const args of attempts(fn)) {
        const out = await callFrom(f, fn, args);
        seen.push(`${fn}: ${out.value}`);
        expect({ fn, args, ok: out.ok }).toEqual({ fn, args, ok: false });
        expect(out.value).toMatch(
          ENTRIES.host.includes(fn)
            ? `${fn} runs only from the spreadsheet: use the RSVP menu or the dashboard there.`
            : `${fn} runs only from its own installed trigger.`,
        );
      }
    }
    expect(seen.join('\n')).not.toMatch(/@|Ada|Bob|Ivy/);
    expect(s.runtime.backend.mail.length).toBe(mail);
    expect(state()).toBe(before);

    // The channel itself reaches the runtime (so the refusals above are the gate's).
    await expect(callFrom(f, 'nope', [])).resolves.toEqual({
      ok: false,
      value: 'Script function not found: nope',
    });
  });

  test('negative control: the same calls from the host sidebar run, leak the list and change it', async () => {
    // The dashboard page is the host's sidebar: its google.script.run is a call from the spreadsheet.
    const page = await browser.newPage();
    await page.goto(`${s.url}/dashboard`);
    const data = await callFrom(page.mainFrame(), 'dashboardData', []);
    expect(data.ok).toBe(true);
    expect(data.value).toContain('bob@example.com');
    const before = state();
    const act = await callFrom(page.mainFrame(), 'dashboardAction', ['importConfirmed']);
    expect(act.ok).toBe(true);
    expect(state()).not.toBe(before);
    expect(s.runtime.backend.mail.some((m) => m.to === 'ivy@example.com')).toBe(true);
  });

  test('the installed triggers still run with the event Google gives them', async () => {
    const runs = await s.runtime.runDueTriggers(s.runtime.backend.now() + 24 * 3600e3);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((r) => !r.ok)).toEqual([]);
  });
});
