/**
 * The Import sheet: what the host pasted (Name | Email, or one "Name <email>" or a CSV block per
 * cell, or a wide paste of a form's export with its own header) and, beside each row, what became
 * of it. The only code that knows its columns.
 *
 * A row counts as imported only when its Result cell carries the note the import writes with it (or,
 * from a version before the note, holds only words the import writes): text a host typed or pasted
 * into the Result column (a natural "Name ⇥ Email ⇥ Party" paste puts the party there) is never taken
 * for "already imported".
 */
import { isImportResult } from '../core/import-plan';
import { cellText } from '../core/text';
import { IMPORT_HEADERS } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The note on every Result cell the import writes: the mark that the row was imported. */
export const RESULT_NOTE =
  'Written by RSVP → Import. Clear this cell (and its note) to import the row again.';

/**
 * Where things are. Classic: Name | Email | Result | Party from row 2. Wide: the paste spans the
 * Result column (a form's export: Timestamp | Name | Email | Diet | Party), so every pasted column is
 * data, read by the paste's own header, and the results go in a Result column of their own after it.
 */
export interface ImportLayout {
  /** Sheet row of the first row handed to the parser (1 when the paste replaced our header). */
  firstRow: number;
  /** 1-based column of the results. */
  resultCol: number;
  /** 1-based Party column (classic only: a wide paste says its party under its own header). */
  partyCol: number | null;
  wide: boolean;
}

export interface Pasted {
  layout: ImportLayout;
  /** Each row's data cells, from layout.firstRow. */
  cells: unknown[][];
  /** Whether a row (0-based from firstRow) was imported before: its Result cell is ours. */
  done: (i: number) => boolean;
  /** The Result column as read, from firstRow (to keep earlier results when writing new ones). */
  results: unknown[];
  /** The Party of a sheet row ('' when blank): the Party cell, or a number pasted into Result. */
  partyAt: (sheetRow: number) => unknown;
  /** Rows (0-based) whose Result cell holds the host's own text: not imported, left as they are. */
  blocked: (i: number) => boolean;
  /** Rows (0-based) whose party was pasted into the Result column: it moves to Party when results land. */
  movedParty: Map<number, unknown>;
  /** The Result column's notes and the Party column, as read. */
  notes: string[];
  parties: unknown[];
  /**
   * The cell under a header of row 1 (the sheet's own, or a wide paste's), for a sheet row: how the
   * answers to the host's questions come in, one column per question, by its words.
   */
  under: (header: string, sheetRow: number) => unknown;
}

const filled = (v: unknown) => String(v ?? '').trim() !== '';

/**
 * Which layout the sheet is in. Pure: the data range's values and notes as read. The Result column
 * is the one our notes mark (rightmost), else the classic C, unless the paste spans it: then the
 * first column after the paste.
 */
export function importLayout(values: readonly unknown[][], notes: readonly string[][]): ImportLayout {
  const head = (values[0] ?? []).map((v) => String(v ?? '').trim());
  const ours = IMPORT_HEADERS.every((h, i) => head[i] === h || (i >= 2 && !head[i]));
  const classic = IMPORT_HEADERS.indexOf('Result');
  const marked = Math.max(-1, ...notes.map((r) => r.lastIndexOf(RESULT_NOTE)));
  // A Result column of ours after an earlier wide paste (or one whose header we wrote).
  const byHeader = head.lastIndexOf('Result');
  const extra = marked > classic ? marked : byHeader > classic ? byHeader : -1;
  const body = values.slice(1);
  // Results of ours in the classic column keep the sheet classic: a host's own notes in column E
  // beside imported rows are not a wide paste.
  const classicMarked = notes.some((r) => r[classic] === RESULT_NOTE);
  const wide =
    !ours ||
    extra >= 0 ||
    body.some(
      (r, i) =>
        // An address where the Result goes (Timestamp | Name | Email), not a result of ours about one.
        (/\S@\S/.test(String(r[classic] ?? '')) &&
          notes[i + 1]?.[classic] !== RESULT_NOTE &&
          !isImportResult(String(r[classic]))) ||
        (!classicMarked && r.some((v, j) => j >= IMPORT_HEADERS.length && j !== extra && filled(v))),
    );
  if (!wide) return { firstRow: 2, resultCol: classic + 1, partyCol: classic + 2, wide };
  const used = (r: readonly unknown[]) =>
    r.reduce<number>((w, v, j) => (filled(v) && j !== extra && j !== marked ? j + 1 : w), 0);
  const at = extra >= 0 ? extra : Math.max(0, ...values.map(used));
  return { firstRow: ours ? 2 : 1, resultCol: at + 1, partyCol: null, wide };
}

export class ImportTable {
  constructor(private readonly sheet: Sheet) {}

  read(): Pasted {
    const range = this.sheet.getDataRange();
    const values = range.getValues();
    const allNotes = range.getNotes();
    const layout = importLayout(values, allNotes);
    const rows = values.slice(layout.firstRow - 1);
    const r0 = layout.resultCol - 1;
    const rowNotes = allNotes.slice(layout.firstRow - 1);
    const notes = rowNotes.map((r) => r[r0] ?? '');
    // A row imported before the sheet turned wide has its result (and our note) in column C.
    const markedElsewhere = (i: number) => (rowNotes[i] ?? []).some((n, j) => j !== r0 && n === RESULT_NOTE);
    const results = rows.map((r) => r[r0] ?? '');
    const ours = (i: number) =>
      notes[i] === RESULT_NOTE ||
      markedElsewhere(i) ||
      (!notes[i] && filled(results[i]) && isImportResult(String(results[i])));
    const hostText = (i: number) => !ours(i) && filled(results[i]);
    const p0 = layout.partyCol === null ? -1 : layout.partyCol - 1;
    // "Ada ⇥ ada@x ⇥ 2": a whole number in Result, with Party empty, is the party the host pasted.
    const movedParty = new Map<number, unknown>();
    if (!layout.wide)
      rows.forEach((r, i) => {
        const v = String(results[i] ?? '').trim();
        if (hostText(i) && /^\d{1,3}$/.test(v) && !filled(r[p0])) movedParty.set(i, v);
      });
    const at = (row: number) => row - layout.firstRow;
    // The header each row falls under: the nearest row above it (or row 1) with an Email title, as
    // a paste that brings its own header (a form's export pasted below ours) has.
    const lower = (r: unknown[] | undefined) =>
      (r ?? []).map((v) =>
        String(v ?? '')
          .trim()
          .toLowerCase(),
      );
    const headerOf: number[] = [];
    values.forEach((r, k) => {
      const titles = lower(r);
      const isHeader = k > 0 && titles.includes('email') && !titles.some((v) => /\S@\S/.test(v));
      headerOf.push(isHeader ? k : k ? headerOf[k - 1] : 0);
    });
    const under = (header: string, sheetRow: number) => {
      const k = sheetRow - 1;
      if (k < 1 || k >= values.length || headerOf[k] === k) return '';
      const c = lower(values[headerOf[k]]).indexOf(header.trim().toLowerCase());
      return c < 0 || c === r0 ? '' : (values[k]?.[c] ?? '');
    };
    return {
      under,
      layout,
      cells: rows.map((r) => (layout.wide ? r.map((v, j) => (j === r0 ? '' : v)) : r.slice(0, 2))),
      done: ours,
      results,
      partyAt: (row) => movedParty.get(at(row)) ?? (p0 >= 0 ? (rows[at(row)]?.[p0] ?? '') : ''),
      blocked: (i) => hostText(i) && !movedParty.has(i),
      movedParty,
      notes,
      parties: p0 >= 0 ? rows.map((r) => r[p0] ?? '') : [],
    };
  }

  /**
   * One write of the Result column (and its notes): new results by sheet row, earlier ones and the
   * host's own text kept. A party pasted into Result goes to the Party column. A wide paste's Result
   * column gets its header.
   */
  writeResults(pasted: Pasted, byRow: Map<number, string>): void {
    const { firstRow, resultCol, partyCol, wide } = pasted.layout;
    if (!pasted.results.length) return;
    const mine = (i: number) => byRow.get(i + firstRow);
    const column = pasted.results.map((old, i) => [mine(i) !== undefined ? cellText(mine(i)!) : old]);
    const range = this.sheet.getRange(firstRow, resultCol, column.length, 1);
    range.setValues(column);
    range.setNotes(column.map((_, i) => [mine(i) !== undefined ? RESULT_NOTE : (pasted.notes[i] ?? '')]));
    if (wide) {
      const header = this.sheet.getRange(1, resultCol);
      if (!filled(header.getValue())) header.setValue('Result');
    }
    const moved = [...pasted.movedParty.keys()].filter((i) => mine(i) !== undefined);
    if (moved.length && partyCol !== null)
      this.sheet
        .getRange(firstRow, partyCol, column.length, 1)
        .setValues(pasted.parties.map((p, i) => [moved.includes(i) ? pasted.movedParty.get(i) : p]));
  }
}
