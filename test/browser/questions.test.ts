/// <reference lib="dom" />
/**
 * The host's questions on /exec in a real browser, inside the sandboxed frame (issue 25): the
 * per-person groups follow the party chosen (the others hidden and not posted), a missing answer is
 * shown on its own field in place, and the row gets each person's answer. Screenshots of the form
 * with questions, at desktop and 390 px.
 */
import { Browser, BrowserContext } from 'playwright-core';
import { DevServer } from '../../emulator/server';
import { sheetRecords } from '../helpers';
import { app, eventServer, focused, launch, setSettings, shot, suite, watch } from './harness';

suite('questions on the form in a browser', () => {
  let s: DevServer;
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    s = await eventServer(10);
    setSettings(s, { 'Largest party': 3 });
    await s.runtime.hostEdit('Questions', 'A2:H3', [
      [
        'yes',
        'Dietary needs',
        'one choice',
        'None, Vegetarian, Vegan',
        'yes',
        'for each person',
        'yes',
        'no',
      ],
      ['yes', 'T-shirt size', 'several choices', 'S, M, L', 'no', 'once per RSVP', 'no', 'no'],
    ]);
    browser = await launch();
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });
  afterEach(() => context?.close());

  test('per-person questions follow the party; a missing answer is marked on its field; the row holds each answer', async () => {
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${s.url}/exec`);
    const f = await app(page);
    await w.mark();
    // A party of 1: only the guest's own group; the others are hidden and disabled.
    const group = (p: number) => f.locator(`[data-rsvp-person="${p}"]`);
    expect(await group(1).isVisible()).toBe(true);
    expect(await group(2).isHidden()).toBe(true);
    await f.fill('#name', 'Ada Lovelace');
    await f.fill('#email', 'ada@example.com');
    await f.selectOption('#party', '2');
    expect(await group(2).isVisible()).toBe(true);
    expect(await group(3).isHidden()).toBe(true);
    await expect(group(2).locator('legend').textContent()).resolves.toBe('Guest 2');
    const diet = group(1).locator('select');
    const key = String(await diet.getAttribute('name')).replace(/_1$/, '');
    await diet.selectOption('Vegan');
    await f.check('input[value="M"]');
    await shot(page, 'exec-questions');
    // Guest 2's answer is required and missing: said on that field, in place.
    await f.click('button[type=submit]');
    await f.locator('#answer h2', { hasText: 'Please check the form.' }).waitFor();
    const err = f.locator(`[data-rsvp-field="${key}_2"] .error-text`);
    await expect(err.textContent()).resolves.toBe('Please answer for Guest 2: Dietary needs');
    expect(await group(2).locator('select').getAttribute('aria-invalid')).toBe('true');
    expect(await f.locator(`[data-rsvp-field="${key}_1"] .error-text`).count()).toBe(0);
    expect(await focused(page)).toBe('answer');
    expect(await w.stillSameDocument()).toBe(true);
    await shot(page, 'exec-questions-invalid');
    await group(2).locator('input[name="person_2"]').fill('Bob');
    await group(2).locator('select').selectOption('None');
    await f.click('button[type=submit]');
    await f.locator('#answer h2', { hasText: "You're in!" }).waitFor();
    expect(await w.stillSameDocument()).toBe(true);
    const row = sheetRecords(s.runtime, 'Guests').find((r) => r.Email === 'ada@example.com')!;
    expect(row['Dietary needs']).toBe('Ada Lovelace: Vegan\nBob: None');
    expect(row['T-shirt size']).toBe('M');
    expect(row.Party).toBe(2);
  });
});
