/**
 * The functions Apps Script calls, and nothing else: web app, menu, simple and installed triggers.
 * The build turns each export into a top-level function declaration in dist/Code.js.
 */
import { POLL_FUNCTION, pollReplies as poll } from './lanes/gmail';
import { runImport } from './lanes/import';
import { sendInvites as invite } from './lanes/invites';
import { handleGet, handlePost } from './lanes/web';
import { drainOutbox, keep, serveLeftovers } from './messenger/send';
import { emailKey } from './core/email';
import { GUEST_COL, GUEST_HEADERS, SHEETS } from './sheets/layout';
import { readSettings } from './sheets/settings-sheet';
import { setUpSpreadsheet } from './sheets/setup';
import { openSheets, webAppUrl } from './sheets/transaction';
import { replyAddress } from './messenger/reply-address';

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
    .addItem('Import as pending invites', 'importPending')
    .addItem('Import as pre-confirmed', 'importConfirmed')
    .addItem('Send invites', 'sendInvites')
    .addItem('Recount and repair', 'recount')
    .addSeparator()
    .addItem('Turn on email replies', 'turnOnEmailReplies')
    .addItem('Check replies now', 'checkRepliesNow')
    .addItem('Turn off email replies', 'turnOffEmailReplies')
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

/** Menu: the Import sheet's rows become invited guests (no seat held until they confirm). */
export function importPending(): string {
  return importAs('invite');
}

/** Menu: the Import sheet's rows get seats now, in list order; past the cap, the waitlist. */
export function importConfirmed(): string {
  return importAs('seat');
}

function importAs(mode: 'invite' | 'seat'): string {
  const r = runImport(mode);
  notify(r.message);
  return r.message;
}

/**
 * Menu: recompute counts and positions from the rows and report what changed (every transaction
 * does the same; this one says so).
 */
export function recount(): string {
  const tx = keep();
  const c = tx.ok ? tx.decision.counts : null;
  const text =
    tx.ok && c
      ? `Confirmed ${c.confirmed}, offered ${c.offered}, waitlisted ${c.waitlisted}, seats left ${c.seatsLeft}. ` +
        (tx.decision.updated.length
          ? `Repaired ${tx.decision.updated.length} row(s): ${tx.decision.updated.map((g) => g.email).join(', ')}.`
          : 'Nothing needed repair.')
      : tx.ok
        ? ''
        : tx.message;
  notify(text);
  return text;
}

/**
 * Time trigger (every 10 minutes) and menu: a keeper transaction (offers past their deadline end
 * and the seat goes to the next person, even when nobody else touches the list), seat requests
 * whose requesters died or gave up after a transaction took them, then what the Outbox still owes.
 */
export function sendQueuedEmails() {
  keep();
  serveLeftovers();
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
  const range = e?.range;
  const sheet = range?.getSheet();
  const name = sheet?.getName();
  if (name !== SHEETS.settings && name !== SHEETS.guests) return;
  const statusCell =
    name === SHEETS.guests &&
    range.getNumRows() === 1 &&
    range.getNumColumns() === 1 &&
    range.getColumn() === GUEST_COL.Status + 1;
  if (statusCell && range.getRow() > 1) {
    // The edited row's identity: its token (one mailbox may have an old cancelled row and a live one).
    const row = sheet.getRange(range.getRow(), 1, 1, GUEST_HEADERS.length).getValues()[0];
    const email = emailKey(String(row[GUEST_COL.Email] ?? ''));
    const token = String(row[GUEST_COL.Token] ?? '').trim();
    const to = String(e.value ?? '')
      .trim()
      .toLowerCase();
    keep([
      {
        action: 'host-edit',
        email,
        token,
        from: String(e.oldValue ?? '')
          .trim()
          .toLowerCase(),
        to,
      },
    ]);
  } else {
    keep();
  }
}

/** Time trigger (installed by "Turn on email replies"): replies to the invite become seat requests. */
export function pollReplies() {
  return poll();
}

/** Menu: look for replies now and say what happened. */
export function checkRepliesNow(): string {
  const r = poll();
  notify(r.message);
  return r.message;
}

/** Menu: one time trigger for the reply poll, at the interval in Settings (replaced if it changed). */
export function turnOnEmailReplies(): string {
  const sheets = openSheets();
  if (!sheets) return say('The sheet is not set up yet: run RSVP → Set up this sheet.');
  const settings = readSettings(sheets.settings, sheets.timeZone).result;
  if (!settings.ok) return say(`Fix Settings first: ${settings.problems.join(' ')}`);
  const address = replyAddress(settings.settings);
  if (!address) return say('Fill in Settings → Reply-to address first.');
  const minutes = settings.settings.replyCheckMinutes;
  removePollTriggers();
  ScriptApp.newTrigger(POLL_FUNCTION).timeBased().everyMinutes(minutes).create();
  return say(
    `Email replies are on: every ${minutes} minute(s), replies to ${address} become RSVPs. ` +
      'Invites and confirmations carry that Reply-To. Each reply is listed in the Replies sheet.',
  );
}

/** Menu: stop polling (replies already handled stay as they are). */
export function turnOffEmailReplies(): string {
  const removed = removePollTriggers();
  return say(removed ? 'Email replies are off.' : 'Email replies were already off.');
}

function removePollTriggers(): number {
  const mine = ScriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === POLL_FUNCTION);
  mine.forEach((t) => ScriptApp.deleteTrigger(t));
  return mine.length;
}

function say(text: string): string {
  notify(text);
  return text;
}

/** Menu: invite the Import sheet's new rows, and every invited guest who has not had an invite yet. */
export function sendInvites(): string {
  return say(invite().message);
}
