/**
 * The Import sheet: what the host pasted (Name | Email, or one "Name <email>" or a CSV block per
 * cell) and, beside each row, what became of it. The only code that knows its columns.
 *
 * A row counts as imported only when its Result cell carries the note the import writes with it: text a
 * host typed or pasted into the Result column (a natural "Name ⇥ Email ⇥ Party" paste puts the party
 * there) is never taken for "already imported".
 */
import { cellText } from '../core/text';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const RESULT_COL = 3;
const PARTY_COL = 4;

/** The note on every Result cell the import writes: the mark that the row was imported. */
export const RESULT_NOTE =
  'Written by RSVP → Import. Clear this cell (and its note) to import the row again.';

export interface Pasted {
  /** Each row's first two cells, from the row below the header. */
  cells: unknown[][];
  /** Whether a row (0-based below the header) was imported before: its Result cell has our note. */
  done: (i: number) => boolean;
  /** The Result column as read (to keep earlier results when writing new ones). */
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
}

export class ImportTable {
  constructor(private readonly sheet: Sheet) {}

  read(): Pasted {
    const body = this.sheet.getDataRange().getValues().slice(1);
    const notes = body.length
      ? this.sheet
          .getRange(2, RESULT_COL, body.length, 1)
          .getNotes()
          .map((r) => r[0])
      : [];
    const results = body.map((r) => r[RESULT_COL - 1] ?? '');
    const ours = (i: number) => notes[i] === RESULT_NOTE;
    const hostText = (i: number) => !ours(i) && String(results[i] ?? '').trim() !== '';
    // "Ada ⇥ ada@x ⇥ 2": a whole number in Result, with Party empty, is the party the host pasted.
    const movedParty = new Map<number, unknown>();
    body.forEach((r, i) => {
      const v = String(results[i] ?? '').trim();
      if (hostText(i) && /^\d{1,3}$/.test(v) && String(r[PARTY_COL - 1] ?? '').trim() === '')
        movedParty.set(i, v);
    });
    return {
      cells: body.map((r) => r.slice(0, 2)),
      done: ours,
      results,
      partyAt: (row) => movedParty.get(row - 2) ?? body[row - 2]?.[PARTY_COL - 1] ?? '',
      blocked: (i) => hostText(i) && !movedParty.has(i),
      movedParty,
      notes,
      parties: body.map((r) => r[PARTY_COL - 1] ?? ''),
    };
  }

  /**
   * One write of the Result column (and its notes): new results by sheet row, earlier ones and the
   * host's own text kept. A party pasted into Result goes to the Party column.
   */
  writeResults(pasted: Pasted, byRow: Map<number, string>): void {
    if (!pasted.results.length) return;
    const mine = (i: number) => byRow.get(i + 2);
    const column = pasted.results.map((old, i) => [mine(i) !== undefined ? cellText(mine(i)!) : old]);
    const range = this.sheet.getRange(2, RESULT_COL, column.length, 1);
    range.setValues(column);
    range.setNotes(column.map((_, i) => [mine(i) !== undefined ? RESULT_NOTE : (pasted.notes[i] ?? '')]));
    const moved = [...pasted.movedParty.keys()].filter((i) => mine(i) !== undefined);
    if (moved.length)
      this.sheet
        .getRange(2, PARTY_COL, column.length, 1)
        .setValues(pasted.parties.map((p, i) => [moved.includes(i) ? pasted.movedParty.get(i) : p]));
  }
}
