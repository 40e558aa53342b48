/**
 * The hidden Index sheet: a row of labels and a row of formulas over Guests (core/flat-index.ts).
 * Sheets keeps the formulas current; the keeper reads the row (its formulas, then their values).
 */
import { INDEX_FORMULAS } from '../core/flat-index';
import { SHEETS } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

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
    const width = INDEX_FORMULAS.length;
    let sheet = ss.getSheetByName(SHEETS.index);
    if (!sheet) {
      sheet = ss.insertSheet(SHEETS.index);
      sheet.hideSheet();
    }
    const want = INDEX_FORMULAS.map(([, f]) => f);
    const have = sheet.getRange(2, 1, 1, width).getFormulas()[0];
    if (have.every((f, i) => f === want[i])) return;
    sheet.getRange(1, 1, 2, width).setValues([INDEX_FORMULAS.map(([label]) => label), want]);
  }

  /**
   * The formulas' values now, or [] when a cell no longer holds its formula (a number typed over
   * one would be trusted as a count): two reads of one row.
   */
  read(): unknown[] {
    const range = this.sheet.getRange(2, 1, 1, INDEX_FORMULAS.length);
    const formulas = range.getFormulas()[0];
    if (formulas.some((f, i) => f !== INDEX_FORMULAS[i][1])) return [];
    return range.getValues()[0];
  }
}
