/**
 * The Outbox sheet: every email owed, one row each. The only code that knows its columns. Rows are
 * found by id when results are recorded (the host may sort the Outbox meanwhile).
 */
import { EmailKind, OutboxEntry, OutboxStatus, SendResult, StoredEntry } from '../core/outbox';
import { cellText } from '../core/text';
import { Write, planAppend } from './append';
import { OUTBOX_COL } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

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

  /** Record send results, each on its row found by id. */
  record(results: readonly SendResult[]): void {
    if (!results.length) return;
    const ids = this.sheet
      .getRange(1, OUTBOX_COL.Id + 1, Math.max(1, this.sheet.getLastRow()), 1)
      .getValues();
    const rowOf = new Map<string, number>();
    ids.forEach((r, i) => rowOf.set(String(r[0]), i + 1));
    const first = OUTBOX_COL.Status + 1;
    const located = results.map((r) => ({ r, row: rowOf.get(r.id) })).filter((x) => x.row !== undefined);
    if (!located.length) return;
    const rows = located.map((x) => x.row as number);
    const lo = Math.min(...rows);
    const hi = Math.max(...rows);
    if (hi - lo + 1 === located.length) {
      // Contiguous (the usual case: one sign-up, or a batch appended together): one write.
      const block = located
        .sort((a, b) => (a.row as number) - (b.row as number))
        .map(({ r }) => [r.status, r.tries, r.sentAt, r.error]);
      this.sheet.getRange(lo, first, block.length, 4).setValues(block);
    } else {
      for (const { r, row } of located)
        this.sheet.getRange(row as number, first, 1, 4).setValues([[r.status, r.tries, r.sentAt, r.error]]);
    }
  }
}
