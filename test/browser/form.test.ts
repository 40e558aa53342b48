/**
 * The sign-up form in a real browser (Debian's Chromium through playwright-core) against the dev
 * server, with and without JavaScript. Screenshots of the form and each answer go to
 * test-output/screenshots/. Without Chromium the suite is skipped, except under CI, where it fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium } from 'playwright-core';
import { DevServer, startServer } from '../../emulator/server';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');
if (!CHROMIUM && process.env.CI) throw new Error('Chromium is required in CI (apt-get install -y chromium)');
const suite = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM) console.warn('browser tests skipped: no Chromium (apt-get install -y chromium)');

suite('the form in a browser', () => {
  let s: DevServer;
  let browser: Browser;
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    s = await startServer({ port: 0, dataDir: null, quiet: true });
    const rows = s.runtime.backend.sheetRaw('Settings');
    const at = (label: string) => `B${rows.findIndex((r) => r[0] === label) + 1}`;
    s.runtime.backend.hostEdit('Settings', at('Capacity'), [[1]]);
    s.runtime.backend.hostEdit('Settings', at('Event name'), [['Winter Social']]);
    s.runtime.backend.hostEdit('Settings', at('Starts at'), [['2026-12-31 19:00']]);
    s.runtime.backend.hostEdit('Settings', at('Location'), [['The Old Library, 12 High St']]);
    await s.runtime.run('recount');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  test('with JavaScript: the answer appears in the page without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 820 } });
    await page.goto(`${s.url}/exec`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Winter Social');
    await expect(page.locator('.seats').textContent()).resolves.toBe('1 seat left');
    await page.screenshot({ path: path.join(SHOTS, 'form.png'), fullPage: true });
    // Nothing typed: the fields say what to fix, and focus semantics are in place.
    await page.click('button[type=submit]');
    await page.locator('#email-error').waitFor();
    expect(await page.locator('#email').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: path.join(SHOTS, 'answer-invalid.png'), fullPage: true });
    await page.fill('#name', 'Ada Lovelace');
    await page.fill('#email', 'Ada@Example.com');
    const url = page.url();
    await page.click('button[type=submit]');
    await page.locator('#answer h2', { hasText: "You're in!" }).waitFor();
    expect(page.url()).toBe(url); // no navigation
    expect(await page.locator('#rsvp').isHidden()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'answer-confirmed.png'), fullPage: true });
    const guests = s.runtime.backend.sheetRaw('Guests');
    expect(guests[1].slice(0, 3)).toEqual(['ada@example.com', 'Ada Lovelace', 'confirmed']);
    await page.close();
  }, 60000);

  test('without JavaScript: a plain form post answers with a page', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 420, height: 820 },
    });
    const page = await context.newPage();
    await page.goto(`${s.url}/exec`);
    await expect(page.locator('button[type=submit]').textContent()).resolves.toBe('Join the waitlist');
    await page.fill('#name', 'Alan Turing');
    await page.fill('#email', 'alan@example.com');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    await expect(page.locator('#answer h2').textContent()).resolves.toBe(
      "The event is full: you're number 1 on the waitlist.",
    );
    await page.screenshot({ path: path.join(SHOTS, 'answer-waitlisted-nojs.png'), fullPage: true });
    // Again: the duplicate gets its existing status back.
    await page.goto(`${s.url}/exec`);
    await page.fill('#name', 'Alan');
    await page.fill('#email', 'ALAN@example.com');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    await expect(page.locator('#answer h2').textContent()).resolves.toBe(
      "You're already number 1 on the waitlist.",
    );
    await page.screenshot({ path: path.join(SHOTS, 'answer-duplicate-nojs.png'), fullPage: true });
    // Hostile input is shown back as text, not markup.
    await page.goto(`${s.url}/exec`);
    await page.fill('#name', '<img src=x onerror=alert(1)>');
    await page.fill('#email', 'not an email');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.inputValue('#name')).toBe('<img src=x onerror=alert(1)>');
    expect(await page.locator('img').count()).toBe(0);
    await expect(page.locator('#email-error').textContent()).resolves.toBe(
      'That email address has a space in it.',
    );
    await page.screenshot({ path: path.join(SHOTS, 'answer-invalid-nojs.png'), fullPage: true });
    await context.close();
  }, 60000);

  test('the cancel link: the page asks, the button cancels, and the seat is offered on', async () => {
    const ada = s.runtime.backend.sheetRaw('Guests').find((r) => r[0] === 'ada@example.com')!;
    const page = await browser.newPage({ viewport: { width: 420, height: 820 } });
    await page.goto(`${s.url}/exec?action=cancel&t=${ada[9]}`);
    await expect(page.locator('#answer h2').textContent()).resolves.toBe("You're confirmed.");
    await page.screenshot({ path: path.join(SHOTS, 'cancel-confirm.png'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('text=Yes, cancel my RSVP')]);
    await expect(page.locator('#answer h2').textContent()).resolves.toBe('Your RSVP is cancelled.');
    await page.screenshot({ path: path.join(SHOTS, 'cancel-done.png'), fullPage: true });
    const rows = s.runtime.backend.sheetRaw('Guests');
    expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([
      ['ada@example.com', 'cancelled'],
      ['alan@example.com', 'offered'],
    ]);
    await page.close();
  }, 60000);
});
