/**
 * The Outbox sheet: every email owed, one row each. The only code that knows its columns. Rows are
 * found by id when results are recorded (the host may sort the Outbox meanwhile).
 */
import { EmailKind, OutboxEntry, OutboxStatus, SendResult, StoredEntry } from '../core/outbox';
import { cellText } from '../core/text';
import { Write, planAppend } from './append';
import { OUTBOX_COL, columnLetters } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Up to this many results are found by a search rather than by reading the Id column. */
const SEARCH_AT_MOST = 20;

const asDate = (v: unknown): Date | null =>
  Object.prototype.toString.call(v) === '[object Date]' ? (v as Date) : null;

function rowToEntry(r: unknown[]): StoredEntry {
  const s = (i: number) => String(r[i] ?? '');
  return {
    id: s(OUTBOX_COL.Id),
    created: asDate(r[OUTBOX_COL.Created]),
    to: s(OUTBOX_COL.To),
    name: s(OUTBOX_COL.Name),
    kind: s(OUTBOX_COL.Kind) as EmailKind,
    token: s(OUTBOX_COL.Token),
    subject: s(OUTBOX_COL.Subject),
    status: s(OUTBOX_COL.Status) as OutboxStatus,
    tries: Number(r[OUTBOX_COL.Tries]) || 0,
    inReplyTo: s(OUTBOX_COL['In reply to']),
    sendAfter: asDate(r[OUTBOX_COL['Send after']]),
    about: s(OUTBOX_COL.About),
  };
}

export class OutboxTable {
  constructor(private readonly sheet: Sheet) {}

  /** Plan the rows of new entries (reads now, writes when called: see append.ts). */
  planAppend(entries: readonly OutboxEntry[], now: Date): Write {
    return planAppend(
      this.sheet,
      entries.map((e) => [
        cellText(e.id),
        now,
        cellText(e.to),
        cellText(e.name),
        e.kind,
        cellText(e.subject),
        e.status,
        e.tries,
        '',
        '',
        cellText(e.token),
        cellText(e.inReplyTo),
        e.sendAfter ?? '',
        cellText(e.about),
      ]),
    );
  }

  /** Every entry, in sheet order (one read). */
  entries(): StoredEntry[] {
    const last = this.sheet.getLastRow();
    if (last < 2) return [];
    return this.sheet
      .getRange(2, 1, last - 1, OUTBOX_COL.About + 1)
      .getValues()
      .map(rowToEntry);
  }

  /**
   * Where each id's row is now. A few ids (a sign-up's own email): found by one search by Sheets,
   * whose cost barely grows with the Outbox (issue 24), then the rows found are told apart by one
   * read of their span; many (the drain): one read of the Id column.
   */
  private rowsOf(ids: readonly string[]): Map<string, number> {
    const rowOf = new Map<string, number>();
    const byRow = (values: unknown[][], first: number) =>
      values.forEach((r, i) => rowOf.set(String(r[0]), first + i));
    if (ids.length > SEARCH_AT_MOST) {
      const last = Math.max(1, this.sheet.getLastRow());
      byRow(this.sheet.getRange(1, OUTBOX_COL.Id + 1, last, 1).getValues(), 1);
      return rowOf;
    }
    const pattern = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    const letter = columnLetters(OUTBOX_COL.Id);
    const rows = this.sheet
      .getRange(`${letter}:${letter}`)
      .createTextFinder(pattern)
      .useRegularExpression(true)
      .matchCase(true)
      .matchEntireCell(true)
      .findAll()
      .map((c) => c.getRow());
    if (!rows.length) return rowOf;
    if (ids.length === 1) {
      // (a copied row: the last, as a read of the column would find)
      rowOf.set(ids[0], Math.max(...rows));
      return rowOf;
    }
    const lo = Math.min(...rows);
    const span = Math.max(...rows) - lo + 1;
    byRow(this.sheet.getRange(lo, OUTBOX_COL.Id + 1, span, 1).getValues(), lo);
    return rowOf;
  }

  /**
   * Record send results, each on its row found by id. The host may sort the Outbox between finding a
   * row and the write landing on it: the write is checked (a read lands it first) and put right.
   */
  record(results: readonly SendResult[]): void {
    if (!results.length) return;
    const rowOf = this.rowsOf(results.map((r) => r.id));
    const located = results.flatMap((r) => {
      const row = rowOf.get(r.id);
      return row === undefined ? [] : [{ r, row }];
    });
    if (!located.length) return;
    this.writeResults(located);
    const lo = Math.min(...located.map((x) => x.row));
    const hi = Math.max(...located.map((x) => x.row));
    const ids = this.sheet.getRange(lo, OUTBOX_COL.Id + 1, hi - lo + 1, 1).getValues();
    if (located.every((x) => String(ids[x.row - lo][0]) === x.r.id)) return;
    this.repair(located.map((x) => x.r));
  }

  private writeResults(located: ReadonlyArray<{ r: SendResult; row: number }>): void {
    const cells = (r: SendResult) => [r.status, r.tries, r.sentAt, r.error];
    const first = OUTBOX_COL.Status + 1;
    const rows = located.map((x) => x.row);
    const lo = Math.min(...rows);
    if (Math.max(...rows) - lo + 1 === located.length) {
      // Contiguous (the usual case: one sign-up, or a batch appended together): one write.
      const block = [...located].sort((a, b) => a.row - b.row).map(({ r }) => cells(r));
      this.sheet.getRange(lo, first, block.length, 4).setValues(block);
    } else {
      for (const { r, row } of located) this.sheet.getRange(row, first, 1, 4).setValues([cells(r)]);
    }
  }

  /**
   * A sort moved the rows before the write landed: it landed on other emails' rows. Every row is read
   * again; ours get their results, and a row that now holds one of our results under another id gets
   * 'queued' back (its own result was written over: the drain looks at it again, checking that it is
   * still owed, rather than letting an email owed be taken for sent).
   */
  private repair(results: readonly SendResult[]): void {
    const last = this.sheet.getLastRow();
    if (last < 2) return;
    const stored = this.sheet.getRange(2, 1, last - 1, OUTBOX_COL.About + 1).getValues();
    const ours = new Map(results.map((r) => [r.id, r]));
    const time = (v: unknown) => asDate(v)?.getTime() ?? String(v ?? '');
    const holds = (row: unknown[], r: SendResult) =>
      String(row[OUTBOX_COL.Status]) === r.status &&
      Number(row[OUTBOX_COL.Tries]) === r.tries &&
      time(row[OUTBOX_COL['Sent at']]) === time(r.sentAt) &&
      String(row[OUTBOX_COL.Error] ?? '') === r.error;
    const fixes: Array<{ r: SendResult; row: number }> = [];
    stored.forEach((row, i) => {
      const id = String(row[OUTBOX_COL.Id]);
      const mine = ours.get(id);
      if (mine && !holds(row, mine)) fixes.push({ r: mine, row: i + 2 });
      else if (!mine && results.some((r) => holds(row, r)) && row[OUTBOX_COL.Status] !== 'queued')
        fixes.push({
          r: { id, status: 'queued', tries: Number(row[OUTBOX_COL.Tries]) || 0, sentAt: '', error: '' },
          row: i + 2,
        });
    });
    if (fixes.length) this.writeResults(fixes);
  }
}
