/**
 * Wall-clock time in a named time zone, both ways, over the Intl API that Apps Script's V8 runtime
 * has (a library such as date-fns-tz does the same over the same API, for a larger bundle). Pure.
 */

export interface Wall {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall clock in `tz` at instant `t`. */
export function wallAt(t: number, tz: string): Wall & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(t)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour % 24,
    minute: parts.minute,
    second: parts.second,
  };
}

/** How far `tz` is ahead of UTC at instant `t`, in ms. */
function offsetAt(t: number, tz: string): number {
  const w = wallAt(t, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/**
 * The instant the wall clock in `tz` shows `w` (days past the month's end roll over). A time skipped
 * by a daylight-saving change (02:30 on the spring-forward night) is read with the offset from
 * before the change, i.e. it lands an hour later, as a clock set by hand would; a time that occurs
 * twice (autumn) is the first of the two.
 */
export function instantOf(w: Wall, tz: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const before = offsetAt(naive - 36 * 3600e3, tz);
  const after = offsetAt(naive + 36 * 3600e3, tz);
  // Try the earlier offset first: in an overlap both fit and the earlier instant wins.
  for (const off of before >= after ? [before, after] : [after, before]) {
    const t = naive - off;
    if (offsetAt(t, tz) === off) return t;
  }
  return naive - before;
}

/** The wall date `days` after (or before) the date of `w`, same clock time. */
export function plusDays(w: Wall, days: number): Wall {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Minutes since local midnight at `t` in `tz`. */
export function minuteOfDay(t: number, tz: string): number {
  const w = wallAt(t, tz);
  return w.hour * 60 + w.minute;
}
