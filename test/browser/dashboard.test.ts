/**
 * The host's dashboard in a real browser (issue 13): the sidebar as the dev server serves it beside
 * the sheet, its google.script.run calls, a button, the refresh timer (page.clock: no real waits),
 * and clicking a cell of /sheets to edit it.
 */
import { Browser, Page } from 'playwright-core';
import { DevServer } from '../../emulator/server';
import { guestRecord, sheetRecords } from '../helpers';
import { eventServer, launch, quietAwayFromNow, setSettings, shot, suite } from './harness';

suite('the dashboard and the /sheets page', () => {
  let browser: Browser;
  let s: DevServer;
  const quiet = quietAwayFromNow();

  beforeAll(async () => {
    browser = await launch();
    s = await eventServer(3);
    setSettings(s, { 'Quiet hours': quiet });
    const post = (fields: Record<string, string>) => s.runtime.postForm({ format: 'json', ...fields });
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f'])
      await post({ name: `Guest ${n.toUpperCase()}`, email: `${n}@example.com` });
    const token = guestRecord(s.runtime, 'a@example.com')!.Token as string;
    await post({ action: 'cancel', t: token }); // d is offered
    s.runtime.backend.hostEdit('Import', 'A2:B2', [['Ivy', 'ivy@example.com']]);
    await s.runtime.run('importPending', [], { context: 'editor' });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function dashboard(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 420, height: 1100 } });
    await page.clock.install();
    await page.goto(`${s.url}/dashboard`);
    await page.locator('#updated', { hasText: /^Updated / }).waitFor();
    return page;
  }
  const countOf = (page: Page, status: string) =>
    page.locator(`.count[data-status="${status}"] b`).textContent();

  test('shows every state, the offer and its deadline, the waitlist in order, and no warning', async () => {
    const page = await dashboard();
    expect(await page.locator('#event').textContent()).toBe('Winter Social');
    expect(await page.locator('#statusLine').textContent()).toBe(
      'Full: 2 on the waitlist · 1 held for offers · capacity 3',
    );
    expect(
      await Promise.all(
        ['confirmed', 'offered', 'waitlisted', 'invited', 'cancelled', 'seats left'].map((x) =>
          countOf(page, x),
        ),
      ),
    ).toEqual(['2', '1', '2', '1', '1', '0']);
    // Each figure says what it counts: seats (a party of 3 is 3) or RSVPs.
    await expect(page.locator('.count[data-status="confirmed"]').textContent()).resolves.toBe(
      '2confirmed (seats)',
    );
    await expect(page.locator('.count[data-status="invited"]').textContent()).resolves.toBe(
      '1invited (RSVPs)',
    );
    expect(await page.locator('#offers li').allTextContents()).toEqual([
      expect.stringMatching(
        /^Guest D <d@example.com>: claim by \w{3} \d{1,2} \w{3}, \d{2}:\d{2} \(emailed\)$/,
      ),
    ]);
    expect(await page.locator('#waiting li').allTextContents()).toEqual([
      '#1 Guest E <e@example.com>',
      '#2 Guest F <f@example.com>',
    ]);
    expect(await page.locator('#warnings .warn').count()).toBe(0);
    // The reminder slots and the quiet hours, one line each (the last always the quiet hours).
    expect((await page.locator('#reminders li').allTextContents()).at(-1)).toBe(
      `Quiet hours: ${quiet.replace('-', '–')}`,
    );
    expect(await page.locator('#log li').first().textContent()).toContain('ivy@example.com · new → invited');
    await shot(page, 'dashboard');
    await page.close();
  });

  test('a button runs its action and shows the sentence it answered', async () => {
    const page = await dashboard();
    await page.getByRole('button', { name: 'Recount and repair' }).click();
    await page
      .locator('#result', {
        hasText: /^Confirmed 2 seats, offered 1 seat, waitlisted 2 seats, .*; 0 seats left\./,
      })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Recount and repair' }).isEnabled()).toBe(true);
    await page.close();
  });

  test('refreshes itself while open: a change made elsewhere shows after 30 s, with no reload', async () => {
    const page = await dashboard();
    await page.evaluate(() => ((window as unknown as { __mark: number }).__mark = 7));
    expect(await countOf(page, 'confirmed')).toBe('2');
    const token = guestRecord(s.runtime, 'd@example.com')!.Token as string;
    await s.runtime.postForm({ action: 'claim', t: token, format: 'json' });
    await page.clock.runFor(29_000);
    expect(await countOf(page, 'confirmed')).toBe('2'); // not yet: no refresh before its time
    await page.clock.runFor(1_000);
    await page.locator('.count[data-status="confirmed"] b', { hasText: '3' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __mark?: number }).__mark)).toBe(7);
    await page.close();
  });

  test('/sheets: the dashboard beside the sheet; clicking a cell fills the editor; a Settings typo shows flagged', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${s.url}/sheets?tab=Settings`);
    const frame = page.frameLocator('iframe[title="RSVP dashboard"]');
    await frame.locator('#event', { hasText: 'Winter Social' }).waitFor();
    const capRow = s.runtime.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Capacity') + 1;
    await page.locator(`td[data-a1="B${capRow}"]`).click();
    expect(await page.locator('#edit input[name=a1]').inputValue()).toBe(`B${capRow}`);
    expect(await page.locator('#edit textarea[name=value]').inputValue()).toBe('3');
    await page.locator('#edit textarea[name=value]').fill('ten');
    await page.getByRole('button', { name: 'Edit cell (fires onEdit)' }).click();
    await page.locator('.banner', { hasText: /Registration is paused until Settings are fixed/ }).waitFor();
    // The editor keeps the cell it was on; the flagged cell is red and carries the note.
    expect(await page.locator('#edit input[name=a1]').inputValue()).toBe(`B${capRow}`);
    const cell = page.locator(`td[data-a1="B${capRow}"]`);
    expect(await cell.getAttribute('title')).toMatch(/^RSVP: Capacity must be a whole number/);
    expect(await cell.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(244, 199, 195)');
    await frame.locator('.warn', { hasText: /Registration is paused/ }).waitFor();
    await shot(page, 'sheets-with-dashboard');
    await page.locator('#edit textarea[name=value]').fill('3');
    await page.getByRole('button', { name: 'Edit cell (fires onEdit)' }).click();
    await page.locator('.banner', { hasText: `Edited Settings!B${capRow}.` }).waitFor();
    expect(await page.locator(`td[data-a1="B${capRow}"]`).getAttribute('title')).toBeNull();
    await page.close();
  });

  test('/sheets: a CSV block typed into one cell stays in it; a menu button answers in a sentence', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${s.url}/sheets?tab=Import`);
    await page.locator('#edit input[name=a1]').fill('A3'); // below the table: typed, not clicked
    await page
      .locator('#edit textarea[name=value]')
      .fill('Name,Email\nJo,jo@example.com\nKim,kim@example.com');
    await page.getByRole('button', { name: 'Edit cell (fires onEdit)' }).click();
    await page.locator('.banner', { hasText: 'Edited Import!A3.' }).waitFor();
    expect(sheetRecords(s.runtime, 'Import')[1].Name).toBe(
      'Name,Email\nJo,jo@example.com\nKim,kim@example.com',
    );
    await page.getByRole('button', { name: 'Import as pending invites' }).click();
    await page.locator('.banner', { hasText: /^2 imported, 2 invited/ }).waitFor();
    await page.close();
  });
});
