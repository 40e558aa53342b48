/**
 * Formulas that read other cells, evaluated when read (Sheets recalculates a formula whenever a cell it
 * depends on changes, so a read always sees the current rows). Only the aggregate functions the product
 * uses are modelled, with Sheets' criteria rules; any other formula stays '#NAME?' (see cells.ts).
 *
 * Grammar: term (('+' | '-') term)*, a term being a number or FUNC(arg, ...), an argument a range
 * (`Sheet!C2:C`, `'My sheet'!A:A`), a string literal or a number.
 */
import { type CellValue, tzOffsetMinutes } from './cells';

export interface FormulaSource {
  /** Values of a range on the named sheet ('' for empty cells), or null if there is no such sheet. */
  values(sheet: string, a1: string): CellValue[][] | null;
  /** The spreadsheet's time zone: a date's serial number counts days of its wall clock there. */
  timeZone: string;
  /** The formula text of a range's first cell ('' when it holds none), or null if there is no such sheet. */
  formula(sheet: string, a1: string): string | null;
}

type Arg = { kind: 'range'; cells: CellValue[] } | { kind: 'value'; v: string | number };

const FUNCTIONS = new Set([
  'COUNTUNIQUEIFS',
  'COUNTIFS',
  'SUMIFS',
  'MINIFS',
  'MAXIFS',
  'COUNT',
  'COUNTA',
  'SUM',
  'SUMSQ',
  'MAX',
  'MIN',
  'FORMULATEXT',
]);

/** A reference to a range on a named sheet: `Sheet!C2:C`, `'My sheet'!A1`. */
const REF = /^(?:'((?:[^']|'')+)'|([A-Za-z0-9_]+))!(\$?[A-Z]+\$?\d*(?::\$?[A-Z]+\$?\d*)?)/i;

/**
 * Whether a formula is one this module evaluates: it calls only these functions on ranges, or it is
 * one reference to a cell on a named sheet (`=Guests!A1`, which shows that cell's value).
 */
export function isAggregate(formula: string): boolean {
  if (formula.includes('#REF!')) return true;
  const body = formula.replace(/^=/, '').trim();
  const ref = REF.exec(body);
  if (ref && ref[0].length === body.length) return true;
  const names = [...formula.matchAll(/([A-Z]+)\s*\(/gi)].map((m) => m[1].toUpperCase());
  return names.length > 0 && names.every((n) => FUNCTIONS.has(n));
}

/**
 * The formula as Sheets stores and shows it (getFormulas, FORMULATEXT): function names in capitals and
 * quotes dropped around a sheet name that needs none. The stricter model: a product that compares a
 * formula it wrote with the one it reads back must not count on its own spelling coming back.
 */
export function storedFormula(formula: string): string {
  return formula.replace(/"(?:[^"]|"")*"|'((?:[^']|'')+)'!|([A-Za-z]+)(?=\()/g, (m, sheet, fn) =>
    sheet !== undefined
      ? /^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) && !/^[A-Za-z]{1,3}\d+$/.test(sheet)
        ? `${sheet}!`
        : m
      : fn !== undefined
        ? fn.toUpperCase()
        : m,
  );
}

/** Sheets' serial number of a date: days since 30 December 1899 on the spreadsheet's wall clock. */
export const serial = (d: Date, timeZone: string): number =>
  (d.getTime() + tzOffsetMinutes(timeZone, d.getTime()) * 60e3) / 86400e3 + 25569;

let zone = 'UTC';
const num = (v: CellValue): number | null =>
  typeof v === 'number' ? v : v instanceof Date ? serial(v, zone) : null;

/** A COUNTIFS criterion: "x" (equal, ignoring case), "" (empty), "<>" (not empty), ">=2", "<>x". */
function matcher(c: string | number): (v: CellValue) => boolean {
  if (typeof c === 'number') return (v) => num(v) === c;
  const m = /^(<>|>=|<=|>|<|=)?(.*)$/s.exec(c)!;
  const op = m[1] ?? '=';
  const rest = m[2];
  const n = rest.trim() !== '' && Number.isFinite(Number(rest)) ? Number(rest) : null;
  const eq = (v: CellValue) =>
    n !== null
      ? num(v) === n
      : rest === ''
        ? v === ''
        : typeof v === 'string' && v.toLowerCase() === rest.toLowerCase();
  switch (op) {
    case '=':
      return eq;
    case '<>':
      return (v) => !eq(v);
    default: {
      if (n === null) return () => false;
      const cmp = {
        '>': (a: number) => a > n,
        '>=': (a: number) => a >= n,
        '<': (a: number) => a < n,
        '<=': (a: number) => a <= n,
      }[op as '>' | '>=' | '<' | '<='];
      return (v) => {
        const a = num(v);
        return a !== null && cmp(a);
      };
    }
  }
}

class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly src: FormulaSource,
  ) {}

  parse(): CellValue {
    this.ws();
    const v = this.single() ?? this.expr();
    this.ws();
    if (this.i < this.s.length) throw new Error('parse');
    return v;
  }

  /** A formula that is one reference (its cell's value) or FORMULATEXT(reference) (its formula's text). */
  private single(): CellValue | null {
    const rest = this.s.slice(this.i);
    const ref = REF.exec(rest);
    if (ref && ref[0].length === rest.trimEnd().length) {
      this.i += ref[0].length;
      const values = this.src.values(sheetOf(ref), ref[3].replace(/\$/g, ''));
      if (!values) throw new Error('ref');
      return values[0]?.[0] ?? '';
    }
    const ft = /^FORMULATEXT\(/i.exec(rest);
    if (!ft) return null;
    this.i += ft[0].length;
    this.ws();
    const r = REF.exec(this.s.slice(this.i));
    if (!r) throw new Error('parse');
    this.i += r[0].length;
    this.ws();
    if (this.s[this.i++] !== ')') throw new Error('parse');
    const text = this.src.formula(sheetOf(r), r[3].replace(/\$/g, ''));
    if (text === null) throw new Error('ref');
    // A cell without a formula: Sheets shows #N/A.
    if (!text) throw new Error('na');
    return text;
  }

  private ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  private expr(): number {
    let v = this.term();
    for (;;) {
      this.ws();
      const op = this.s[this.i];
      if (op !== '+' && op !== '-') return v;
      this.i++;
      const t = this.term();
      v = op === '+' ? v + t : v - t;
    }
  }

  private term(): number {
    this.ws();
    const n = /^\d+(\.\d+)?/.exec(this.s.slice(this.i));
    if (n) {
      this.i += n[0].length;
      return Number(n[0]);
    }
    const f = /^([A-Z]+)\(/i.exec(this.s.slice(this.i));
    if (!f) throw new Error('parse');
    this.i += f[0].length;
    const args: Arg[] = [];
    for (;;) {
      this.ws();
      args.push(this.arg());
      this.ws();
      const c = this.s[this.i++];
      if (c === ')') break;
      if (c !== ',') throw new Error('parse');
    }
    return call(f[1].toUpperCase(), args);
  }

  private arg(): Arg {
    const rest = this.s.slice(this.i);
    const str = /^"((?:[^"]|"")*)"/.exec(rest);
    if (str) {
      this.i += str[0].length;
      return { kind: 'value', v: str[1].replace(/""/g, '"') };
    }
    const n = /^-?\d+(\.\d+)?(?![A-Z!:])/i.exec(rest);
    if (n) {
      this.i += n[0].length;
      return { kind: 'value', v: Number(n[0]) };
    }
    const r = REF.exec(rest);
    if (!r) throw new Error('parse');
    this.i += r[0].length;
    const values = this.src.values(sheetOf(r), r[3].replace(/\$/g, ''));
    if (!values) throw new Error('ref');
    return { kind: 'range', cells: values.map((row) => row[0]) };
  }
}

const sheetOf = (m: RegExpExecArray) => (m[1] ?? m[2]).replace(/''/g, "'");

function call(name: string, args: Arg[]): number {
  const range = (a: Arg | undefined): CellValue[] => {
    if (!a || a.kind !== 'range') throw new Error('value');
    return a.cells;
  };
  const crit = (a: Arg | undefined) => {
    if (!a || a.kind !== 'value') throw new Error('value');
    return matcher(a.v);
  };
  /** Rows that meet every (range, criterion) pair from args[from]. */
  const rowsMeeting = (from: number, length: number): number[] => {
    const pairs: Array<[CellValue[], (v: CellValue) => boolean]> = [];
    for (let k = from; k < args.length; k += 2) pairs.push([range(args[k]), crit(args[k + 1])]);
    if (pairs.some(([r]) => r.length !== length)) throw new Error('value');
    const out: number[] = [];
    for (let i = 0; i < length; i++) if (pairs.every(([r, m]) => m(r[i]))) out.push(i);
    return out;
  };
  const numbers = (cells: CellValue[]) => cells.map(num).filter((x): x is number => x !== null);
  switch (name) {
    case 'COUNTIFS':
      return rowsMeeting(0, range(args[0]).length).length;
    case 'SUMIFS':
    case 'MINIFS':
    case 'MAXIFS': {
      const target = range(args[0]);
      const picked = numbers(rowsMeeting(1, target.length).map((i) => target[i]));
      if (name === 'SUMIFS') return picked.reduce((a, b) => a + b, 0);
      if (!picked.length) return 0;
      return picked.reduce((a, b) => (name === 'MINIFS' ? Math.min(a, b) : Math.max(a, b)));
    }
    case 'COUNTUNIQUEIFS': {
      // Distinct values, compared exactly (whether Sheets ignores case here is not documented: the
      // stricter reading for a caller looking for repeats is that it does not).
      const target = range(args[0]);
      return new Set(rowsMeeting(1, target.length).map((i) => `${typeof target[i]}:${String(target[i])}`))
        .size;
    }
    case 'COUNT':
      return numbers(range(args[0])).length;
    case 'COUNTA':
      return range(args[0]).filter((v) => v !== '').length;
    case 'SUM':
      return numbers(range(args[0])).reduce((a, b) => a + b, 0);
    case 'SUMSQ':
      return numbers(range(args[0])).reduce((a, b) => a + b * b, 0);
    case 'MAX':
    case 'MIN': {
      const xs = numbers(range(args[0]));
      if (!xs.length) return 0;
      return xs.reduce((a, b) => (name === 'MAX' ? Math.max(a, b) : Math.min(a, b)));
    }
  }
  throw new Error('name');
}

/** The value a formula shows now: a number, or Sheets' error text. */
export function evaluate(formula: string, src: FormulaSource): CellValue {
  // A reference whose rows were deleted (shiftRows): Sheets shows #REF! wherever it is used.
  if (formula.includes('#REF!')) return '#REF!';
  try {
    zone = src.timeZone;
    return new Parser(formula.replace(/^=/, ''), src).parse();
  } catch (e) {
    const why = (e as Error).message;
    return why === 'ref' ? '#REF!' : why === 'value' ? '#VALUE!' : why === 'na' ? '#N/A' : '#NAME?';
  }
}

/**
 * A formula as Sheets rewrites it when rows of `sheet` are inserted or deleted: every reference to
 * that sheet keeps pointing at the same cells. Rows past the change move (`delta` > 0: `delta` rows
 * inserted below row `at`; < 0: rows at..at-delta-1 deleted); a range whose first row is deleted
 * starts at the next row that stays; a reference every row of which is deleted becomes #REF!.
 */
export function shiftRows(formula: string, sheet: string, at: number, delta: number): string {
  return formula.replace(
    /(?:'((?:[^']|'')+)'|([A-Za-z0-9_]+))!(\$?[A-Z]+)(\$?)(\d*)(?::(\$?[A-Z]+)(\$?)(\d*))?/gi,
    (m, quoted, plain, c1, d1, r1, c2, d2, r2) => {
      if ((quoted ?? plain).replace(/''/g, "'") !== sheet) return m;
      const prefix = m.slice(0, m.indexOf('!') + 1);
      // Deleting: rows at..last go. A range's start in them moves to the next row that stays, its end
      // to the one before.
      const last = at - delta - 1;
      const move = (r: number, end: boolean): number =>
        delta > 0 ? (r > at ? r + delta : r) : r < at ? r : r > last ? r + delta : end ? at - 1 : at;
      if (c2 === undefined) {
        if (!r1) return m;
        const r = Number(r1);
        return delta < 0 && r >= at && r <= last ? '#REF!' : `${prefix}${c1}${d1}${move(r, false)}`;
      }
      const a = r1 ? move(Number(r1), false) : null;
      const b = r2 ? move(Number(r2), true) : null;
      if (a !== null && b !== null && b < a) return '#REF!';
      return `${prefix}${c1}${d1}${a ?? ''}:${c2}${d2}${b ?? ''}`;
    },
  );
}

/** How many cells a formula's ranges cover (the emulator charges recalculation by it). */
export function referencedCells(formula: string, rows: (sheet: string) => number): number {
  let n = 0;
  for (const m of formula.matchAll(
    /(?:'((?:[^']|'')+)'|([A-Za-z0-9_]+))!\$?[A-Z]+\$?(\d*)(?::\$?[A-Z]+\$?(\d*))?/gi,
  ))
    n += Math.max(
      0,
      (m[4] ? Number(m[4]) : rows((m[1] ?? m[2]).replace(/''/g, "'"))) - Number(m[3] || 1) + 1,
    );
  return n;
}
