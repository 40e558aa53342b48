/**
 * The Log sheet: one row per change of a guest's state, and notes of what the host ran. Append-only.
 * The only code that knows its columns.
 */
import type { LogEntry } from '../core/keeper';
import { LoggedChange } from '../core/log-replay';
import { cellText } from '../core/text';
import { Write, planAppend } from './append';
import { LOG_HEADERS } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const at = (h: (typeof LOG_HEADERS)[number]) => LOG_HEADERS.indexOf(h);

export class LogTable {
  constructor(private readonly sheet: Sheet) {}

  /** Plan the rows for these entries, stamped `now` (reads now, writes when called). */
  planAppend(entries: readonly LogEntry[], now: Date): Write {
    return planAppend(
      this.sheet,
      entries.map((l) => [
        now,
        cellText(l.email),
        cellText(l.name),
        l.from,
        l.to,
        l.lane,
        cellText(l.detail),
      ]),
    );
  }

  /** The last `n` rows, oldest first (one read), for the host's dashboard. */
  recent(n: number): Array<{ when: Date | null; email: string; from: string; to: string; detail: string }> {
    const last = this.sheet.getLastRow();
    if (last < 2) return [];
    const first = Math.max(2, last - n + 1);
    return this.sheet
      .getRange(first, 1, last - first + 1, LOG_HEADERS.length)
      .getValues()
      .map((r) => {
        return {
          when: asDate(r[at('When')]),
          email: String(r[at('Email')] ?? ''),
          from: String(r[at('From')] ?? ''),
          to: String(r[at('To')] ?? ''),
          detail: String(r[at('Detail')] ?? ''),
        };
      });
  }

  /** The changes logged so far, oldest first (one read). */
  changes(): LoggedChange[] {
    return this.read().changes;
  }

  /** The whole Log (one read), with what `since` needs to read only what comes after it. */
  read(): LogRead {
    const last = this.sheet.getLastRow();
    if (last < 2) return { changes: [], last: Math.max(1, last), lastLine: '' };
    const rows = this.sheet.getRange(2, 1, last - 1, LOG_HEADERS.length).getValues();
    return { changes: rows.map(change), last, lastLine: line(rows[rows.length - 1]) };
  }

  /**
   * Every change logged, from a read made before the lock plus the rows appended since (one read of
   * the tail, from the last row read before, which must still be there). A Log whose rows were deleted
   * or moved in between is read again whole.
   */
  since(before: LogRead): LoggedChange[] {
    const last = this.sheet.getLastRow();
    if (last < before.last) return this.changes();
    if (before.last < 2) return last < 2 ? [] : this.changes();
    const tail = this.sheet.getRange(before.last, 1, last - before.last + 1, LOG_HEADERS.length).getValues();
    if (line(tail[0]) !== before.lastLine) return this.changes();
    return [...before.changes, ...tail.slice(1).map(change)];
  }
}

/** What a read of the Log saw: its changes, its last row's number and that row's cells. */
export interface LogRead {
  changes: LoggedChange[];
  last: number;
  lastLine: string;
}

const change = (r: unknown[]): LoggedChange => ({
  email: String(r[at('Email')] ?? ''),
  from: String(r[at('From')] ?? ''),
  to: String(r[at('To')] ?? ''),
  detail: String(r[at('Detail')] ?? ''),
  when: asDate(r[at('When')]),
});

const line = (r: unknown[]): string => JSON.stringify(r.map((v) => (asDate(v) ? asDate(v)!.getTime() : v)));

const asDate = (v: unknown): Date | null =>
  Object.prototype.toString.call(v) === '[object Date]' ? (v as Date) : null;
