/**
 * Appending blocks of rows at the end of a sheet in as few calls as the platform allows.
 * Two phases: `planAppend` does the reads (sizes), the returned function only writes. A transaction
 * plans every append before its first write, because on Apps Script a read flushes the writes queued
 * before it: reads between writes would let a crash land half a transaction.
 */
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export type Write = () => void;

/**
 * A sheet that must grow grows by at least this many rows, so the next appends (a leader's next
 * round) find room and make one call fewer each (issue 24). Empty rows cost nothing but grid cells:
 * 500 rows of 30 columns is 0.15% of Google's 10-million-cell limit.
 */
export const GROW_ROWS = 500;

export function planAppend(sheet: Sheet, rows: unknown[][], lastRow?: number): Write {
  if (!rows.length) return () => undefined;
  // One row: one call; Google finds the end of the data and grows the sheet itself.
  if (rows.length === 1) return () => void sheet.appendRow(rows[0]);
  const start = (lastRow ?? sheet.getLastRow()) + 1;
  const needed = start + rows.length - 1;
  const max = sheet.getMaxRows();
  return () => {
    if (needed > max) sheet.insertRowsAfter(max, Math.max(needed - max, GROW_ROWS));
    sheet.getRange(start, 1, rows.length, rows[0].length).setValues(rows);
  };
}
