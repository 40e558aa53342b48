/** Java SimpleDateFormat patterns (what Utilities.formatDate/parseDate take), via Intl. */
import { CellValue, wallTimeToDate, tzOffsetMinutes } from './cells';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Intl formatters are costly to make: one per zone, made on first use (null: not a zone). */
const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatFor(timeZone: string): Intl.DateTimeFormat | null {
  if (!formats.has(timeZone)) {
    try {
      formats.set(
        timeZone,
        new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
          weekday: 'long',
          timeZoneName: 'short',
        }),
      );
    } catch {
      formats.set(timeZone, null);
    }
  }
  return formats.get(timeZone) ?? null;
}

export function isValidTimeZone(tz: string): boolean {
  return formatFor(tz) !== null;
}

function fields(d: Date, timeZone: string) {
  const parts = formatFor(timeZone)!.formatToParts(d);
  const g = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    y: Number(g('year')),
    mo: Number(g('month')),
    d: Number(g('day')),
    h: Number(g('hour')) % 24,
    mi: Number(g('minute')),
    s: Number(g('second')),
    wd: DAYS.indexOf(g('weekday')),
    zone: g('timeZoneName'),
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function offsetText(min: number, colon: boolean): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60), 2)}${colon ? ':' : ''}${pad(a % 60, 2)}`;
}

export function formatDate(date: Date, timeZone: string, pattern: string): string {
  // Apps Script resolves zones with Java's TimeZone.getTimeZone: an unknown id silently means GMT.
  if (!isValidTimeZone(timeZone)) timeZone = 'UTC';
  const f = fields(date, timeZone);
  const off = tzOffsetMinutes(timeZone, date.getTime());
  let out = '';
  const re = /'([^']*)'|(y+|M+|d+|E+|H+|h+|m+|s+|S+|a|z+|Z+|X+|u)/g;
  let last = 0;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    out += pattern.slice(last, m.index);
    last = re.lastIndex;
    if (m[1] !== undefined) {
      out += m[1] === '' ? "'" : m[1];
      continue;
    }
    const tok = m[2];
    const n = tok.length;
    switch (tok[0]) {
      case 'y':
        out += n === 2 ? pad(f.y % 100, 2) : pad(f.y, n);
        break;
      case 'M':
        out += n >= 4 ? MONTHS[f.mo - 1] : n === 3 ? MONTHS[f.mo - 1].slice(0, 3) : pad(f.mo, n);
        break;
      case 'd':
        out += pad(f.d, n);
        break;
      case 'E':
        out += n >= 4 ? DAYS[f.wd] : DAYS[f.wd].slice(0, 3);
        break;
      case 'u':
        out += String(f.wd === 0 ? 7 : f.wd);
        break;
      case 'H':
        out += pad(f.h, n);
        break;
      case 'h':
        out += pad(f.h % 12 === 0 ? 12 : f.h % 12, n);
        break;
      case 'm':
        out += pad(f.mi, n);
        break;
      case 's':
        out += pad(f.s, n);
        break;
      case 'S':
        out += pad(date.getUTCMilliseconds(), 3).slice(0, n);
        break;
      case 'a':
        out += f.h < 12 ? 'AM' : 'PM';
        break;
      case 'z':
        out += f.zone === 'UTC' ? 'GMT' : f.zone;
        break;
      case 'Z':
        out += offsetText(off, false);
        break;
      case 'X':
        out += off === 0 ? 'Z' : offsetText(off, n >= 3);
        break;
    }
  }
  return out + pattern.slice(last);
}

/** Utilities.parseDate for the numeric patterns the product uses (y M d H m s and literals). */
export function parseDate(text: string, timeZone: string, pattern: string): Date {
  if (!isValidTimeZone(timeZone)) timeZone = 'UTC';
  const order: string[] = [];
  let src = '';
  const re = /'([^']*)'|(y+|M+|d+|H+|m+|s+)|([^'yMdHms]+)/g;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    if (m[1] !== undefined) src += m[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (m[2]) {
      order.push(m[2][0]);
      src += '(\\d{1,4})';
    } else src += m[3].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const mm = new RegExp(`^${src}$`).exec(text.trim());
  if (!mm) throw new Error(`Unparseable date: "${text}"`);
  const v: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0 };
  order.forEach((k, i) => (v[k] = Number(mm[i + 1])));
  return wallTimeToDate(timeZone, v.y, v.M, v.d, v.H, v.m, v.s);
}

/** A cell as Sheets shows it by default (what getDisplayValues returns for unformatted cells). */
export function displayValue(v: CellValue, timeZone: string): string {
  if (v instanceof Date) return formatDate(v, timeZone, 'M/d/yyyy H:mm:ss');
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}
