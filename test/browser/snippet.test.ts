/// <reference lib="dom" />
/**
 * The embed (`npm run snippet`) on a host's page, in a real browser: saved to disk and opened as
 * file://, and served by another web server (another origin: 127.0.0.1 on another port, while the
 * web app is localhost). With JavaScript it follows the event's state and answers in place, the
 * guest never leaving the host's page; without it the plain POST still signs the guest up.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { DevServer } from '../../emulator/server';
import { snippet } from '../../scripts/snippet';
import { sheetRecords } from '../helpers';
import { app, eventServer, launch, setSettings, shot, suite, watch } from './harness';

const hostPage = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Riverside Club</title><style>body{font:16px/1.5 Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style></head>
<body><h1>Riverside Club: Winter Social</h1><p>Our end-of-year party. Sign up below.</p>
${body}
<footer><p>Riverside Club, since 1921</p></footer></body></html>`;

suite('the embed snippet on a host page', () => {
  let s: DevServer;
  let browser: Browser;
  let context: BrowserContext;
  let host: http.Server;
  let dir: string;
  let fileUrl: string;
  let otherOrigin: string;

  beforeAll(async () => {
    s = await eventServer(1);
    browser = await launch();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rsvp-host-'));
    const form = snippet(`${s.url}/exec`);
    fs.writeFileSync(path.join(dir, 'index.html'), hostPage(form));
    fs.writeFileSync(path.join(dir, 'twice.html'), hostPage(`${form}<h2>Or here</h2>${form}`));
    fileUrl = pathToFileURL(path.join(dir, 'index.html')).href;
    host = http.createServer((req, res) => {
      const file = path.join(dir, path.basename(req.url === '/' ? 'index.html' : (req.url ?? '')));
      if (!fs.existsSync(file)) res.writeHead(404).end();
      else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(fs.readFileSync(file));
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    otherOrigin = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await new Promise((r) => host?.close(r));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });
  afterEach(() => context?.close());

  const answerHasFocus = (page: Page, nth = 0) =>
    page
      .locator('[data-rsvp-answer]')
      .nth(nth)
      .evaluate((el) => el === document.activeElement);
  const statuses = () => sheetRecords(s.runtime, 'Guests').map((r) => [r.Email, r.Status, r['Waitlist #']]);

  test('from a file:// page: follows the event state, shows field errors and the answer in place', async () => {
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(fileUrl);
    // The state, asked of the web app on load.
    await page.locator('[data-rsvp-seats]', { hasText: '1 seat left' }).waitFor();
    await expect(page.locator('.rsvp-form button').textContent()).resolves.toBe('Reserve my seat');
    // The web app's signed render stamp (lanes/form/stamp.ts).
    expect(await page.inputValue('input[name=ts]')).toMatch(/^\d+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}$/);
    await shot(page, 'snippet-file-form');
    await w.mark();

    await page.click('.rsvp-form button');
    await page.locator('[data-rsvp-answer]', { hasText: 'Please check the form.' }).waitFor();
    const nameError = page.locator('label:has(input[name=name]) .error-text');
    await expect(nameError.textContent()).resolves.toBe('Please enter your name.');
    const errorId = await nameError.getAttribute('id');
    expect(errorId).toMatch(/^rsvp-\d+-name-error$/);
    expect(await page.locator('input[name=name]').getAttribute('aria-describedby')).toBe(errorId);
    expect(await page.locator('input[name=email]').getAttribute('aria-invalid')).toBe('true');
    expect(await answerHasFocus(page)).toBe(true);
    expect(await w.stillSameDocument()).toBe(true);
    await shot(page, 'snippet-file-invalid');

    await page.fill('input[name=name]', 'Ada Lovelace');
    await page.fill('input[name=email]', 'ada@example.com');
    await page.click('.rsvp-form button');
    await page.locator('[data-rsvp-answer]', { hasText: "You're in!" }).waitFor();
    expect(await w.stillSameDocument()).toBe(true);
    expect(page.url()).toBe(fileUrl);
    expect(await answerHasFocus(page)).toBe(true);
    expect(await page.locator('.rsvp-form').isHidden()).toBe(true);
    expect(await page.locator('input[name=name]').getAttribute('aria-invalid')).toBeNull();
    expect(w.failed).toEqual([]);
    // As on Google, each JSON answer is a 302 to a one-time URL on the content origin.
    const echo = expect.stringMatching(
      new RegExp(`^GET ${s.contentOrigin.replace(/\./g, '\\.')}/macros/echo\\?user_content_key=[\\w-]+$`),
    );
    expect(w.requests.filter((r) => !r.startsWith('GET file:'))).toEqual([
      `GET ${s.url}/exec?format=json`,
      echo,
      `POST ${s.url}/exec`,
      echo,
      `POST ${s.url}/exec`,
      echo,
    ]);
    await shot(page, 'snippet-file-confirmed');
    expect(statuses()).toEqual([['ada@example.com', 'confirmed', '']]);
  });

  test('from another origin: "Join the waitlist" when full, and the position in place', async () => {
    const page = await context.newPage();
    const w = watch(page);
    const cors: string[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(s.url)) cors.push(String(r.headers()['access-control-allow-origin']));
    });
    await page.goto(`${otherOrigin}/`);
    await page.locator('.rsvp-form button', { hasText: 'Join the waitlist' }).waitFor();
    await expect(page.locator('[data-rsvp-seats]').textContent()).resolves.toBe(
      'The event is full: the waitlist is open',
    );
    await shot(page, 'snippet-origin-full');
    await w.mark();
    await page.fill('input[name=name]', 'Alan Turing');
    await page.fill('input[name=email]', 'alan@example.com');
    await page.click('.rsvp-form button');
    await page
      .locator('[data-rsvp-answer]', { hasText: "The event is full: you're number 1 on the waitlist." })
      .waitFor();
    expect(await w.stillSameDocument()).toBe(true);
    expect(page.url()).toBe(`${otherOrigin}/`);
    expect(await answerHasFocus(page)).toBe(true);
    expect(w.failed).toEqual([]);
    expect(cors).toEqual(['*', '*']);
    await shot(page, 'snippet-origin-waitlisted');
  });

  test('two snippets on one page work apart', async () => {
    const page = await context.newPage();
    await page.goto(`${otherOrigin}/twice.html`);
    await page.locator('.rsvp-form button >> nth=1', { hasText: 'Join the waitlist' }).waitFor();
    await page.locator('.rsvp-form button').nth(1).click();
    await page.locator('[data-rsvp-answer] >> nth=1', { hasText: 'Please check the form.' }).waitFor();
    expect(await page.locator('.error-text').count()).toBe(2);
    expect(await page.locator('.rsvp').nth(0).locator('.error-text').count()).toBe(0);
    expect(await answerHasFocus(page, 1)).toBe(true);
    const ids = await page.locator('[id]').evaluateAll((els) => els.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('without JavaScript: the plain POST still signs the guest up (the answer is the web app page)', async () => {
    const nojs = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 800 },
    });
    const page = await nojs.newPage();
    await page.goto(`${otherOrigin}/`);
    await shot(page, 'snippet-nojs-form');
    await page.fill('input[name=name]', 'Grace Hopper');
    await page.fill('input[name=email]', 'grace@example.com');
    await Promise.all([page.waitForNavigation(), page.click('.rsvp-form button')]);
    expect(page.url()).toBe(`${s.url}/exec`);
    // The answer is the web app's page, framed as Google frames it; the tab's title leads with it.
    const f = await app(page);
    await expect(f.locator('#answer h2').textContent()).resolves.toBe(
      "The event is full: you're number 2 on the waitlist.",
    );
    expect(await page.title()).toBe("The event is full: you're number 2 on the waitlist. – Winter Social");
    await shot(page, 'snippet-nojs-answer');
    expect(statuses().find(([email]) => email === 'grace@example.com')).toEqual([
      'grace@example.com',
      'waitlisted',
      2,
    ]);
    await nojs.close();
  });

  test('registration paused by a Settings typo: the snippet names the event, says so and hides the form', async () => {
    setSettings(s, { Capacity: 'lots' });
    try {
      const page = await context.newPage();
      await page.goto(fileUrl);
      await page.locator('[data-rsvp-answer]', { hasText: /^Registration for .+ is paused\./ }).waitFor();
      expect(await page.locator('.rsvp-form').isHidden()).toBe(true);
      await shot(page, 'snippet-closed');
    } finally {
      setSettings(s, { Capacity: 1 });
    }
  });
});
