/**
 * The spreadsheet, opened once per execution: one table adapter per sheet, each the only code that
 * knows its columns. Lanes, the keeper and the messenger read and write cells only through these.
 */
import { MessagesTable } from './messages-table';
import { ChecksTable } from './checks-table';
import { GuestsTable, SheetLayoutError } from './guests-table';
import { ImportTable } from './import-table';
import { QuestionsTable } from './questions-table';
import { SHEETS } from './layout';
import { IndexTable } from './index-table';
import { LogTable } from './log-table';
import { OutboxTable } from './outbox-table';
import { RepliesTable } from './replies-table';
import { SettingsTable } from './settings-table';
import { publicUrl } from './public-url';

export const NOT_SET_UP_MESSAGE = 'The sheet is not set up yet: run RSVP → Set up this sheet.';

export class Workbook {
  private static opened: Workbook | null = null;
  private repliesTable: RepliesTable | null | undefined;
  private importTable: ImportTable | null | undefined;

  /**
   * How big the spreadsheet is: every sheet's grid (what Google's 10-million-cell limit counts) and
   * the rows of the sheets the keeper and the 10-minute run read.
   */
  size(): { cells: number; rows: Record<string, number> } {
    let cells = 0;
    const rows: Record<string, number> = {};
    for (const sheet of this.ss.getSheets()) {
      cells += sheet.getMaxRows() * sheet.getMaxColumns();
      rows[sheet.getName()] = Math.max(0, sheet.getLastRow() - 1);
    }
    return { cells, rows };
  }

  private constructor(
    private readonly ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
    private readonly settingsSheet: GoogleAppsScript.Spreadsheet.Sheet,
  ) {}

  private tables: { settings?: SettingsTable; guests?: GuestsTable; outbox?: OutboxTable; log?: LogTable } =
    {};
  private zone: string | undefined;
  private indexTable: IndexTable | null | undefined;

  /** A sheet Set up makes, looked up on first use (issue 24: each lookup is a round trip). */
  private sheet(name: string): GoogleAppsScript.Spreadsheet.Sheet {
    const sheet = this.ss.getSheetByName(name);
    if (!sheet) throw new SheetLayoutError(NOT_SET_UP_MESSAGE);
    return sheet;
  }

  get timeZone(): string {
    return (this.zone ??= this.ss.getSpreadsheetTimeZone());
  }

  get settings(): SettingsTable {
    return (this.tables.settings ??= new SettingsTable(this.settingsSheet, this.timeZone));
  }

  get guests(): GuestsTable {
    return (this.tables.guests ??= new GuestsTable(this.sheet(SHEETS.guests)));
  }

  get outbox(): OutboxTable {
    return (this.tables.outbox ??= new OutboxTable(this.sheet(SHEETS.outbox)));
  }

  get log(): LogTable {
    return (this.tables.log ??= new LogTable(this.sheet(SHEETS.log)));
  }

  /**
   * Everything a keeper transaction looks up, before its lock: a sign-up does this while it waits
   * for its answer or for its claim to settle (see group-commit.ts), so if it comes to lead, its
   * rounds look nothing up.
   */
  prepareTransaction(): void {
    try {
      void [this.settings, this.guests, this.outbox, this.log, this.index()];
    } catch {
      // A sheet is missing: the transaction finds it so too, and says so.
    }
  }

  /** A transaction found an Index formula that is not the keeper's: mendIndex puts it back. */
  indexToMend = false;

  /**
   * Outside the lock: the Index's formulas written again where they are not the keeper's (a few
   * hundred cells), so the next transactions can trust it again without waiting for the 10-minute
   * run. Best effort: that run does the same.
   */
  mendIndex(): void {
    if (!this.indexToMend) return;
    this.indexToMend = false;
    try {
      IndexTable.ensure(this.ss);
    } catch (e) {
      console.warn(`the Index was not put back: ${String(e)}`);
    }
  }

  /** The hidden Index sheet (null before Set up or the 10-minute run makes it): looked up on first use. */
  index(): IndexTable | null {
    if (this.indexTable === undefined) this.indexTable = IndexTable.open(this.ss);
    return this.indexTable;
  }

  /** The form's public /exec link (null until known): read once, before any lock (see public-url.ts). */
  get url(): string | null {
    return publicUrl();
  }

  /**
   * The workbook, opened once per execution (each execution is a fresh script context, so this
   * memo lives exactly as long as one request or trigger run); null until Set up has made its sheets.
   */
  static open(): Workbook | null {
    const book = Workbook.openLazily();
    try {
      void [book?.guests, book?.outbox, book?.log];
      return book;
    } catch {
      return null;
    }
  }

  /**
   * The same workbook, its sheets looked up only when used: for a sign-up, which another execution's
   * transaction may serve (it then needs only the Outbox). A missing sheet is a SheetLayoutError
   * saying the sheet is not set up, which a transaction reports as it reports any layout problem.
   */
  static openLazily(): Workbook | null {
    if (Workbook.opened) return Workbook.opened;
    const ss = SpreadsheetApp.getActiveSpreadsheet();
    const settings = ss.getSheetByName(SHEETS.settings);
    if (!settings) return null;
    // Looked up now, so no transaction reads it inside the lock.
    publicUrl();
    Workbook.opened = new Workbook(ss, settings);
    return Workbook.opened;
  }

  /** The Replies sheet (the email lane's), or null when it is missing. */
  replies(): RepliesTable | null {
    if (this.repliesTable === undefined) {
      const sheet = this.ss.getSheetByName(SHEETS.replies);
      this.repliesTable = sheet ? new RepliesTable(sheet) : null;
    }
    return this.repliesTable;
  }

  /** The spreadsheet itself, for a table made on first use (Party details). */
  get spreadsheet(): GoogleAppsScript.Spreadsheet.Spreadsheet {
    return this.ss;
  }

  /** The Questions sheet, or null when the host has none (an older sheet: Set up makes it). */
  questions(): QuestionsTable | null {
    return QuestionsTable.open(this.ss);
  }

  /** The Messages sheet, made on first use. */
  messages(): MessagesTable {
    return MessagesTable.ensure(this.ss);
  }

  imports(): ImportTable | null {
    if (this.importTable === undefined) {
      const sheet = this.ss.getSheetByName(SHEETS.import);
      this.importTable = sheet ? new ImportTable(sheet) : null;
    }
    return this.importTable;
  }

  /** The Checks sheet if a check has ever run (a reader such as the dashboard must not create it). */
  existingChecks(): ChecksTable | null {
    return this.ss.getSheetByName(SHEETS.checks) ? ChecksTable.open(this.ss) : null;
  }

  /** The Checks sheet (RSVP → Check this deployment), created when missing. */
  checks(): ChecksTable {
    return ChecksTable.open(this.ss);
  }

  /** Apply every pending write: before a lock is released, the next holder must read them. */
  flush(): void {
    SpreadsheetApp.flush();
  }
}

/**
 * A message in the spreadsheet's corner (nothing where there is no spreadsheet UI: triggers, the web
 * app); returns the text, which a menu function also returns.
 */
export function toast(text: string): string {
  try {
    SpreadsheetApp.getActiveSpreadsheet().toast(text, 'RSVP', 10);
  } catch {
    // No UI in this context: the sheet itself shows the state.
  }
  return text;
}
