/**
 * The Checks sheet (RSVP → Check this deployment): one row per check, rewritten whole by each run.
 * The only code that knows its columns.
 */
import { CheckResult, CheckRow } from '../core/checks';
import { cellText } from '../core/text';
import { CHECK_HEADERS, SHEETS } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const RESULTS: readonly string[] = ['pass', 'fail', 'could not check', 'pending'];

export class ChecksTable {
  private constructor(private readonly sheet: Sheet) {}

  /** The Checks sheet, created (with its header) when missing. */
  static open(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): ChecksTable {
    let sheet = ss.getSheetByName(SHEETS.checks);
    if (!sheet) {
      sheet = ss.insertSheet(SHEETS.checks);
      sheet.getRange(1, 1, 1, CHECK_HEADERS.length).setValues([[...CHECK_HEADERS]]);
      sheet.getRange(1, 1, 1, CHECK_HEADERS.length).setFontWeight('bold');
      sheet.setFrozenRows(1);
    }
    return new ChecksTable(sheet);
  }

  /** The rows as they stand (one read). */
  rows(): CheckRow[] {
    const last = this.sheet.getLastRow();
    if (last < 2) return [];
    return this.sheet
      .getRange(2, 1, last - 1, CHECK_HEADERS.length)
      .getValues()
      .filter((r) => String(r[0] ?? '') !== '')
      .map((r) => ({
        check: String(r[0]),
        result: (RESULTS.includes(String(r[1])) ? String(r[1]) : 'could not check') as CheckResult,
        observed: String(r[2] ?? ''),
        todo: String(r[3] ?? ''),
        when: r[4] instanceof Date ? r[4] : null,
      }));
  }

  /**
   * Every row in one setValues (a second execution reads them back whole), and blanks below where an
   * earlier run wrote more.
   */
  write(rows: readonly CheckRow[], now: Date): void {
    const last = this.sheet.getLastRow();
    const values = rows.map((r) => [
      cellText(r.check),
      r.result,
      cellText(r.observed),
      cellText(r.todo),
      r.when ?? now,
    ]);
    const height = Math.max(values.length, last - 1);
    while (values.length < height) values.push(['', '', '', '', '']);
    if (height) this.sheet.getRange(2, 1, height, CHECK_HEADERS.length).setValues(values);
  }
}
