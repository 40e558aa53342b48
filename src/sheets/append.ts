/** Appending a block of rows at the end of a sheet in as few calls as the platform allows. */
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export function appendRows(sheet: Sheet, rows: unknown[][]): void {
  if (!rows.length) return;
  if (rows.length === 1) {
    // One call; Google finds the end of the data and grows the sheet itself.
    sheet.appendRow(rows[0]);
    return;
  }
  const start = sheet.getLastRow() + 1;
  const needed = start + rows.length - 1;
  const max = sheet.getMaxRows();
  if (needed > max) sheet.insertRowsAfter(max, needed - max);
  sheet.getRange(start, 1, rows.length, rows[0].length).setValues(rows);
}
