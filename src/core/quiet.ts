/**
 * Quiet hours: a nightly span in the event's time zone (default 21:00–08:00) when no guest email goes
 * out that isn't an immediate answer to something the guest just did, and no offer runs out. Pure.
 */
import { instantOf, minuteOfDay, plusDays, wallAt } from './zoned';

export interface QuietHours {
  /** Minutes after local midnight: quiet from `from` (inclusive) until `to` (exclusive). */
  from: number;
  to: number;
  timeZone: string;
}

/** "21:00", "9:30", "7.15", "08h00" → minutes after midnight; null if it is not a clock time. */
export function parseClock(s: string): number | null {
  const m = /^(\d{1,2})\s*[:.h]\s*(\d{2})$/i.exec(s.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

export const clockText = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function isQuiet(t: number, q: QuietHours | null): boolean {
  if (!q || q.from === q.to) return false;
  const m = minuteOfDay(t, q.timeZone);
  return q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
}

/** The first instant after `t` (strictly) at which the local clock shows `minutes`. */
function nextClock(t: number, minutes: number, tz: string): number {
  const today = { ...wallAt(t, tz), hour: Math.floor(minutes / 60), minute: minutes % 60 };
  for (let d = 0; d < 3; d++) {
    const at = instantOf(plusDays(today, d), tz);
    if (at > t) return at;
  }
  return t + 24 * 3600e3;
}

/** When the quiet hours around `t` end (`t` itself when it is not quiet). */
export function quietEnd(t: number, q: QuietHours | null): number {
  return q && isQuiet(t, q) ? nextClock(t, q.to, q.timeZone) : t;
}

/**
 * An offer's deadline: the claim window counted in waking time only, so an offer made at 20:30 with a
 * 2-hour window runs until 09:30, and never in quiet hours (a deadline that lands on their start moves
 * to their end). Capped at the event's start, which ends every offer.
 */
export function awakeDeadline(start: number, windowMs: number, q: QuietHours | null, cap = Infinity): number {
  if (!q || q.from === q.to) return Math.min(start + windowMs, cap);
  let t = quietEnd(start, q);
  let left = windowMs;
  // Each pass spends one waking stretch; a long window is a few dozen passes at most.
  for (let i = 0; i < 1000 && t < cap; i++) {
    const sleep = nextClock(t, q.from, q.timeZone);
    if (t + left < sleep) return Math.min(t + left, cap);
    left -= sleep - t;
    t = quietEnd(sleep, q);
  }
  return Math.min(t, cap);
}
