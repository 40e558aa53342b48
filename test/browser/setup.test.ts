/**
 * RSVP → Set up your event in a real browser, at Sheets' 300 px sidebar width (issue 23): each
 * field checked as the host types, the browser's own date and time picker, a save that writes
 * Settings and says what is next, and a host who abandons half-way, which changes nothing.
 */
import * as path from 'path';
import { Browser, Page } from 'playwright-core';
import { DevServer } from '../../emulator/server';
import { SHOTS, eventServer, launch, suite } from './harness';

const SIDEBAR = { width: 300, height: 1600 };

suite('the Set up sidebar', () => {
  let browser: Browser;
  let s: DevServer;

  beforeAll(async () => {
    browser = await launch();
    s = await eventServer(20);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const settings = () => JSON.stringify(s.runtime.backend.sheetRaw('Settings').map((r) => r.slice(0, 2)));
  const setting = (label: string) => s.runtime.backend.sheetRaw('Settings').find((r) => r[0] === label)?.[1];

  async function sidebar(): Promise<Page> {
    const page = await browser.newPage({ viewport: SIDEBAR });
    await page.goto(`${s.url}/setup`);
    await page.locator('#save:not([disabled])').waitFor();
    return page;
  }
  const snap = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SHOTS, `setup-${name}-300.png`), fullPage: true });
  const errorOf = (page: Page, key: string) => page.locator(`#f-${key}-error`).textContent();

  test('shows what Settings holds, in the browser’s own inputs', async () => {
    const page = await sidebar();
    expect(await page.inputValue('#f-eventName')).toBe('Winter Social');
    expect(await page.inputValue('#f-capacity')).toBe('20');
    expect(await page.getAttribute('#f-startsAt', 'type')).toBe('datetime-local');
    expect(await page.inputValue('#f-startsAt')).toMatch(/^\d{4}-\d\d-\d\dT19:00$/);
    expect(await page.inputValue('#f-timeZone')).toBe('UTC');
    expect(await page.locator('#f-offerExpiry').count()).toBe(0); // (kept in the sheet, not the sidebar)
    // Nothing overflows the sidebar: no horizontal scrolling at 300 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(300);
    await snap(page, 'loaded');
    await page.close();
  });

  test('each field is checked as the host types; Save with a problem saves nothing and moves focus to it', async () => {
    const page = await sidebar();
    const before = settings();
    await page.fill('#f-capacity', '-3');
    await page.locator('#f-capacity').blur();
    expect(await errorOf(page, 'capacity')).toBe('Capacity must be a whole number, 0 or more.');
    expect(await page.getAttribute('#f-capacity', 'aria-invalid')).toBe('true');
    // Fixed as typed: the error goes without leaving the field.
    await page.locator('#f-capacity').fill('30');
    expect(await errorOf(page, 'capacity')).toBe('');
    await page.fill('#f-eventName', '');
    await page.locator('#f-eventName').blur();
    expect(await errorOf(page, 'eventName')).toBe('Event name is required.');
    await page.fill('#f-replyTo', 'not an address');
    await page.locator('#f-replyTo').blur();
    expect(await errorOf(page, 'replyTo')).toBe('Reply-to address must be an email address.');
    await snap(page, 'errors');
    await page.click('#save');
    expect(await page.locator('#answer').textContent()).toBe(
      'Nothing was saved: fix the fields marked below.',
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-eventName');
    expect(settings()).toBe(before);
    await page.close();
  });

  test('a date and time picked, a time zone chosen, Save: Settings holds them and the answer says what is next', async () => {
    const page = await sidebar();
    await page.fill('#f-eventName', 'Spring Gala');
    await page.fill('#f-startsAt', '2027-04-10T18:30');
    await page.fill('#f-endsAt', '2027-04-10T17:00');
    await page.locator('#f-endsAt').blur();
    await page.selectOption('#f-timeZone', 'America/New_York');
    await page.click('#save');
    // Ends before it starts: caught in the page, nothing sent.
    expect(await errorOf(page, 'endsAt')).toBe('Ends at is before Starts at.');
    await page.fill('#f-endsAt', '2027-04-10T23:00');
    await page.click('#save');
    await page.locator('#answer.ok', { hasText: 'Saved.' }).waitFor();
    // Nobody has opened the form yet, so its public link is not known: the answer says what to do.
    expect(await page.locator('#answer').textContent()).toMatch(
      /^Saved\. Next: Deploy → New deployment → Web app \(execute as me, who has access: anyone\), then open the form once\./,
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('answer');
    // Once the form has been opened, the answer links to it.
    const guest = await browser.newPage();
    await guest.goto(`${s.url}/exec`);
    await guest.close();
    await page.click('#save');
    await page.locator('#formLink').waitFor();
    expect(await page.locator('#formLink').getAttribute('href')).toBe(`${s.url}/exec`);
    expect(setting('Event name')).toBe('Spring Gala');
    expect(setting('Time zone')).toBe('America/New_York');
    // The sheet shows the wall time picked (and the keeper reads it in New York).
    const start = setting('Starts at') as Date;
    expect(start).toBeInstanceOf(Date);
    const page2 = await sidebar();
    expect(await page2.inputValue('#f-startsAt')).toBe('2027-04-10T18:30');
    await snap(page, 'saved');
    await page.close();
    await page2.close();
  });

  test('a host who abandons half-way changes nothing', async () => {
    const page = await sidebar();
    const before = settings();
    await page.fill('#f-eventName', 'Half-typed');
    await page.fill('#f-capacity', '999');
    await page.close();
    expect(settings()).toBe(before);
  });
});
