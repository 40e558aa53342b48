/**
 * The Google side of one spreadsheet: sheets, cells, and the per-execution write buffer.
 *
 * Writes are queued per execution and applied in order at flush(), at that execution's next read,
 * or when it ends; other executions cannot see them before. Nothing here knows about threads.
 */
import { Cell, CellValue, EMPTY, SheetLocale, fromWire, toCell, toWire, WireValue } from './cells';
import { displayValue } from './dates';
import { FormulaSource, evaluate, referencedCells, shiftRows } from './formulas';

export class GasError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Exception';
  }
}

export interface SheetState {
  id: number;
  name: string;
  rows: Cell[][];
  maxRows: number;
  maxColumns: number;
  frozenRows: number;
  hiddenColumns: number[];
  /** Hidden from the tab bar (Sheet.hideSheet). */
  hidden?: boolean;
  columnWidths: Record<number, number>;
  /** Number format per column (1-based), the only granularity the product uses. */
  columnFormats: Record<number, string>;
  protectedDescription?: string;
  notes: Record<string, string>;
  /** Cell backgrounds set by the script ("row,col" → CSS colour); absent is white. */
  backgrounds?: Record<string, string>;
  /** Data validation rules by cell ("row,col"): what the Sheets UI accepts when a person types. */
  validations?: Record<string, ValidationRule>;
}

/**
 * A data validation rule, as DataValidationBuilder builds it. Sheets checks it only on what a person
 * types or pastes in the UI; a script's setValues is not checked (the cell then shows a warning).
 */
export interface ValidationRule {
  criteria:
    | 'DATE_IS_VALID_DATE'
    | 'VALUE_IN_LIST'
    | 'NUMBER_GREATER_THAN_OR_EQUAL_TO'
    | 'NUMBER_BETWEEN'
    | 'CHECKBOX';
  values: Array<string | number>;
  /** true: a failing value is kept with a warning; false: it is refused and the cell keeps its value. */
  allowInvalid: boolean;
  helpText: string;
  /** VALUE_IN_LIST: the cell shows a dropdown. */
  showDropdown?: boolean;
}

/** Whether a typed cell's value passes a rule (blank always does: Sheets lets a cell be cleared). */
export function passesValidation(rule: ValidationRule, v: CellValue): boolean {
  if (v === '') return true;
  switch (rule.criteria) {
    case 'DATE_IS_VALID_DATE':
      return v instanceof Date;
    case 'VALUE_IN_LIST':
      return rule.values.some((x) => String(x) === String(v));
    case 'NUMBER_GREATER_THAN_OR_EQUAL_TO':
      return typeof v === 'number' && v >= Number(rule.values[0]);
    case 'NUMBER_BETWEEN':
      return typeof v === 'number' && v >= Number(rule.values[0]) && v <= Number(rule.values[1]);
    // A checkbox cell holds TRUE or FALSE (ticking it in the Sheets app writes one of them).
    case 'CHECKBOX':
      return v === true || v === false;
  }
}

export interface RangeRef {
  sheetId: number;
  row: number;
  col: number;
  numRows: number;
  numCols: number;
}

/** A queued write: applied to the shared state when the execution flushes. */
export type WriteOp =
  | { kind: 'setValues'; ref: RangeRef; values: unknown[][] }
  | { kind: 'appendRow'; sheetId: number; values: unknown[] }
  | { kind: 'clear'; ref: RangeRef }
  | { kind: 'insertRowsAfter'; sheetId: number; after: number; count: number }
  | { kind: 'deleteRows'; sheetId: number; row: number; count: number }
  /** `cols`: columns it adds at the right edge (a range on them is valid before the flush, as on Google). */
  | { kind: 'format'; sheetId: number; apply: (s: SheetState) => void; cols?: number };

const DEFAULT_ROWS = 1000;
const DEFAULT_COLS = 26;

export function colToLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function lettersToCol(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Parse "B7", "A1:C3", "A:C", "2:4" against a sheet's size. */
/** Google's limits: characters in one cell, cells in one spreadsheet. */
export const MAX_CELL_CHARS = 50000;
export const MAX_CELLS = 10_000_000;

export function parseA1(a1: string, maxRows: number, maxCols: number) {
  const m = /^\$?([A-Za-z]*)\$?(\d*)(?::\$?([A-Za-z]*)\$?(\d*))?$/.exec(a1.trim());
  if (!m || (!m[1] && !m[2])) throw new GasError(`Range not found`);
  const c1 = m[1] ? lettersToCol(m[1]) : 1;
  const r1 = m[2] ? Number(m[2]) : 1;
  const hasEnd = m[3] !== undefined || m[4] !== undefined;
  const c2 = hasEnd ? (m[3] ? lettersToCol(m[3]) : maxCols) : m[1] ? c1 : maxCols;
  const r2 = hasEnd ? (m[4] ? Number(m[4]) : maxRows) : m[2] ? r1 : maxRows;
  return {
    row: Math.min(r1, r2),
    col: Math.min(c1, c2),
    numRows: Math.abs(r2 - r1) + 1,
    numCols: Math.abs(c2 - c1) + 1,
  };
}

export interface SpreadsheetJSON {
  name: string;
  timeZone: string;
  locale?: SheetLocale;
  nextSheetId: number;
  sheets: Array<Omit<SheetState, 'rows'> & { rows: Array<Array<{ v: WireValue; f?: string }>> }>;
}

export class Spreadsheet {
  name = 'RSVP';
  timeZone: string;
  /** File → Settings → Locale: how text written to a cell is read (see cells.ts). */
  locale: SheetLocale = 'en_US';
  sheets: SheetState[] = [];
  private nextSheetId = 0;

  constructor(timeZone: string) {
    this.timeZone = timeZone;
    this.insertSheet('Sheet1');
  }

  // ---- structure -------------------------------------------------------------------------

  sheet(id: number): SheetState {
    const s = this.sheets.find((x) => x.id === id);
    if (!s) throw new GasError('The sheet has been deleted or is no longer available.');
    return s;
  }

  byName(name: string): SheetState | undefined {
    return this.sheets.find((s) => s.name === name);
  }

  insertSheet(name: string, index?: number): SheetState {
    if (this.byName(name)) {
      throw new GasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    const s: SheetState = {
      id: this.nextSheetId++,
      name,
      rows: [],
      maxRows: DEFAULT_ROWS,
      maxColumns: DEFAULT_COLS,
      frozenRows: 0,
      hiddenColumns: [],
      columnWidths: {},
      columnFormats: {},
      notes: {},
    };
    if (index === undefined || index >= this.sheets.length) this.sheets.push(s);
    else this.sheets.splice(Math.max(0, index), 0, s);
    return s;
  }

  deleteSheet(id: number): void {
    if (this.sheets.length === 1) throw new GasError("You can't remove all the sheets in a document.");
    this.sheets = this.sheets.filter((s) => s.id !== id);
  }

  lastRow(s: SheetState): number {
    for (let r = s.rows.length; r > 0; r--) {
      if (s.rows[r - 1]?.some((c) => c && c.v !== '')) return r;
    }
    return 0;
  }

  lastColumn(s: SheetState): number {
    let last = 0;
    for (const row of s.rows) {
      if (!row) continue;
      for (let c = row.length; c > last; c--) {
        if (row[c - 1] && row[c - 1].v !== '') {
          last = c;
          break;
        }
      }
    }
    return last;
  }

  /** Validate a range the way Sheet.getRange does. */
  checkRange(ref: RangeRef, growth = { rows: 0, cols: 0 }): RangeRef {
    const s = this.sheet(ref.sheetId);
    if (!Number.isInteger(ref.row) || ref.row < 1)
      throw new GasError('The starting row of the range is too small.');
    if (!Number.isInteger(ref.col) || ref.col < 1) {
      throw new GasError('The starting column of the range is too small.');
    }
    if (!Number.isInteger(ref.numRows) || ref.numRows < 1) {
      throw new GasError('The number of rows in the range must be at least 1.');
    }
    if (!Number.isInteger(ref.numCols) || ref.numCols < 1) {
      throw new GasError('The number of columns in the range must be at least 1.');
    }
    if (
      ref.row + ref.numRows - 1 > s.maxRows + growth.rows ||
      ref.col + ref.numCols - 1 > s.maxColumns + growth.cols
    ) {
      throw new GasError('The coordinates of the range are outside the dimensions of the sheet.');
    }
    return ref;
  }

  // ---- reads (always of committed state) -------------------------------------------------

  read(ref: RangeRef, mode: 'values' | 'display' | 'formulas'): unknown[][] {
    const s = this.sheet(ref.sheetId);
    const out: unknown[][] = [];
    for (let r = 0; r < ref.numRows; r++) {
      const row = s.rows[ref.row - 1 + r];
      const line: unknown[] = [];
      for (let c = 0; c < ref.numCols; c++) {
        let cell = row?.[ref.col - 1 + c] ?? EMPTY;
        if (cell.f && mode !== 'formulas' && cell.v === '')
          cell = { v: evaluate(cell.f, this.formulaSource()), f: cell.f };
        if (mode === 'values') line.push(cell.v instanceof Date ? new Date(cell.v.getTime()) : cell.v);
        else if (mode === 'formulas') line.push(cell.f ?? '');
        else line.push(displayValue(cell.v, this.timeZone));
      }
      out.push(line);
    }
    return out;
  }

  /** What a formula reads: the committed cells of a sheet. */
  private formulaSource(): FormulaSource {
    return {
      timeZone: this.timeZone,
      values: (name, a1) => {
        const s = this.byName(name);
        if (!s) return null;
        // An open range (A2:A) runs to the sheet's last row (past the data: blanks), as on Google.
        const r = parseA1(a1, s.maxRows, s.maxColumns);
        return this.read({ sheetId: s.id, ...r }, 'values') as CellValue[][];
      },
      formula: (name, a1) => {
        const s = this.byName(name);
        if (!s) return null;
        const r = parseA1(a1, s.maxRows, s.maxColumns);
        return s.rows[r.row - 1]?.[r.col - 1]?.f ?? '';
      },
    };
  }

  /** Cells the formulas in a range depend on (recalculation is charged by it). */
  formulaCells(ref: RangeRef): number {
    const s = this.sheet(ref.sheetId);
    let n = 0;
    for (let r = 0; r < ref.numRows; r++)
      for (let c = 0; c < ref.numCols; c++) {
        const f = s.rows[ref.row - 1 + r]?.[ref.col - 1 + c]?.f;
        if (f) n += referencedCells(f, (name) => this.lastRow(this.byName(name) ?? s));
      }
    return n;
  }

  // ---- writes ----------------------------------------------------------------------------

  /** Checks done when the call is made (Apps Script throws at setValues, not at flush). */
  checkWrite(op: WriteOp): void {
    const cells = op.kind === 'setValues' ? op.values.flat() : op.kind === 'appendRow' ? op.values : [];
    for (const v of cells) {
      if (typeof v === 'string' && v.length > MAX_CELL_CHARS) {
        throw new GasError(
          `Your input contains more than the maximum of ${MAX_CELL_CHARS} characters in a single cell.`,
        );
      }
    }
    if (op.kind === 'insertRowsAfter' || op.kind === 'appendRow') {
      const s = this.sheet(op.sheetId);
      const addRows = op.kind === 'insertRowsAfter' ? op.count : 1;
      const total = this.sheets.reduce((n, x) => n + x.maxRows * x.maxColumns, 0);
      if (total + addRows * s.maxColumns > MAX_CELLS) {
        throw new GasError(
          `This action would increase the number of cells in the workbook above the limit of ${MAX_CELLS} cells.`,
        );
      }
    }
    if (op.kind === 'setValues') {
      const { ref, values } = op;
      if (!Array.isArray(values) || values.length !== ref.numRows) {
        throw new GasError(
          `The number of rows in the data does not match the number of rows in the range. The data has ${
            Array.isArray(values) ? values.length : 0
          } but the range has ${ref.numRows}.`,
        );
      }
      for (const row of values) {
        if (!Array.isArray(row) || row.length !== ref.numCols) {
          throw new GasError(
            `The number of columns in the data does not match the number of columns in the range. The data has ${
              Array.isArray(row) ? row.length : 0
            } but the range has ${ref.numCols}.`,
          );
        }
      }
    }
  }

  apply(op: WriteOp): void {
    switch (op.kind) {
      case 'setValues': {
        const s = this.sheet(op.ref.sheetId);
        op.values.forEach((row, r) =>
          row.forEach((v, c) =>
            this.setCell(s, op.ref.row + r, op.ref.col + c, toCell(v, this.timeZone, this.locale)),
          ),
        );
        return;
      }
      case 'clear': {
        const s = this.sheet(op.ref.sheetId);
        for (let r = 0; r < op.ref.numRows; r++) {
          for (let c = 0; c < op.ref.numCols; c++) this.setCell(s, op.ref.row + r, op.ref.col + c, EMPTY);
        }
        return;
      }
      case 'appendRow': {
        const s = this.sheet(op.sheetId);
        const r = this.lastRow(s) + 1;
        if (r > s.maxRows) s.maxRows = r;
        if (op.values.length > s.maxColumns) s.maxColumns = op.values.length;
        op.values.forEach((v, c) => this.setCell(s, r, c + 1, toCell(v, this.timeZone, this.locale)));
        return;
      }
      case 'insertRowsAfter': {
        const s = this.sheet(op.sheetId);
        const blanks = Array.from({ length: op.count }, () => [] as Cell[]);
        if (s.rows.length > op.after) s.rows.splice(op.after, 0, ...blanks);
        s.maxRows += op.count;
        this.shiftFormulas(s.name, op.after, op.count);
        return;
      }
      case 'deleteRows': {
        const s = this.sheet(op.sheetId);
        s.rows.splice(op.row - 1, op.count);
        s.maxRows -= op.count;
        this.shiftFormulas(s.name, op.row, -op.count);
        return;
      }
      case 'format':
        op.apply(this.sheet(op.sheetId));
        return;
    }
  }

  /** Every formula in the spreadsheet that refers to `sheet`, as Sheets rewrites it (see shiftRows). */
  private shiftFormulas(sheet: string, at: number, delta: number): void {
    for (const s of this.sheets)
      for (const row of s.rows)
        for (const cell of row ?? [])
          if (cell?.f && cell.f.includes('!')) cell.f = shiftRows(cell.f, sheet, at, delta);
  }

  private setCell(s: SheetState, row: number, col: number, cell: Cell): void {
    while (s.rows.length < row) s.rows.push([]);
    const line = s.rows[row - 1];
    while (line.length < col) line.push(EMPTY);
    line[col - 1] = cell;
  }

  /** Host-side sort of data rows (below `headerRows`) by a column: what a person does in the UI. */
  sortRows(sheetId: number, headerRows: number, col: number, ascending = true): void {
    const s = this.sheet(sheetId);
    const body = s.rows.slice(headerRows);
    const key = (row: Cell[]) => row?.[col - 1]?.v ?? '';
    body.sort((a, b) => {
      const x = key(a) as CellValue;
      const y = key(b) as CellValue;
      const cmp = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? cmp : -cmp;
    });
    s.rows = [...s.rows.slice(0, headerRows), ...body];
  }

  // ---- persistence -----------------------------------------------------------------------

  toJSON(): SpreadsheetJSON {
    return {
      name: this.name,
      timeZone: this.timeZone,
      locale: this.locale,
      nextSheetId: this.nextSheetId,
      sheets: this.sheets.map((s) => ({
        ...s,
        rows: s.rows.map((row) =>
          (row ?? []).map((c) => (c.f ? { v: toWire(c.v), f: c.f } : { v: toWire(c.v) })),
        ),
      })),
    };
  }

  static fromJSON(j: SpreadsheetJSON): Spreadsheet {
    const ss = new Spreadsheet(j.timeZone);
    ss.name = j.name;
    ss.locale = j.locale ?? 'en_US';
    ss.nextSheetId = j.nextSheetId;
    ss.sheets = j.sheets.map((s) => ({
      ...s,
      rows: s.rows.map((row) => row.map((c) => (c.f ? { v: fromWire(c.v), f: c.f } : { v: fromWire(c.v) }))),
    }));
    return ss;
  }
}
