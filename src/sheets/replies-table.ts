/**
 * The Replies sheet: one row per inbound reply the email lane has looked at (a failed attempt adds a
 * row too). Its message ids are what makes each reply count exactly once; its other columns are the
 * host's view of what each reply did. The only code that knows its columns.
 */
import { cellText } from '../core/text';
import { Write, planAppend } from './append';
import { REPLY_COL } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** A message id's history: handled for good, or failed so many times. */
export interface Seen {
  final: boolean;
  tries: number;
}

export interface ReplyRecord {
  id: string;
  received: Date | null;
  from: string;
  subject: string;
  said: string;
  status: string;
  result: string;
  threadId: string;
}

export class RepliesTable {
  constructor(private readonly sheet: Sheet) {}

  /** Message ids seen so far (found by id: sorting the sheet is fine). */
  seen(): Map<string, Seen> {
    const seen = new Map<string, Seen>();
    const last = this.sheet.getLastRow();
    if (last < 2) return seen;
    const values = this.sheet.getRange(2, 1, last - 1, REPLY_COL.Status + 1).getValues();
    for (const r of values) {
      const id = String(r[REPLY_COL['Message id']] ?? '').trim();
      if (!id) continue;
      const s = seen.get(id) ?? { final: false, tries: 0 };
      if (String(r[REPLY_COL.Status]) === 'retry') s.tries++;
      else s.final = true;
      seen.set(id, s);
    }
    return seen;
  }

  /** The last `n` rows, oldest first (one read), for the host's dashboard. */
  recent(n: number): ReplyRecord[] {
    const last = this.sheet.getLastRow();
    if (last < 2) return [];
    const first = Math.max(2, last - n + 1);
    const date = (v: unknown) => (Object.prototype.toString.call(v) === '[object Date]' ? (v as Date) : null);
    return this.sheet
      .getRange(first, 1, last - first + 1, REPLY_COL.Thread + 1)
      .getValues()
      .map((r) => ({
        id: String(r[REPLY_COL['Message id']] ?? ''),
        received: date(r[REPLY_COL.Received]),
        from: String(r[REPLY_COL.From] ?? ''),
        subject: String(r[REPLY_COL.Subject] ?? ''),
        said: String(r[REPLY_COL.Said] ?? ''),
        status: String(r[REPLY_COL.Status] ?? ''),
        result: String(r[REPLY_COL.Result] ?? ''),
        threadId: String(r[REPLY_COL.Thread] ?? ''),
      }));
  }

  /** Plan the rows for these replies (reads now, writes when called). */
  planAppend(records: readonly ReplyRecord[]): Write {
    return planAppend(
      this.sheet,
      records.map((r) => [
        cellText(r.id),
        r.received ?? '',
        cellText(r.from),
        cellText(r.subject),
        cellText(r.said),
        r.status,
        cellText(r.result),
        cellText(r.threadId),
      ]),
    );
  }
}
