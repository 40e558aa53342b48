/// <reference lib="dom" />
// Functions passed to page.evaluate run in the page: they see the DOM.
/**
 * Shared by the browser tests: Debian's Chromium through playwright-core, a dev server with an
 * event set up, screenshots at desktop and phone width, and what a guest's page did on the wire.
 * Without Chromium the suites are skipped, except under CI, where they fail.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Frame, Page, chromium } from 'playwright-core';
import { DevServer, startServer } from '../../emulator/server';

export { contrast } from './contrast';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
export const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');
if (!CHROMIUM && process.env.CI) throw new Error('Chromium is required in CI (apt-get install -y chromium)');
if (!CHROMIUM) console.warn('browser tests skipped: no Chromium (apt-get install -y chromium)');
export const suite = CHROMIUM ? describe : describe.skip;

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function launch(): Promise<Browser> {
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // The guest page is a cross-origin frame (as on Google). Site isolation would put it in its own
      // process, where this Chromium and Playwright disagree ("Object not disposable" on every
      // click); the same-origin policy between the two origins is enforced either way.
      '--disable-site-isolation-trials',
      '--disable-features=IsolateOrigins,site-per-process',
    ],
  });
}

/** A dev server (in memory) with an event: name, start, place and capacity. */
export async function eventServer(
  capacity: number,
  topNavigation: 'allow' | 'forbid' = 'forbid',
): Promise<DevServer> {
  const s = await startServer({ port: 0, dataDir: null, quiet: true, backendOptions: { topNavigation } });
  setSettings(s, {
    Capacity: capacity,
    'Event name': 'Winter Social',
    // The dev server runs in real time: an event two months from today, so the form is always open.
    'Starts at': `${new Date(Date.now() + 60 * 86400e3).toISOString().slice(0, 10)} 19:00`,
    Location: 'The Old Library, 12 High St',
    // Real time too: without this, an offer made after 21:00 waits for the morning (tests about quiet
    // hours set their own, away from the time the test runs).
    'Quiet hours': 'off',
    'Time zone': 'UTC',
  });
  await s.runtime.run('recount', [], { context: 'editor' });
  return s;
}

/** Quiet hours that are never now (two to three hours from the real clock, UTC): "23:00-00:00". */
export function quietAwayFromNow(): string {
  const at = (h: number) => `${String(new Date(Date.now() + h * 3600e3).getUTCHours()).padStart(2, '0')}:00`;
  return `${at(2)}-${at(3)}`;
}

export function setSettings(s: DevServer, values: Record<string, unknown>): void {
  const rows = s.runtime.backend.sheetRaw('Settings');
  for (const [label, value] of Object.entries(values)) {
    const i = rows.findIndex((r) => r[0] === label);
    if (i < 0) throw new Error(`no setting ${label}`);
    s.runtime.backend.hostEdit('Settings', `B${i + 1}`, [[value]]);
  }
}

/** The page as it is now, at desktop width and at a 390 px phone's, then back to where it was. */
export async function shot(page: Page, name: string): Promise<void> {
  const was = page.viewportSize();
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  if (was) await page.setViewportSize(was);
}

/**
 * The guest's page: the script's HTML, framed from the content origin by the /exec page (as Google
 * frames it). A page posted without JavaScript opens inside that frame, so it is another /exec
 * page framing the next: this walks down to the innermost.
 */
export async function app(page: Page): Promise<Frame> {
  let f = page.mainFrame();
  for (;;) {
    await f.waitForLoadState('load');
    const el = await f.$('iframe#sandboxFrame');
    if (!el) return f;
    const inner = await el.contentFrame();
    if (!inner) throw new Error('the sandbox frame has no document');
    f = inner;
  }
}

/**
 * What a guest's page did: every request (method and URL), responses that failed, and how often
 * any of its frames navigated. A document marker set on the guest page's `window` survives only if
 * that page never reloaded or navigated.
 */
export function watch(page: Page) {
  const requests: string[] = [];
  const failed: string[] = [];
  let navigations = 0;
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => failed.push(`failed ${r.method()} ${r.url()}`));
  page.on('framenavigated', () => navigations++);
  return {
    requests,
    failed,
    get navigations() {
      return navigations;
    },
    /** Marks the guest page's document; `stillSameDocument` is true only while it is loaded. */
    async mark() {
      const f = await app(page);
      navigations = 0;
      await f.evaluate(() => ((window as unknown as { __guestMark: number }).__guestMark = 42));
    },
    async stillSameDocument() {
      const f = await app(page);
      const mark = await f
        .evaluate(() => (window as unknown as { __guestMark?: number }).__guestMark)
        .catch(() => undefined);
      return mark === 42 && navigations === 0;
    },
  };
}

/** The id (or tag) of the element that has focus in the guest page (or in `page` itself). */
export const focused = async (page: Page | Frame) => {
  const f = 'mainFrame' in page ? await app(page) : page;
  return f.evaluate(() => {
    const el = document.activeElement;
    return el ? el.id || el.tagName.toLowerCase() : null;
  });
};
