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

export function checkStamp(stamp: string, now: number): StampCheck {
  const s = stamp.trim();
  if (!s) return 'missing';
  if (!/^\d{1,15}$/.test(s)) return 'unreadable';
  const age = now - Number(s);
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
