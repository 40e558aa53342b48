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
    const last = this.sheet.getLastRow();
    if (last < 2) return [];
    return this.sheet
      .getRange(2, 1, last - 1, LOG_HEADERS.length)
      .getValues()
      .map((r) => ({
        email: String(r[at('Email')] ?? ''),
        from: String(r[at('From')] ?? ''),
        to: String(r[at('To')] ?? ''),
        detail: String(r[at('Detail')] ?? ''),
        when: asDate(r[at('When')]),
      }));
  }
}

const asDate = (v: unknown): Date | null =>
  Object.prototype.toString.call(v) === '[object Date]' ? (v as Date) : null;
