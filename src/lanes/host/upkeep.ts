/**
 * The host's upkeep: setting the sheet up, recounting, and the 10-minute trigger that keeps the list
 * moving (offers past their deadline end, the seat goes to the next person) and sends what is owed.
 */
import { countsSentence } from '../../core/model';
import { keeper } from '../../keeper/keeper';
import { deliver, deliverOwned, drainOutbox, mailOutlook } from '../../messenger/send';
import { setUpSpreadsheet } from '../../sheets/setup';
import { publicUrl } from '../../sheets/public-url';
import { IndexTable } from '../../sheets/index-table';
import { Workbook, toast as say } from '../../sheets/workbook';
import { flagQuestions, flagSettings } from './edits';
import { refreshPartyDetails } from './privacy';
import { syncDoorList } from './door-list';

const DRAIN_FUNCTION = 'sendQueuedEmails';
const EDIT_FUNCTION = 'onSheetEdit';
const CHANGE_FUNCTION = 'onSheetChange';

/** The drain every 10 minutes and the installed edit trigger, each once. */
function ensureTriggers(report: string[]): void {
  const have = new Set(ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction()));
  if (!have.has(DRAIN_FUNCTION)) {
    ScriptApp.newTrigger(DRAIN_FUNCTION).timeBased().everyMinutes(10).create();
    report.push('turned on sending of queued emails (and expiring offers) every 10 minutes');
  }
  if (!have.has(EDIT_FUNCTION)) {
    ScriptApp.newTrigger(EDIT_FUNCTION).forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create();
    report.push('turned on recounting when you edit Settings or Guests');
  }
  // Deleting a row fires no edit trigger, only a change trigger: without it the 10-minute run notices.
  if (!have.has(CHANGE_FUNCTION)) {
    ScriptApp.newTrigger(CHANGE_FUNCTION).forSpreadsheet(SpreadsheetApp.getActive()).onChange().create();
    report.push('turned on logging rows you delete from Guests');
  }
}

/** Menu: create or repair the sheets and the triggers, then recount. */
export function setUp(): string {
  const report = setUpSpreadsheet();
  ensureTriggers(report);
  const tx = keeper.recount(mailOutlook());
  const book = Workbook.open();
  if (book) {
    flagSettings(book, false);
    flagQuestions(book, false);
  }
  if (tx.ok) deliverOwned(tx);
  const url = publicUrl();
  const lines = [
    report.length ? `Set up: ${report.join('; ')}.` : 'Everything was already set up; nothing changed.',
    tx.ok ? '' : tx.message + (tx.reason === 'closed' ? ` ${tx.problems.join(' ')}` : ''),
    url
      ? `Sign-up form: ${url}`
      : 'Next: Deploy → New deployment → Web app (execute as me, anyone) to get the form link.',
  ].filter(Boolean);
  return say(lines.join('\n'));
}

/**
 * Menu: recompute counts and positions from the rows and report what changed (every transaction
 * does the same; this one says so).
 */
export function recount(): string {
  const tx = keeper.recount(mailOutlook());
  const book = Workbook.open();
  if (book) {
    flagSettings(book, false);
    flagQuestions(book, false);
  }
  if (!tx.ok) return say(tx.message);
  deliverOwned(tx);
  const c = tx.decision.counts;
  const marked = tx.decision.log.filter((l) => l.to === 'duplicate');
  const repaired = tx.decision.updated.filter(
    (g) => !marked.some((l) => l.email === g.email && g.status === 'duplicate'),
  );
  const found = [
    marked.length
      ? `Marked ${marked.length} duplicate row(s), not counted: ${marked.map((l) => l.email).join(', ')}.`
      : '',
    repaired.length ? `Repaired ${repaired.length} row(s): ${repaired.map((g) => g.email).join(', ')}.` : '',
  ].filter(Boolean);
  return say(
    `${countsSentence(c).replace(/^./, (x) => x.toUpperCase())}. ` +
      (found.length ? found.join(' ') : 'Nothing needed repair.'),
  );
}

/** The Index's formulas made or put back (a sheet set up before it existed, a host who typed over one). */
function ensureIndex(): void {
  const book = Workbook.open();
  if (!book) return;
  try {
    IndexTable.ensure(book.spreadsheet);
  } catch (e) {
    // Without it every transaction reads every row: slower, never wrong.
    console.error(`Index not made: ${String(e)}`);
  }
}

/**
 * Time trigger (every 10 minutes) and menu: a recount (offers past their deadline end and the seat
 * goes to the next person, even when nobody else touches the list), seat requests whose requesters
 * died or gave up after a transaction took them, then what the Outbox still owes.
 */
export function sendQueuedEmails(): ReturnType<typeof drainOutbox> {
  // One budget for the whole run (an execution has 6 minutes): what does not fit waits for the next.
  const until = Date.now() + 4 * 60e3;
  ensureIndex();
  const tx = keeper.recount(mailOutlook());
  if (tx.ok) deliverOwned(tx, until);
  const left = keeper.serveLeftovers();
  if (left) deliver(left.entries, left.guests, left.settings, left.url, until);
  const drained = drainOutbox(500, until);
  // Last, and only with time left: a view for the host, never a guest's seat or email.
  const book = Workbook.open();
  if (book && Date.now() < until) {
    try {
      // Ticks made on the door list offline, then the Party details view.
      syncDoorList(book);
      refreshPartyDetails(book);
    } catch (e) {
      console.error(`Door list or Party details not done: ${String(e)}`);
    }
  }
  return drained;
}
