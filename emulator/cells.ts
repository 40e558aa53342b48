/**
 * Cell values as Apps Script sees them, and how a written value is stored.
 *
 * Apps Script parses a string written with setValue/setValues "as if typed" in the Sheets UI:
 * a leading `=` makes a formula, a leading `'` forces text (and is not part of the value),
 * number-, boolean- and date-like text is converted. We model that because the product's
 * safety (guest text never becomes a formula or changes type) depends on it.
 */

import { isAggregate, storedFormula } from './formulas';

export type CellValue = string | number | boolean | Date;

export interface Cell {
  /** The value getValues returns ('' for empty). */
  v: CellValue;
  /** The formula, when the cell holds one (getFormulas). */
  f?: string;
}

export const EMPTY: Cell = Object.freeze({ v: '' }) as Cell;

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const SLASH_DATE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * The spreadsheet's locale (File → Settings) decides how typed or written text is read: en_US reads
 * 7/12/2026 as 12 July, en_GB as 7 December. Sheets never rolls an impossible date or time over
 * (31/12/2026 on an en_US sheet stays text).
 */
export type SheetLocale = 'en_US' | 'en_GB';

/** A wall time that exists as written, or null (13th month, 31 June, 25:00). */
function validWallTime(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at instant `ms`, in minutes. */
export function tzOffsetMinutes(timeZone: string, ms: number): number {
  // An Intl formatter is costly to make: one per zone.
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - (ms - (ms % 1000))) / 60000);
}

/**
 * The instant at which the wall clock in `timeZone` shows the given fields. One rule in every zone
 * (Utilities.parseDate and a typed cell alike): a time skipped by a daylight-saving change is read with
 * the offset from before the change, so it lands an hour later (Java's lenient calendar, which
 * Utilities.parseDate uses, does the same); a time that occurs twice is the first of the two. What Sheets
 * does with such a typed cell is not documented: see docs/apps-script-facts.md.
 */
export function wallTimeToDate(
  timeZone: string,
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
): Date {
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  const before = tzOffsetMinutes(timeZone, naive - 36 * 3600e3) * 60000;
  const after = tzOffsetMinutes(timeZone, naive + 36 * 3600e3) * 60000;
  for (const off of before >= after ? [before, after] : [after, before]) {
    const t = naive - off;
    if (tzOffsetMinutes(timeZone, t) * 60000 === off) return new Date(t);
  }
  return new Date(naive - before);
}

/** Parse a string as the Sheets UI would if it were typed into a cell. */
export function parseTyped(input: string, timeZone: string, locale: SheetLocale = 'en_US'): Cell {
  if (input.startsWith("'")) return { v: input.slice(1) };
  if (input.startsWith('=') && input.length > 1) return formulaCell(input);
  const t = input.trim();
  if (t === '') return { v: input === '' ? '' : input };
  // Sheets turns "+foo" / "-foo" typed by a user into a formula (=+foo): the classic CSV-injection route.
  if ((t.startsWith('+') || t.startsWith('-')) && !NUMBER_RE.test(t) && t.length > 1) {
    return formulaCell('=' + t);
  }
  if (NUMBER_RE.test(t)) return { v: Number(t) };
  if (/^true$/i.test(t)) return { v: true };
  if (/^false$/i.test(t)) return { v: false };
  const at = (y: number, mo: number, d: number, m: RegExpExecArray): Cell => {
    const [h, mi, sec] = [+(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
    return validWallTime(y, mo, d, h, mi, sec)
      ? { v: wallTimeToDate(timeZone, y, mo, d, h, mi, sec) }
      : { v: input };
  };
  let m = ISO_DATE_RE.exec(t);
  if (m) return at(+m[1], +m[2], +m[3], m);
  m = SLASH_DATE_RE.exec(t);
  if (m) return locale === 'en_GB' ? at(+m[3], +m[2], +m[1], m) : at(+m[3], +m[1], +m[2], m);
  return { v: input };
}

/**
 * A formula cell. The emulator evaluates only plain arithmetic on numbers; anything else shows
 * '#NAME?' (the text Sheets shows for an unknown function), which is enough for tests to see
 * that a value became a formula.
 */
export function formulaCell(formula: string): Cell {
  // One that reads other cells is evaluated when read (formulas.ts): its value follows the rows.
  if (isAggregate(formula)) return { v: '', f: storedFormula(formula) };
  const body = formula.slice(1).trim();
  if (/^[\d\s+\-*/().]+$/.test(body)) {
    try {
      const v = Function(`"use strict"; return (${body});`)() as unknown;
      if (typeof v === 'number' && Number.isFinite(v)) return { v, f: formula };
    } catch {
      /* falls through to an error value */
    }
  }
  return { v: '#NAME?', f: formula };
}

/** Store a value written by setValue/setValues. */
export function toCell(value: unknown, timeZone: string, locale: SheetLocale = 'en_US'): Cell {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (typeof value === 'string') return parseTyped(value, timeZone, locale);
  if (typeof value === 'number' || typeof value === 'boolean') return { v: value };
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    return { v: new Date((value as Date).getTime()) };
  }
  // Apps Script writes other objects by their string form.
  return { v: String(value) };
}

/** JSON form for persistence and for crossing thread boundaries without losing Dates. */
export type WireValue = string | number | boolean | { $date: number };

export function toWire(v: CellValue): WireValue {
  return v instanceof Date ? { $date: v.getTime() } : v;
}

export function fromWire(w: WireValue): CellValue {
  return typeof w === 'object' && w !== null ? new Date(w.$date) : w;
}
