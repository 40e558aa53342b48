/**
 * The Import sheet: what the host pasted (Name | Email, or one "Name <email>" or a CSV block per
 * cell) and, beside each row, what became of it. The only code that knows its columns.
 */
import { cellText } from '../core/text';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const RESULT_COL = 3;
const PARTY_COL = 4;

export interface Pasted {
  /** Each row's first two cells, from the row below the header. */
  cells: unknown[][];
  /** Whether a row (0-based below the header) already has its result, i.e. was imported before. */
  done: (i: number) => boolean;
  /** The Result column as read (to keep earlier results when writing new ones). */
  results: unknown[];
  /** The optional Party cell of a sheet row ('' when blank). */
  partyAt: (sheetRow: number) => unknown;
}

export class ImportTable {
  constructor(private readonly sheet: Sheet) {}

  read(): Pasted {
    const body = this.sheet.getDataRange().getValues().slice(1);
    const results = body.map((r) => r[RESULT_COL - 1] ?? '');
    return {
      cells: body.map((r) => r.slice(0, 2)),
      done: (i) => String(results[i] ?? '').trim() !== '',
      results,
      partyAt: (row) => body[row - 2]?.[PARTY_COL - 1] ?? '',
    };
  }

  /** One write of the Result column: new results by sheet row, earlier ones kept. */
  writeResults(pasted: Pasted, byRow: Map<number, string>): void {
    if (!pasted.results.length) return;
    const column = pasted.results.map((old, i) => {
      const mine = byRow.get(i + 2);
      return [mine !== undefined ? cellText(mine) : old];
    });
    this.sheet.getRange(2, RESULT_COL, column.length, 1).setValues(column);
  }
}
