/**
 * "Set up this sheet": creates what is missing and repairs headers, never touching data.
 * Safe to run any number of times.
 */
import { clockText } from '../core/quiet';
import { DEFAULT_SLOTS, slotText } from '../core/reminders';
import { DEFAULT_QUIET, SETTING_LABELS } from '../core/settings';
import { applySettingsValidation } from './settings-validation';
import { IndexTable } from './index-table';
import { passKey } from './door-keys';
import { QuestionsTable } from './questions-table';
import {
  GUEST_COL,
  GUEST_HEADERS,
  IMPORT_HEADERS,
  LOG_HEADERS,
  OUTBOX_HEADERS,
  REPLY_HEADERS,
  SHEETS,
  SUMMARY_LABELS,
  SUMMARY_TITLE,
} from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const DATE_FORMAT = 'yyyy-mm-dd hh:mm';

function ensureSheet(ss: Spreadsheet, name: string, report: string[]): { sheet: Sheet; created: boolean } {
  const existing = ss.getSheetByName(name);
  if (existing) return { sheet: existing, created: false };
  report.push(`created the ${name} sheet`);
  return { sheet: ss.insertSheet(name), created: true };
}

/** Write the header row where it is blank or wrong; data below is never touched. */
function ensureHeader(sheet: Sheet, headers: readonly string[], report: string[]): void {
  const current = sheet
    .getRange(1, 1, 1, headers.length)
    .getValues()[0]
    .map((v) => String(v));
  if (current.join('\u0000') === headers.join('\u0000')) return;
  if (current.some((v) => v !== '') && current.join('') !== '')
    report.push(`repaired the ${sheet.getName()} headers`);
  sheet.getRange(1, 1, 1, headers.length).setValues([headers as unknown as string[]]);
  sheet.getRange(1, 1, 1, headers.length).setFontWeight('bold');
  sheet.setFrozenRows(1);
}

function setUpSettings(ss: Spreadsheet, report: string[]): void {
  const { sheet, created } = ensureSheet(ss, SHEETS.settings, report);
  if (created) {
    const rows: unknown[][] = [['Setting', 'Value', 'Help']];
    const defaults: Record<string, unknown> = {
      eventName: 'My event',
      capacity: 50,
      claimWindowHours: 24,
      timeZone: ss.getSpreadsheetTimeZone(),
      // Shown so the host sees them on (blank means the same); "off" turns one off.
      reminderWeek: slotText(DEFAULT_SLOTS.week),
      reminderDay: slotText(DEFAULT_SLOTS.day),
      reminderMorning: slotText(DEFAULT_SLOTS.morning),
      quietHours: `${clockText(DEFAULT_QUIET.from)}-${clockText(DEFAULT_QUIET.to)}`,
    };
    for (const [key, [label, help]] of Object.entries(SETTING_LABELS))
      rows.push([label, defaults[key] ?? '', help]);
    rows.push(['', '', ''], [SUMMARY_TITLE, '', '']);
    for (const label of SUMMARY_LABELS) rows.push([label, '', '']);
    sheet.getRange(1, 1, rows.length, 3).setValues(rows);
    sheet.getRange(1, 1, 1, 3).setFontWeight('bold');
    sheet.setFrozenRows(1);
    sheet.setColumnWidth(1, 200);
    sheet.setColumnWidth(2, 320);
    sheet.setColumnWidth(3, 420);
    applySettingsValidation(sheet);
    return;
  }
  // Repair: any missing setting or summary label is added at the end (everything is found by label).
  const labels = new Set(
    sheet
      .getDataRange()
      .getValues()
      .map((r) => String(r[0]).trim()),
  );
  const missing: unknown[][] = [];
  for (const [label, help] of Object.values(SETTING_LABELS))
    if (!labels.has(label)) missing.push([label, '', help]);
  if (!labels.has(SUMMARY_LABELS[0])) {
    missing.push(['', '', ''], [SUMMARY_TITLE, '', '']);
    for (const label of SUMMARY_LABELS) missing.push([label, '', '']);
  }
  if (missing.length) {
    report.push(`added ${missing.length} missing rows to Settings`);
    sheet.getRange(sheet.getLastRow() + 1, 1, missing.length, 3).setValues(missing);
  }
  // A sheet set up before the dropdowns and date pickers gets them now.
  applySettingsValidation(sheet);
}

function setUpGuests(ss: Spreadsheet, report: string[]): void {
  const { sheet, created } = ensureSheet(ss, SHEETS.guests, report);
  ensureHeader(sheet, GUEST_HEADERS, report);
  if (!created) return;
  const widths = [240, 200, 100, 90, 80, 140, 140, 140, 240, 80, 60];
  widths.forEach((w, i) => sheet.setColumnWidth(i + 1, w));
  const max = sheet.getMaxRows();
  for (const col of [GUEST_COL.Created, GUEST_COL.Updated, GUEST_COL['Offer expires']]) {
    sheet.getRange(2, col + 1, max - 1, 1).setNumberFormat(DATE_FORMAT);
  }
  // Tokens are the guests' private links: out of the way, but there for the host who needs them.
  sheet.hideColumns(GUEST_COL.Token + 1);
}

function setUpPlain(
  ss: Spreadsheet,
  name: string,
  headers: readonly string[],
  report: string[],
  protect: boolean,
): void {
  const { sheet, created } = ensureSheet(ss, name, report);
  ensureHeader(sheet, headers, report);
  if (!created) return;
  sheet.setColumnWidth(1, 160);
  if (protect) sheet.protect().setDescription(`${name} is written by RSVP`).setWarningOnly(true);
}

export function setUpSpreadsheet(): string[] {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const report: string[] = [];
  setUpSettings(ss, report);
  setUpGuests(ss, report);
  IndexTable.ensure(ss);
  setUpPlain(ss, SHEETS.import, IMPORT_HEADERS, report, false);
  QuestionsTable.ensure(ss, report);
  setUpPlain(ss, SHEETS.outbox, OUTBOX_HEADERS, report, true);
  setUpPlain(ss, SHEETS.log, LOG_HEADERS, report, true);
  setUpPlain(ss, SHEETS.replies, REPLY_HEADERS, report, true);
  // A new spreadsheet's empty "Sheet1" is just clutter.
  const blank = ss.getSheetByName('Sheet1');
  if (blank && blank.getLastRow() === 0 && ss.getSheets().length > 1) ss.deleteSheet(blank);
  // The key every pass is signed with, made now, not by the first sign-ups: two at once could each
  // write one, and a pass signed with the key written first would not open the door.
  passKey();
  SpreadsheetApp.flush();
  return report;
}
