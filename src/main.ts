/**
 * The functions Apps Script calls, and nothing else: web app, menu, simple and installed triggers.
 * The build turns each export into a top-level function declaration in dist/Code.js.
 */
import { handleGet, handlePost } from './lanes/web';
import { drainOutbox, keep } from './messenger/send';
import { SHEETS } from './sheets/layout';
import { setUpSpreadsheet } from './sheets/setup';
import { webAppUrl } from './sheets/transaction';

export function doGet(e: GoogleAppsScript.Events.DoGet) {
  return handleGet(e);
}

export function doPost(e: GoogleAppsScript.Events.DoPost) {
  return handlePost(e);
}

export function onOpen() {
  SpreadsheetApp.getUi()
    .createMenu('RSVP')
    .addItem('Set up this sheet', 'setUp')
    .addItem('Recount', 'recount')
    .addSeparator()
    .addItem('Send queued emails now', 'sendQueuedEmails')
    .addToUi();
}

/** Menu: create or repair the sheets, then recount. */
export function setUp(): string {
  const report = setUpSpreadsheet();
  const tx = keep();
  const url = webAppUrl();
  const lines = [
    report.length ? `Set up: ${report.join('; ')}.` : 'Everything was already set up; nothing changed.',
    tx.ok ? '' : tx.message + (tx.reason === 'closed' ? ` ${tx.problems.join(' ')}` : ''),
    url
      ? `Sign-up form: ${url}`
      : 'Next: Deploy → New deployment → Web app (execute as me, anyone) to get the form link.',
  ].filter(Boolean);
  notify(lines.join('\n'));
  return lines.join('\n');
}

/** Menu: recompute the summary from the rows (every transaction does this too). */
export function recount(): string {
  const tx = keep();
  const text = tx.ok
    ? `Confirmed ${tx.decision.counts.confirmed}, waitlisted ${tx.decision.counts.waitlisted}, seats left ${tx.decision.counts.seatsLeft}.`
    : tx.message;
  notify(text);
  return text;
}

/**
 * Time trigger (every 10 minutes) and menu: a keeper transaction (offers past their deadline end
 * and the seat goes to the next person, even when nobody else touches the list), then send what
 * the Outbox still owes.
 */
export function sendQueuedEmails() {
  keep();
  return drainOutbox();
}

function notify(text: string): void {
  try {
    SpreadsheetApp.getActiveSpreadsheet().toast(text, 'RSVP', 10);
  } catch {
    // No spreadsheet UI in this context (trigger or web app): the sheet itself shows the state.
  }
}

/**
 * Installed edit trigger (set up by setUp; a simple onEdit could not send the offers a capacity
 * raise makes): a host edit of Settings or Guests runs the keeper at once, which recounts,
 * renumbers, and offers free seats to the waitlist.
 */
export function onSheetEdit(e: GoogleAppsScript.Events.SheetsOnEdit) {
  const name = e?.range?.getSheet().getName();
  if (name === SHEETS.settings || name === SHEETS.guests) keep();
}
