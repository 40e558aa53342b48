/**
 * The functions Apps Script calls, and nothing else: web app, menu, simple and installed triggers.
 * The build turns each export into a top-level function declaration in dist/Code.js.
 */
import { handleGet, handlePost } from './lanes/web';
import { drainOutbox } from './messenger/send';
import { setUpSpreadsheet } from './sheets/setup';
import { runKeeper, webAppUrl } from './sheets/transaction';

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
  const tx = runKeeper([]);
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
  const tx = runKeeper([]);
  const text = tx.ok
    ? `Confirmed ${tx.decision.counts.confirmed}, waitlisted ${tx.decision.counts.waitlisted}, seats left ${tx.decision.counts.seatsLeft}.`
    : tx.message;
  notify(text);
  return text;
}

/** Time trigger (every 10 minutes) and menu: send what the Outbox still owes. */
export function sendQueuedEmails() {
  return drainOutbox();
}

function notify(text: string): void {
  try {
    SpreadsheetApp.getActiveSpreadsheet().toast(text, 'RSVP', 10);
  } catch {
    // No spreadsheet UI in this context (trigger or web app): the sheet itself shows the state.
  }
}

/** Simple trigger: a host edit of Settings or Guests is recounted at once (capacity, hand edits). */
export function onEdit(e: GoogleAppsScript.Events.SheetsOnEdit) {
  const name = e?.range?.getSheet().getName();
  if (name === 'Settings' || name === 'Guests') runKeeper([]);
}
