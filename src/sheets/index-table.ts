/**
 * The hidden Index sheet (issue 24): row 1 labels; row 2 the counting formulas over Guests
 * (core/flat-index.ts) and a copy of the Guests header (`=Guests!A1`…); row 3 the guard, each cell
 * the text of the formula above it (`=FORMULATEXT(Index!A2)`). Sheets keeps all of it current, so one
 * read of rows 2 and 3 inside the lock gives the counts, tells whether the columns are where the
 * keeper expects them, and whether every formula is still the one the keeper wrote.
 */
import { INDEX_FORMULAS } from '../core/flat-index';
import { GUEST_HEADERS, SHEETS, columnLetters } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const COUNTS = INDEX_FORMULAS.map(([, f]) => f);
const HEADER = GUEST_HEADERS.map((_, i) => `=${SHEETS.guests}!${columnLetters(i)}1`);
const FORMULAS = [...COUNTS, ...HEADER];
const LABELS = [...INDEX_FORMULAS.map(([label]) => label), ...GUEST_HEADERS.map((h) => `header: ${h}`)];
const GUARDS = FORMULAS.map((_, i) => `=FORMULATEXT(${SHEETS.index}!${columnLetters(i)}2)`);
const WIDTH = FORMULAS.length;

/**
 * Two spellings of one formula are the same formula: Sheets may give back its own spelling (function
 * names in capitals, no quotes around a sheet name that needs none, no spaces), so that is compared.
 */
export function sameFormula(a: unknown, b: string): boolean {
  const canon = (f: string) =>
    f.replace(/"(?:[^"]|"")*"|'([A-Za-z_][A-Za-z0-9_]*)'!|\s+|[a-z]+/g, (m, sheet?: string) =>
      m.startsWith('"')
        ? m
        : sheet !== undefined
          ? `${sheet.toUpperCase()}!`
          : /^\s+$/.test(m)
            ? ''
            : m.toUpperCase(),
    );
  return typeof a === 'string' && canon(a) === canon(b);
}

export interface IndexRead {
  /** The counting formulas' values, in INDEX_FORMULAS order. */
  counts: unknown[];
  /** The Guests header as Sheets sees it now. */
  header: unknown[];
}

export class IndexTable {
  private constructor(private readonly sheet: Sheet) {}

  static open(ss: Spreadsheet): IndexTable | null {
    const sheet = ss.getSheetByName(SHEETS.index);
    return sheet ? new IndexTable(sheet) : null;
  }

  /**
   * Made, or its formulas put back (a host who typed over one, a version that counts more): outside
   * the lock, by Set up and the 10-minute run.
   */
  static ensure(ss: Spreadsheet): void {
    let sheet = ss.getSheetByName(SHEETS.index);
    if (!sheet) {
      sheet = ss.insertSheet(SHEETS.index);
      sheet.hideSheet();
    }
    // A new sheet has 26 columns; the row may need more.
    const columns = sheet.getMaxColumns();
    if (columns < WIDTH) sheet.insertColumnsAfter(columns, WIDTH - columns);
    const have = sheet.getRange(2, 1, 2, WIDTH).getFormulas();
    const want = [FORMULAS, GUARDS];
    if (want.every((row, r) => row.every((f, i) => sameFormula(have[r][i], f)))) return;
    sheet.getRange(1, 1, 3, WIDTH).setValues([LABELS, FORMULAS, GUARDS]);
  }

  /**
   * The counts and the header now, from one read, or null when a formula is not the one the keeper
   * wrote (a number typed over a count would be trusted as one; a formula Sheets rewrote because a
   * column or a row moved counts other cells).
   */
  read(): IndexRead | null {
    const [values, guards] = this.sheet.getRange(2, 1, 2, WIDTH).getValues();
    if (!FORMULAS.every((f, i) => sameFormula(guards[i], f))) return null;
    return { counts: values.slice(0, COUNTS.length), header: values.slice(COUNTS.length) };
  }
}
