/**
 * The Party details sheet: one row per person of each live RSVP, with their answers to the questions
 * asked "for each person", so the host can filter and count (12 vegetarian). Written by RSVP from
 * the Guests cells (one line per person there), never read back: an edit here is overwritten.
 */
import { Question, personLabel, splitPersonCell } from '../core/questions';
import { Guest, partyOf } from '../core/model';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const PARTY_DETAILS_SHEET = 'Party details';
const FIXED = ['Email', 'RSVP name', 'Person', 'Name', 'Status'];
const LIVE = new Set(['confirmed', 'offered', 'waitlisted', 'invited']);

/** The sheet's rows (header first) from the guests and their answer cells (by lower-cased label). Pure. */
export function partyDetailsRows(
  questions: readonly Question[],
  guests: readonly Guest[],
  answers: ReadonlyArray<Record<string, string>>,
): string[][] {
  const each = questions.filter((q) => q.perPerson);
  const rows: string[][] = [[...FIXED, ...each.map((q) => q.label)]];
  guests.forEach((g, i) => {
    if (!g.email || !LIVE.has(g.status)) return;
    const cells = answers[i] ?? {};
    const split = each.map((q) => splitPersonCell(cells[q.label.toLowerCase()] ?? ''));
    const names = Array.from(
      { length: partyOf(g.party) },
      (_, p) => split.map((s) => s[p]?.person).find(Boolean) ?? '',
    );
    for (let p = 1; p <= partyOf(g.party); p++)
      rows.push([
        g.email,
        g.name,
        String(p),
        p === 1 ? g.name : names[p - 1] || personLabel(g.name, [], p),
        g.status,
        ...split.map((s) => s[p - 1]?.answer ?? ''),
      ]);
  });
  return rows;
}

export class PartyDetailsTable {
  private constructor(private readonly sheet: Sheet) {}

  static ensure(ss: Spreadsheet): PartyDetailsTable {
    let sheet = ss.getSheetByName(PARTY_DETAILS_SHEET);
    if (!sheet) {
      try {
        sheet = ss.insertSheet(PARTY_DETAILS_SHEET);
        sheet.setFrozenRows(1);
        sheet.protect().setDescription(`${PARTY_DETAILS_SHEET} is written by RSVP`).setWarningOnly(true);
      } catch {
        sheet = ss.getSheetByName(PARTY_DETAILS_SHEET);
      }
    }
    if (!sheet) throw new Error(`The ${PARTY_DETAILS_SHEET} sheet could not be made.`);
    return new PartyDetailsTable(sheet);
  }

  /** Write the rows if they differ from what the sheet holds (one read; a write only on a change). */
  write(rows: string[][]): boolean {
    const width = Math.max(...rows.map((r) => r.length));
    const values = rows.map((r) => [...r, ...Array(width - r.length).fill('')]);
    const now = this.sheet
      .getDataRange()
      .getValues()
      .map((r) => r.map((v) => String(v ?? '')));
    const same =
      now.length === values.length &&
      now.every((r, i) => r.length === width && r.every((v, j) => v === values[i][j]));
    if (same) return false;
    this.sheet.clear();
    if (values.length > this.sheet.getMaxRows())
      this.sheet.insertRowsAfter(this.sheet.getMaxRows(), values.length - this.sheet.getMaxRows());
    if (width > this.sheet.getMaxColumns())
      this.sheet.insertColumnsAfter(this.sheet.getMaxColumns(), width - this.sheet.getMaxColumns());
    // Plain text: a guest's answer is never a formula.
    this.sheet
      .getRange(1, 1, values.length, width)
      .setValues(values.map((r) => r.map((v) => (v ? `'${v}` : ''))));
    return true;
  }
}
