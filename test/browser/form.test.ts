/// <reference lib="dom" />
// Functions passed to page.evaluate run in the page: they see the DOM.
/**
 * The sign-up form on /exec in a real browser (Debian's Chromium through playwright-core) against
 * the dev server, as a guest experiences it: with JavaScript the answer appears in place (no
 * navigation, no wasted request, the live region announces it and takes focus); without it the
 * plain POST answers with a page whose answer takes focus; busy or refused requests are retried;
 * dark mode keeps error text and the focus ring readable. Screenshots of each state, at desktop and
 * 390 px phone width, go to test-output/screenshots/.
 */
import { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { DevServer } from '../../emulator/server';
import { guestRecord, sheetRecords } from '../helpers';
import { app, contrast, eventServer, focused, launch, setSettings, shot, suite, watch } from './harness';

/** Email, Status and Waitlist # of each Guests row, by header. */
const guests = (s: DevServer) =>
  sheetRecords(s.runtime, 'Guests').map((r) => [r.Email, r.Status, r['Waitlist #']]);

suite('the form on /exec in a browser', () => {
  let s: DevServer;
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    s = await eventServer(1);
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

  /** Every POST the page made went to the form's real URL, and nothing came back 4xx/5xx. */
  const onlyRealPosts = (w: ReturnType<typeof watch>, posts: number) => {
    expect(w.failed).toEqual([]);
    expect(w.requests.filter((r) => r.startsWith('POST'))).toEqual(Array(posts).fill(`POST ${s.url}/exec`));
  };

  test('with JavaScript: errors and the answer appear in place, announced and focused, without navigating', async () => {
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${s.url}/exec`);
    const f = await app(page);
    await expect(f.locator('h1').textContent()).resolves.toBe('Winter Social');
    await expect(f.locator('.seats').textContent()).resolves.toBe('1 seat left');
    await shot(page, 'exec-form');
    await w.mark();

    // Nothing typed: each field says what to fix, in place; the summary is announced and focused.
    await f.click('button[type=submit]');
    await f.locator('#answer h2', { hasText: 'Please check the form.' }).waitFor();
    await expect(f.locator('#name-error').textContent()).resolves.toBe('Please enter your name.');
    await expect(f.locator('#email-error').textContent()).resolves.toBe('Please enter your email address.');
    expect(await f.locator('#email').getAttribute('aria-invalid')).toBe('true');
    expect(await f.locator('#email').getAttribute('aria-describedby')).toBe('email-error');
    expect(await focused(page)).toBe('answer');
    expect(await f.locator('#answer').getAttribute('aria-live')).toBe('polite');
    expect(await w.stillSameDocument()).toBe(true);
    await shot(page, 'exec-js-invalid');

    // Fixing one field clears its error and keeps the other's.
    await f.fill('#name', 'Ada Lovelace');
    await f.fill('#email', 'ada@example');
    await f.click('button[type=submit]');
    await f.locator('#email-error', { hasText: 'missing its ending' }).waitFor();
    expect(await f.locator('#name-error').count()).toBe(0);
    expect(await f.locator('#name').getAttribute('aria-invalid')).toBeNull();

    await f.fill('#email', 'Ada@Example.com');
    await f.click('button[type=submit]');
    await f.locator('#answer h2', { hasText: "You're in!" }).waitFor();
    expect(await w.stillSameDocument()).toBe(true);
    expect(page.url()).toBe(`${s.url}/exec`);
    expect(await focused(page)).toBe('answer');
    expect(await f.locator('#rsvp').isHidden()).toBe(true);
    // Ada took the last seat: the seats line says so in place, not "1 seat left".
    await expect(f.locator('.seats').textContent()).resolves.toBe('The event is full: the waitlist is open');
    onlyRealPosts(w, 3);
    await shot(page, 'exec-js-confirmed');
    expect(guests(s)).toEqual([['ada@example.com', 'confirmed', '']]);
  });

  test('with JavaScript: the full event says "Join the waitlist" and answers the position in place; a second try gets the status back', async () => {
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${s.url}/exec`);
    let f = await app(page);
    await expect(f.locator('button[type=submit]').textContent()).resolves.toBe('Join the waitlist');
    await expect(f.locator('.seats').textContent()).resolves.toBe('The event is full: the waitlist is open');
    await w.mark();
    await f.fill('#name', 'Alan Turing');
    await f.fill('#email', 'alan@example.com');
    await f.click('button[type=submit]');
    await f
      .locator('#answer h2', { hasText: "The event is full: you're number 1 on the waitlist." })
      .waitFor();
    expect(await w.stillSameDocument()).toBe(true);
    expect(await focused(page)).toBe('answer');
    await shot(page, 'exec-js-waitlisted');

    await page.goto(`${s.url}/exec`);
    f = await app(page);
    await w.mark();
    await f.fill('#name', 'Alan');
    await f.fill('#email', 'ALAN@example.com');
    await f.click('button[type=submit]');
    await f.locator('#answer h2', { hasText: "You're already number 1 on the waitlist." }).waitFor();
    expect(await w.stillSameDocument()).toBe(true);
    onlyRealPosts(w, 2);
    await shot(page, 'exec-js-duplicate');
  });

  test('without JavaScript: the plain POST answers with a page inside the frame, its title leading with the answer', async () => {
    const nojs = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 800 },
    });
    const page = await nojs.newPage();
    await page.goto(`${s.url}/exec`);
    let f = await app(page);
    await shot(page, 'exec-nojs-form');
    // Hostile input is shown back as text, not markup.
    await f.fill('#name', '<img src=x onerror=alert(1)>');
    await f.fill('#email', 'not an email');
    await Promise.all([f.waitForNavigation(), f.click('button[type=submit]')]);
    f = await app(page);
    expect(await f.inputValue('#name')).toBe('<img src=x onerror=alert(1)>');
    expect(await f.locator('img').count()).toBe(0);
    await expect(f.locator('#email-error').textContent()).resolves.toBe(
      'That email address has a space in it.',
    );
    // The frame is cross-origin, as on Google, so the browser ignores autofocus there. The posted
    // page opened inside it (another /exec page), and what a screen reader announces on entering
    // it is that page's title, which leads with the answer.
    expect(await f.locator('#answer').evaluate((el) => el === document.activeElement)).toBe(false);
    expect(await f.parentFrame()?.title()).toBe(
      `${await f.locator('#answer h2').textContent()} – Winter Social`,
    );
    await shot(page, 'exec-nojs-invalid');

    await f.fill('#name', 'Grace Hopper');
    await f.fill('#email', 'grace@example.com');
    await Promise.all([f.waitForNavigation(), f.click('button[type=submit]')]);
    f = await app(page);
    await expect(f.locator('#answer h2').textContent()).resolves.toBe(
      "The event is full: you're number 2 on the waitlist.",
    );
    expect(await f.parentFrame()?.title()).toBe(
      "The event is full: you're number 2 on the waitlist. – Winter Social",
    );
    await shot(page, 'exec-nojs-waitlisted');
    await nojs.close();
  });

  /**
   * Answers each POST to /exec from `plan` in turn ('busy' JSON, an HTTP status, 'network' for a
   * dropped connection, 'real' for the web app), counting them.
   */
  function scripted(page: Page, plan: Array<'busy' | 429 | 503 | 'network' | 'real'>) {
    let n = 0;
    const handler = async (route: Route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const step = plan[n++] ?? 'real';
      if (step === 'real') return route.continue();
      if (step === 'network') return route.abort('connectionreset');
      if (step === 'busy') {
        return route.fulfill({
          status: 200,
          contentType: 'application/json',
          headers: { 'Access-Control-Allow-Origin': '*' },
          body: JSON.stringify({
            status: 'busy',
            message: "We're busy right now: please try again in a moment.",
            detail: '',
          }),
        });
      }
      return route.fulfill({ status: step, contentType: 'text/html', body: '<h1>Too many requests</h1>' });
    };
    return {
      install: () => page.route(`${s.url}/exec`, handler),
      get count() {
        return n;
      },
    };
  }

  /** The page's timers run only when the test advances them (install alone lets time flow). */
  async function pausedClock(page: Page) {
    const t0 = new Date('2026-01-01T09:00:00Z').getTime();
    await page.clock.install({ time: t0 });
    await page.clock.pauseAt(t0 + 3600e3);
  }

  /** Tries 2 to 40 of the form's retries (src/ui/Client.html). */
  const TRIES_AFTER_FIRST = Array.from({ length: 39 }, (_, i) => i + 2);

  /** The guest is told it is retrying (try k of 40); advance the page's clock past that backoff. */
  async function throughBackoff(page: Page, tries: number[]) {
    const f = await app(page);
    for (const k of tries) {
      await f.locator('#answer', { hasText: `Try ${k} of 40.` }).waitFor();
      await expect(f.locator('#answer h2').textContent()).resolves.toBe('Busy right now — trying again…');
      // Backoff before try k: 1 s × 2^(k-2), at most 15 s, jittered to at most 1.5 times that.
      await page.clock.runFor(1500 * Math.min(2 ** (k - 2), 15));
    }
  }

  test('busy, refused or dropped: the form retries with backoff, says so, and then answers', async () => {
    const page = await context.newPage();
    await pausedClock(page);
    const w = watch(page);
    const net = scripted(page, [503, 'busy', 'network']);
    await net.install();
    await page.goto(`${s.url}/exec`);
    const f = await app(page);
    await w.mark();
    await f.fill('#name', 'Edsger Dijkstra');
    await f.fill('#email', 'edsger@example.com');
    await f.click('button[type=submit]');
    await f.locator('#answer', { hasText: 'Try 2 of 40.' }).waitFor();
    expect(await f.locator('button[type=submit]').getAttribute('aria-disabled')).toBe('true');
    await shot(page, 'exec-js-retrying');
    await throughBackoff(page, [2, 3, 4]);
    await f.locator('#answer h2', { hasNotText: 'Busy right now' }).waitFor();
    expect(net.count).toBe(4);
    expect(await w.stillSameDocument()).toBe(true);
    expect(await focused(page)).toBe('answer');
    // Only the fourth try reached the web app: one row, and the answer is that row's.
    const rows = guests(s).filter(([email]) => email === 'edsger@example.com');
    expect(rows).toHaveLength(1);
    const [, status, position] = rows[0];
    await expect(f.locator('#answer h2').textContent()).resolves.toBe(
      status === 'confirmed' ? "You're in!" : `The event is full: you're number ${position} on the waitlist.`,
    );
  });

  test('still busy after forty tries (about ten minutes): a clear message, the form stays, nothing is written', async () => {
    const page = await context.newPage();
    await pausedClock(page);
    const net = scripted(page, [429, 503, ...Array(38).fill('busy')]);
    await net.install();
    await page.goto(`${s.url}/exec`);
    const f = await app(page);
    await f.fill('#name', 'Barbara Liskov');
    await f.fill('#email', 'barbara@example.com');
    await f.click('button[type=submit]');
    await throughBackoff(page, TRIES_AFTER_FIRST);
    await f
      .locator('#answer h2', { hasText: "We're still busy, so your sign-up hasn't gone through." })
      .waitFor();
    expect(net.count).toBe(40);
    expect(await focused(page)).toBe('answer');
    expect(await f.locator('#rsvp').isVisible()).toBe(true);
    expect(await f.locator('button[type=submit]').getAttribute('aria-disabled')).toBeNull();
    expect(await f.inputValue('#email')).toBe('barbara@example.com');
    await shot(page, 'exec-js-still-busy');

    // The connection is gone every time: the guest is told to check it, and may press again.
    const offline = await context.newPage();
    await pausedClock(offline);
    await scripted(offline, Array(40).fill('network')).install();
    await offline.goto(`${s.url}/exec`);
    const fo = await app(offline);
    await fo.fill('#name', 'Barbara Liskov');
    await fo.fill('#email', 'barbara@example.com');
    await fo.click('button[type=submit]');
    await throughBackoff(offline, TRIES_AFTER_FIRST);
    await fo.locator('#answer h2', { hasText: "We couldn't get an answer." }).waitFor();
    await shot(offline, 'exec-js-offline');
    expect(guests(s).some(([email]) => email === 'barbara@example.com')).toBe(false);
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`${scheme} mode: error text at 4.5:1 or more and the focus ring at 3:1 or more against the page`, async () => {
      const themed = await browser.newContext({
        colorScheme: scheme,
        viewport: { width: 1280, height: 800 },
      });
      const page = await themed.newPage();
      await page.goto(`${s.url}/exec`);
      const f = await app(page);
      const background = await f.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(scheme === 'dark' ? 'rgb(18, 18, 18)' : 'rgb(255, 255, 255)');
      await f.click('button[type=submit]');
      await f.locator('#email-error').waitFor();
      const errorColour = await f.locator('#email-error').evaluate((el) => getComputedStyle(el).color);
      expect(contrast(errorColour, background)).toBeGreaterThanOrEqual(4.5);
      // Keyboard focus (focus-visible) on a field and on the button: the ring sits on the page background.
      for (const sel of ['#email', 'button[type=submit]']) {
        if (sel === '#email') await f.locator(sel).focus();
        else await page.keyboard.press('Tab');
        const ring = await f.locator(sel).evaluate((el) => {
          const cs = getComputedStyle(el);
          return {
            style: cs.outlineStyle,
            width: cs.outlineWidth,
            colour: cs.outlineColor,
            focused: el === document.activeElement,
          };
        });
        expect(ring).toMatchObject({ style: 'solid', width: '3px', focused: true });
        expect(contrast(ring.colour, background)).toBeGreaterThanOrEqual(3);
      }
      await shot(page, `exec-${scheme}-invalid-focus`);
      await themed.close();
    });
  }

  test('the cancel link: the page asks, the button cancels, and the seat is offered on', async () => {
    const ada = guestRecord(s.runtime, 'ada@example.com')!;
    const page = await context.newPage();
    await page.goto(`${s.url}/exec?action=cancel&t=${ada.Token}`);
    const f = await app(page);
    await expect(f.locator('#answer h2').textContent()).resolves.toBe('Cancel your RSVP?');
    await shot(page, 'cancel-confirm');
    const w = watch(page);
    await w.mark();
    await f.click('text=Yes, cancel my RSVP');
    await f.locator('#answer h2', { hasText: 'Your RSVP is cancelled.' }).waitFor();
    expect(await w.stillSameDocument()).toBe(true);
    expect(await focused(page)).toBe('answer');
    await shot(page, 'cancel-done');
    expect(guests(s).slice(0, 2)).toEqual([
      ['ada@example.com', 'cancelled', ''],
      ['alan@example.com', 'offered', ''],
    ]);
  });

  test("the dev server's own pages post from the same origin and still work", async () => {
    const page = await context.newPage();
    await page.goto(`${s.url}/sheets?tab=Settings`);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Recount and repair")')]);
    await expect(page.locator('.banner').textContent()).resolves.toMatch(
      /^Confirmed \d+ seats?, offered \d+ seats?/,
    );
    await page.goto(`${s.url}/inbox`);
    await page.fill('input[name=subject]', 'Re: hello from the inbox page');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Deliver")')]);
    await expect(page.locator('.banner').textContent()).resolves.toMatch(/^Delivered message/);
  });
});

suite('parties on the form in a browser', () => {
  let s: DevServer;
  let browser: Browser;
  beforeAll(async () => {
    s = await eventServer(4);
    setSettings(s, { 'Largest party': 3 });
    await s.runtime.run('recount', [], { context: 'editor' });
    browser = await launch();
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  test('the guest says how many are coming; the answer, in place, says the seats held', async () => {
    const page = await browser.newPage();
    const w = watch(page);
    await page.goto(`${s.url}/exec`);
    const f = await app(page);
    await expect(f.locator('label[for=party]').textContent()).resolves.toBe(
      'How many of you are coming (including you)?',
    );
    await w.mark();
    await f.fill('#name', 'Ada Lovelace');
    await f.fill('#email', 'ada@example.com');
    await f.selectOption('#party', '3');
    await f.click('button[type=submit]');
    await f.locator('#answer h2', { hasText: "You're in! 3 seats are held for you." }).waitFor();
    expect(await w.stillSameDocument()).toBe(true);
    expect(await focused(page)).toBe('answer');
    expect(sheetRecords(s.runtime, 'Guests')[0].Party).toBe(3);
    await shot(page, 'exec-party');
    await page.close();
  });
});
