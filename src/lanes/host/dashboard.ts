/**
 * RSVP → Open dashboard: a sidebar with the event at a glance. Its data is read without the lock
 * (a dashboard must never slow a guest down); its buttons run the menu's actions.
 */
import { embedSnippet } from '../../core/embed';
import { questionFieldsHtml } from '../../core/question-fields';
import { qrSvg } from '../../core/qr';
import { sendTestConfirmation } from '../../messenger/mailer';
import { DrainCounts } from '../../messenger/send';
import { DashboardData, buildDashboard } from '../../core/dashboard';
import { Question } from '../../core/questions';
import { checkPublicLink } from '../../core/public-link';
import { publicUrl, publicUrls, setHostUrl } from '../../sheets/public-url';
import { NOT_SET_UP_MESSAGE, Workbook, toast } from '../../sheets/workbook';
import { DASHBOARD_ACTIONS } from './menu';
import { LOCK_WAIT_MS } from '../../keeper/keeper';
import { SHEETS } from '../../sheets/layout';
import { doorKey } from '../../sheets/door-keys';
import { sendQueuedEmails } from './upkeep';

/** Every trigger the sheet needs (Set up installs them); the reply poll is optional. */
const REQUIRED_TRIGGERS = [
  { fn: 'sendQueuedEmails', what: 'sending queued emails and expiring offers every 10 minutes' },
  { fn: 'onSheetEdit', what: 'following your edits of Settings and Guests' },
  { fn: 'onSheetChange', what: 'logging rows deleted from Guests' },
];

const LOG_ROWS = 8;
const REPLY_ROWS = 200;

export function openDashboard(): void {
  const html = HtmlService.createHtmlOutputFromFile('Dashboard').setTitle('RSVP dashboard');
  SpreadsheetApp.getUi().showSidebar(html);
}

/** The sidebar's data (called by google.script.run every refresh): plain JSON, no lock. */
export function dashboardData(): DashboardData | { error: string } {
  const book = Workbook.open();
  if (!book) return { error: NOT_SET_UP_MESSAGE };
  const snap = book.settings.read();
  const settings = snap.result;
  const tz = settings.settings.timeZone || book.timeZone;
  return buildDashboard({
    now: new Date(),
    settings,
    guests: book.guests.all(),
    outbox: book.outbox.entries(),
    summaryStatus: String(snap.summaryValues.Status ?? ''),
    replies: book.replies()?.recent(REPLY_ROWS) ?? [],
    log: book.log.recent(LOG_ROWS * 3),
    triggers: ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction()),
    requiredTriggers: REQUIRED_TRIGGERS,
    mailQuotaLeft: MailApp.getRemainingDailyQuota(),
    webAppUrl: publicUrl(),
    checks: book.existingChecks()?.rows() ?? [],
    format: (d) => Utilities.formatDate(d, tz, 'EEE d MMM, HH:mm'),
    actions: DASHBOARD_ACTIONS,
    size: sizeOf(book),
    answers: answersOf(book),
    arrived: book.guests.doorTable().map((d) => d.arrived),
  });
}

/** The questions and every row's answers, for the counts (nothing is read without questions). */
function answersOf(book: Workbook): { questions: Question[]; cells: Array<Record<string, string>> } {
  const questions = book.questions()?.read().questions ?? [];
  return { questions, cells: questions.length ? book.guests.answerTable() : [] };
}

/** The sizes the warnings need: one call per sheet for its grid and its last row (no lock). */
function sizeOf(book: Workbook) {
  const { cells, rows } = book.size();
  return { cells, guests: rows[SHEETS.guests] ?? 0, log: rows[SHEETS.log] ?? 0, lockWaitMs: LOCK_WAIT_MS };
}

/**
 * The host sets the form's link by hand (a deployment's /exec URL): every email and page is built
 * from it. Blank goes back to the link learned from the last visit to the form.
 */
export function setPublicLink(text: string): string {
  const checked = checkPublicLink(text);
  if (!checked.ok) return checked.message;
  setHostUrl(checked.url);
  const now = publicUrls();
  if (checked.url) return `The form's link is now ${checked.url}. Every email and page uses it.`;
  return now.learned
    ? `Back to the link learned from the form: ${now.learned}.`
    : 'Cleared. The link is learned the next time anyone opens the form (open it once yourself).';
}

/** A dashboard button: one of the menu's actions, by name (nothing else can be run this way). */
export function runDashboardAction(fn: string, run: (fn: string) => unknown): string {
  if (!DASHBOARD_ACTIONS.some((a) => a.fn === fn)) return `"${String(fn)}" is not an RSVP action.`;
  const out = run(fn);
  return sentenceOf(out);
}

/** What an action returned, as a sentence for the host. */
function sentenceOf(out: unknown): string {
  if (typeof out === 'string') return out;
  if (out && typeof out === 'object' && 'sent' in out) return drainSentence(out as DrainCounts);
  return 'Done.';
}

/** Menu: "Send queued emails now", and what it did (the dashboard's button says the same). */
export function sendQueuedEmailsNow(): string {
  return toast(drainSentence(sendQueuedEmails()));
}

/** What "Send queued emails now" did, in the same words on the menu and the dashboard. */
export function drainSentence(r: DrainCounts): string {
  return (
    `Emails: ${r.sent} sent` +
    (r.held ? `, ${r.held} held by quiet hours until ${r.heldUntil} (Settings)` : '') +
    (r.queued ? `, ${r.queued} still queued (the next run sends them)` : '') +
    (r.failed ? `, ${r.failed} failed (see the Outbox's Error column)` : '') +
    '.'
  );
}

export type ShareKit =
  | { ready: false; todo: string }
  | { ready: true; url: string; snippet: string; qrSvg: string; doorLink: string };

/** The door page's link: the form's link with the door key (every device at the door may share it). */
const doorLinkOf = (url: string, replace = false) => `${url}?action=door&k=${doorKey(replace)}`;

/** The dashboard's "New door link": the old one stops working at once (a lost phone, a volunteer gone). */
export function replaceDoorKey(): string {
  const url = publicUrl();
  if (!url) return DEPLOY_TODO;
  return `New door link: ${doorLinkOf(url, true)} (the old one no longer works).`;
}

export const DEPLOY_TODO =
  'Deploy as a web app: in Extensions → Apps Script, Deploy → New deployment → Web app (execute as me, who has access: anyone). Then open the form once, or paste its /exec link below.';

/**
 * The dashboard's first card: what is left to do until the form's public link is known; then the
 * link, the embed snippet and a QR code of the link for posters, drawn here (no outside service sees
 * the URL).
 */
export function shareKit(): ShareKit {
  const url = publicUrl();
  if (!url) return { ready: false, todo: DEPLOY_TODO };
  const client = HtmlService.createHtmlOutputFromFile('Client').getContent();
  const book = Workbook.open();
  return {
    ready: true,
    url,
    snippet: embedSnippet(
      url,
      client,
      questionFieldsHtml({
        questions: book?.questions()?.read().questions ?? [],
        largestParty: book?.settings.read().result.settings.largestParty ?? 1,
        idPrefix: 'rsvp-embed',
      }),
    ),
    qrSvg: qrSvg(url, 180, 'QR code of your sign-up form'),
    doorLink: doorLinkOf(url),
  };
}

/** "Send me a test sign-up": the confirmation email a guest would get, to the host; nothing counted. */
export function sendTestSignup(): string {
  const book = Workbook.open();
  if (!book) return toast(NOT_SET_UP_MESSAGE);
  const settings = book.settings.read().result;
  if (!settings.ok) return toast(`Fix Settings first (the cells in red): ${settings.problems.join(' ')}`);
  const url = publicUrl();
  if (!url) return toast(DEPLOY_TODO);
  return toast(sendTestConfirmation(settings.settings, url));
}
