/**
 * The dashboard's first card in a real browser at Sheets' 300 px sidebar width (issue 23): what is
 * left to do before the form's link is known; then the link with a working copy button, the embed
 * code, the QR code drawn by the script, and "Send me a test sign-up".
 */
import * as path from 'path';
import { Browser } from 'playwright-core';
import { DevServer } from '../../emulator/server';
import { SHOTS, eventServer, launch, suite } from './harness';

suite("the dashboard's first card", () => {
  let browser: Browser;
  let s: DevServer;

  beforeAll(async () => {
    browser = await launch();
    s = await eventServer(10);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  test('says what is left to do, then shows the link, the embed code and the QR code; copy and the test sign-up work', async () => {
    const context = await browser.newContext({
      viewport: { width: 300, height: 1400 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    await page.goto(`${s.url}/dashboard`);
    await page.locator('#todo').waitFor();
    expect(await page.locator('#todo').textContent()).toMatch(
      /^Deploy as a web app: in Extensions → Apps Script, Deploy → New deployment → Web app/,
    );
    await page.screenshot({ path: path.join(SHOTS, 'first-card-deploy-300.png'), fullPage: true });

    // A guest opens the form: its public link is now known, and the card shows it.
    const guest = await browser.newPage();
    await guest.goto(`${s.url}/exec`);
    await guest.close();
    await page.reload();
    await page.locator('#formLink').waitFor();
    expect(await page.locator('#formLink').getAttribute('href')).toBe(`${s.url}/exec`);
    expect(await page.locator('#qr svg path').count()).toBe(1);
    expect(await page.inputValue('#snippet')).toContain(`action="${s.url}/exec"`);
    await page.click('#copyLink');
    await page.locator('#shareSaid', { hasText: 'Link copied.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${s.url}/exec`);
    await page.click('#copySnippet');
    await page.locator('#shareSaid', { hasText: 'Embed code copied.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('<form class="rsvp-form"');

    const guestsBefore = JSON.stringify(s.runtime.backend.sheetRaw('Guests'));
    await page.click('#testSignup');
    await page.locator('#shareSaid', { hasText: 'Sent a test of the confirmation email' }).waitFor();
    expect(s.runtime.backend.mail.at(-1)?.subject).toBe("[Test] You're in: Winter Social");
    expect(JSON.stringify(s.runtime.backend.sheetRaw('Guests'))).toBe(guestsBefore);
    // Nothing overflows the sidebar.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(300);
    await page.screenshot({ path: path.join(SHOTS, 'first-card-live-300.png'), fullPage: true });
    await context.close();
  });
});
