/**
 * Telling a simple bot from a person on the sign-up form. Pure.
 *
 * Two signals, and a sign-up is dropped only when both say "bot":
 * - the trap: an off-screen field (`website`, autocomplete off, out of the tab order) holds text.
 *   A bot that fills every field trips it; a person never sees it, but a browser or password
 *   manager may still fill it, so on its own it proves nothing.
 * - the clock: the page stamps the time it rendered the form (`ts`, the server's clock). A stamp
 *   that is missing, unreadable, from the future, or younger than MIN_FILL_MS says the form was not
 *   filled in by someone reading it. A person who uses autofill can also be fast, so on its own
 *   this proves nothing either.
 * A person whose browser filled the trap still took a few seconds on a page that carried a stamp:
 * they are signed up. The one person this rule can still drop is one with JavaScript off, on the
 * embed snippet (a static page, so no stamp), whose browser also filled an off-screen field marked
 * autocomplete="off". See README, "The honeypot".
 */

/** Faster than this from render to submit is not a person reading the form. */
export const MIN_FILL_MS = 3000;
/** Executions run on different machines: allow a little clock skew before a stamp is "from the future". */
export const MAX_SKEW_MS = 60_000;

export type StampCheck = 'ok' | 'missing' | 'unreadable' | 'future' | 'fast';

/**
 * A stamp is the render time in ms, signed by the web app since the throttle counts page views:
 * `<ms>.<nonce>.<signature>` (lanes/form/stamp.ts). An old page's bare `<ms>` still reads.
 */
export function parseStamp(stamp: string): { ms: number; nonce: string; sig: string } | null {
  const m = /^(\d{1,15})(?:\.([A-Za-z0-9_-]{8,40})\.([A-Za-z0-9_-]{16,64}))?$/.exec(stamp.trim());
  return m ? { ms: Number(m[1]), nonce: m[2] ?? '', sig: m[3] ?? '' } : null;
}

export function checkStamp(stamp: string, now: number): StampCheck {
  const s = stamp.trim();
  if (!s) return 'missing';
  const parsed = parseStamp(s);
  if (!parsed) return 'unreadable';
  const age = now - parsed.ms;
  if (age < -MAX_SKEW_MS) return 'future';
  if (age < MIN_FILL_MS) return 'fast';
  return 'ok';
}

/** Whitespace is what a careless autofill or a stray key leaves, not a bot's answer. */
export const trapFilled = (trap: string): boolean => trap.trim() !== '';

/** Both signals: the trap holds text and the stamp does not show a person's pace. */
export function isBot(trap: string, stamp: string, now: number): boolean {
  return trapFilled(trap) && checkStamp(stamp, now) !== 'ok';
}
