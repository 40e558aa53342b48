/**
 * The Messages sheet: one row per message the host sent to the guest list (RSVP → Message guests),
 * for the record. What became of each email is in the Outbox (its About cell names the message).
 */
import { planAppend, Write } from './append';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const MESSAGES_SHEET = 'Messages';
export const MESSAGE_HEADERS = ['Id', 'Sent', 'To', 'Recipients', 'Subject', 'Text'] as const;

export class MessagesTable {
  private constructor(private readonly sheet: Sheet) {}

  /** The sheet, made on first use (outside the lock: it holds no seat state). */
  static ensure(ss: Spreadsheet): MessagesTable {
    let sheet = ss.getSheetByName(MESSAGES_SHEET);
    if (!sheet) {
      try {
        sheet = ss.insertSheet(MESSAGES_SHEET);
        sheet.getRange(1, 1, 1, MESSAGE_HEADERS.length).setValues([[...MESSAGE_HEADERS]]);
        sheet.setFrozenRows(1);
      } catch {
        // Made by another execution at the same moment.
        sheet = ss.getSheetByName(MESSAGES_SHEET);
      }
    }
    if (!sheet) throw new Error('The Messages sheet could not be made.');
    return new MessagesTable(sheet);
  }

  /** One message's row (plain text: the host's words are never a formula). */
  planAppend(m: {
    id: string;
    at: Date;
    audience: string[];
    recipients: number;
    subject: string;
    text: string;
  }): Write {
    return planAppend(this.sheet, [
      [`'${m.id}`, m.at, m.audience.join(', '), m.recipients, `'${m.subject}`, `'${m.text}`],
    ]);
  }
}
