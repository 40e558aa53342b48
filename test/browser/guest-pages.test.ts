/// <reference lib="dom" />
/**
 * Every guest page, opened from the link in the guest's own email, framed as Google frames a web
 * app: the script's HTML on another origin inside a sandboxed iframe. A bound script's frame may not
 * navigate the top window ('forbid'); a standalone script's may, on a click ('allow'). Whichever
 * Google applies, every button and link must work: with JavaScript the next page replaces the
 * frame's content in place and the answer takes focus; without it the frame itself navigates.
 */
import { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { DevServer } from '../../emulator/server';
import { app, eventServer, focused, launch, setSettings, shot, suite, watch } from './harness';

/** Email, Status, Waitlist # and Party of each Guests row, found by header. */
function rows(s: DevServer) {
  const [head, ...body] = s.runtime.backend.sheetRaw('Guests');
  const at = ['Email', 'Status', 'Waitlist #', 'Party'].map((h) => head.indexOf(h));
  return body.map((r) => at.map((i) => r[i]));
}

/** The newest link of `action` in the newest email to `to` that has one. */
function linkIn(s: DevServer, to: string, action: string): string {
  const re = new RegExp(`${s.url.replace(/[.]/g, '\\.')}/exec\\?action=${action}&t=[0-9a-f-]+`);
  for (const m of [...s.runtime.backend.mail].reverse()) {
    const hit = m.to === to ? re.exec(m.body) : null;
    if (hit) return hit[0];
  }
  const got = s.runtime.backend.mail.filter((m) => m.to === to).map((m) => m.subject);
  throw new Error(`no ${action} link in the mail to ${to} (${JSON.stringify(got)})`);
}

for (const topNavigation of ['forbid', 'allow'] as const) {
  for (const js of [true, false]) {
    suite(`guest pages, top navigation ${topNavigation}, ${js ? 'with' : 'without'} JavaScript`, () => {
      let s: DevServer;
      let browser: Browser;
      let context: BrowserContext;
      const tag = `${topNavigation}-${js ? 'js' : 'nojs'}`;
      beforeAll(async () => {
        s = await eventServer(3, topNavigation);
        setSettings(s, { 'Largest party': 2 });
        await s.runtime.run('recount', [], { context: 'editor' });
        browser = await launch();
        context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 800 } });
      }, 60000);
      afterAll(async () => {
        await browser?.close();
        await s?.close();
      });

      /**
       * Presses a button or link on the guest page and waits for the answer. With JavaScript the page
       * never navigates (any frame) and focus lands on the answer; without it the frame navigates.
       */
      async function press(page: Page, f: Frame, selector: string, answer: string): Promise<Frame> {
        const w = watch(page);
        if (js) await w.mark();
        if (js) {
          await f.click(selector);
          await f.locator('#answer h2', { hasText: answer }).waitFor();
          expect(await w.stillSameDocument()).toBe(true);
          expect(await focused(page)).toBe('answer');
        } else {
          await Promise.all([f.waitForNavigation(), f.click(selector)]);
          f = await app(page);
          await expect(f.locator('#answer h2').textContent()).resolves.toContain(answer);
        }
        expect(w.failed).toEqual([]);
        // The top window never left /exec: a guest's page cannot be told to navigate it.
        expect(new URL(page.url()).pathname).toBe('/exec');
        return f;
      }

      async function open(url: string): Promise<{ page: Page; f: Frame }> {
        const page = await context.newPage();
        await page.goto(url);
        return { page, f: await app(page) };
      }

      async function signUp(name: string, email: string, party: number, answer: string) {
        const { page, f } = await open(`${s.url}/exec`);
        await f.fill('#name', name);
        await f.fill('#email', email);
        await f.selectOption('#party', String(party));
        await press(page, f, 'button[type=submit]', answer);
        await page.close();
      }

      test('sign up, cancel, claim the freed seat, leave the waitlist, change the party, go back', async () => {
        await signUp('Dee Dee', 'dee@example.com', 2, "You're in!");
        await signUp('Ada Lovelace', 'ada@example.com', 1, "You're in!");
        await signUp('Bob Bell', 'bob@example.com', 1, "The event is full: you're number 1 on the waitlist.");
        await signUp('Cy Young', 'cy@example.com', 1, "The event is full: you're number 2 on the waitlist.");

        // Ada cancels from her confirmation's link: the page asks, the button cancels.
        let { page, f } = await open(linkIn(s, 'ada@example.com', 'cancel'));
        await expect(f.locator('#answer h2').textContent()).resolves.toBe('Cancel your RSVP?');
        // A question, not a green "confirmed" status above a cancel button.
        await expect(f.locator('#answer .answer').getAttribute('class')).resolves.not.toMatch(/good/);
        f = await press(page, f, 'button:has-text("Yes, cancel my RSVP")', 'Your RSVP is cancelled.');
        await shot(page, `guest-${tag}-cancelled`);
        await page.close();
        expect(rows(s).map((r) => r[1])).toEqual(['confirmed', 'cancelled', 'offered', 'waitlisted']);

        // Bob claims the seat from the offer email.
        ({ page, f } = await open(linkIn(s, 'bob@example.com', 'claim')));
        await expect(f.locator('#answer h2').textContent()).resolves.toBe('A seat is being held for you.');
        f = await press(page, f, 'button:has-text("Claim my seat")', "You're in!");
        await page.close();
        expect(rows(s)[2].slice(0, 2)).toEqual(['bob@example.com', 'confirmed']);

        // Cy leaves the waitlist from her waitlist email.
        ({ page, f } = await open(linkIn(s, 'cy@example.com', 'leave')));
        f = await press(page, f, 'button:has-text("Yes, leave the waitlist")', "You've left the waitlist.");
        await page.close();
        expect(rows(s)[3].slice(0, 2)).toEqual(['cy@example.com', 'cancelled']);

        // Dee comes with one fewer: the page her confirmation links to changes it, freeing a seat.
        ({ page, f } = await open(linkIn(s, 'dee@example.com', 'cancel')));
        await f.selectOption('#party-size', '1');
        f = await press(page, f, '.party-form button', 'Your party is now 1.');
        await page.close();
        // A party of one is a blank Party cell, as the form writes it.
        expect(rows(s)[0]).toEqual(['dee@example.com', 'confirmed', '', '']);

        // A stale link's page offers the way back to the form, and it opens, in the frame.
        ({ page, f } = await open(`${s.url}/exec?action=status&t=00000000-0000-4000-8000-000000000000`));
        const back = f.locator('a[data-rsvp-nav]');
        expect(await back.getAttribute('href')).toBe(`${s.url}/exec`);
        if (js) await back.click();
        else {
          await Promise.all([f.waitForNavigation(), back.click()]);
          f = await app(page);
        }
        await f.locator('form.rsvp-form button[type=submit]', { hasText: 'Reserve my seat' }).waitFor();
        expect(new URL(page.url()).pathname).toBe('/exec');
        await page.close();
      });
    });
  }
}
