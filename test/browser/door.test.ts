/// <reference lib="dom" />
/**
 * The pass and the door in a real browser at a phone's width, inside the sandboxed frame (issue 26):
 * the guest's page shows the pass; the pass opened on a phone that has opened the door page first
 * comes up ready to check in (the door key kept on the device); checking in answers in one round
 * trip and says so; a second scan says when. axe-core finds no violation on any of these pages.
 * Screenshots at 390 px go to test-output/screenshots/.
 */
import * as fs from 'fs';
import { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { DevServer } from '../../emulator/server';
import { sheetRecords } from '../helpers';
import { PHONE, app, eventServer, launch, shot, suite } from './harness';

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on a frame's document (WCAG 2.1 A and AA), as "rule: where" lines. */
async function axeViolations(f: Frame): Promise<string[]> {
  await f.addScriptTag({ content: AXE });
  return f.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          ctx: Document,
          o: object,
        ) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }>;
      };
    };
    const r = await w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/**
 * The frame that shows `text` in `selector`: a button's POST (or the pass page's own, to the door
 * view) replaces the frame's document, so the frame found a moment before may be the old one.
 */
async function frameWith(page: Page, selector: string, text: string | RegExp): Promise<Frame> {
  for (let attempt = 0; ; attempt++) {
    const f = await app(page);
    try {
      await f.locator(selector, { hasText: text }).first().waitFor({ timeout: 2000 });
      return f;
    } catch (e) {
      if (attempt >= 15) throw e;
    }
  }
}

suite('the pass and the door in a browser', () => {
  let s: DevServer;
  let browser: Browser;
  let context: BrowserContext;
  let passLink = '';
  let doorLink = '';
  beforeAll(async () => {
    s = await eventServer(10);
    await s.runtime.postForm({ name: 'Ada Lovelace', email: 'ada@example.com' });
    const m = s.runtime.backend.mail.find((x) => /Your pass/.test(x.body))!;
    passLink = /Your pass \(show it at the door; it cannot change your RSVP\): (\S+)/.exec(m.body)![1];
    const kit = (await s.runtime.scriptRun('dashboardShare', [], 'sidebar')) as {
      ok: true;
      result: { doorLink: string };
    };
    doorLink = `${kit.result.doorLink}&d=Front`;
    browser = await launch();
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: PHONE });
  });
  afterEach(() => context?.close());

  test("the guest's own page and the pass page: the QR code, no way to change the RSVP from the pass", async () => {
    const token = String(sheetRecords(s.runtime, 'Guests')[0].Token);
    const page = await context.newPage();
    await page.goto(`${s.url}/exec?action=status&t=${token}`);
    const f = await app(page);
    await f.locator('#pass-heading').waitFor();
    expect(await f.locator('.pass-qr svg').count()).toBe(1);
    await shot(page, 'guest-page-pass');
    expect(await axeViolations(f)).toEqual([]);
    await page.goto(passLink);
    const p = await app(page);
    await p.locator('.qr svg').waitFor();
    expect(await p.locator('button').count()).toBe(0);
    await shot(page, 'pass');
    expect(await axeViolations(p)).toEqual([]);
    // The control: the same check on the same page with an unlabelled image and button does see them.
    await p.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<img src="data:,"><button></button>');
    });
    expect((await axeViolations(p)).map((v) => v.split(':')[0]).sort()).toEqual(['button-name', 'image-alt']);
  });

  test('a phone that opened the door page: a scanned pass opens ready to check in, one tap checks in, a second scan says when', async () => {
    const page = await context.newPage();
    await page.goto(doorLink);
    const d = await app(page);
    await d.locator('h1', { hasText: 'Check-in · Front' }).waitFor();
    await shot(page, 'door-page');
    expect(await axeViolations(d)).toEqual([]);
    // The phone's camera opens the pass link: the door key kept on this device brings the door view.
    await page.goto(passLink);
    const v = await frameWith(page, 'button', 'Check in 1');
    await expect(v.locator('.card h2').first().textContent()).resolves.toBe('Ada Lovelace');
    await shot(page, 'door-view');
    expect(await axeViolations(v)).toEqual([]);
    await v.click('button:has-text("Check in 1")');
    await frameWith(page, '#notice h2', 'Checked in: 1 of 1.');
    expect(sheetRecords(s.runtime, 'Guests')[0].Arrived).toBe(1);
    await shot(page, 'door-checked-in');
    await page.goto(passLink);
    const again = await frameWith(page, '.card p', /Arrived: 1 of 1 at \d\d:\d\d \(Front\)/);
    expect(await again.locator('button', { hasText: 'Check in' }).count()).toBe(0);
  });
});
