/**
 * RSVP → Check this deployment. Runs on the host's real sheet and Gmail and writes the Checks sheet:
 * what only a real account can settle (see README, "Check a real deployment"). The first execution
 * checks what it can at once and writes, under the script lock, one setValues of every row plus a
 * token in Script Properties; it sends one test email to the reply address and starts a second
 * execution with a one-minute time trigger. That one reads the token back (sheet and properties),
 * runs the reply search in both forms on the test email, answers it with GmailMessage.reply to see
 * In-Reply-To, measures what a poll's message reads cost, then cleans up (the test thread labelled
 * RSVP/check and archived, its trigger and token deleted). Where a check fails and the product can
 * adapt safely it does (Script Properties the reply lane reads), and the row says so.
 * Cost: 2 email recipients, ~20 Gmail operations (at most ~50), 1 trigger for a minute.
 */
import {
  ADAPT,
  CHECKS,
  CheckRow,
  FetchSeen,
  InstalledTrigger,
  SearchSeen,
  TRIGGER_FUNCTIONS,
  authResultsVerdict,
  chooseSearchForm,
  gmailOpsVerdict,
  inReplyToVerdict,
  lockVerdict,
  mailQuotaVerdict,
  mergeRows,
  pending,
  readBackVerdict,
  scopesVerdict,
  searchVerdict,
  triggerRunsVerdict,
  triggersVerdict,
  webAppVerdict,
} from '../../core/checks';
import { rawHeaders } from '../../core/reply/auth';
import { fromOwnAddress } from '../../core/reply/automation';
import { GETTERS_PER_MESSAGE, SearchForm, afterTerm, isSearchForm } from '../../core/reply/search';
import { ownerAddress, replyAddress } from '../../messenger/reply-address';
import { publicUrl } from '../../sheets/public-url';
import { NOT_SET_UP_MESSAGE, Workbook, toast as say } from '../../sheets/workbook';
import { lastRun } from './runs';

type Message = GoogleAppsScript.Gmail.GmailMessage;

/** Script property: the running check's token and test email, for the second execution. */
const RUN_KEY = 'rsvp.check.run';
const CHECK_LABEL = 'RSVP/check';
const FOLLOW_UP_MS = 60e3;
/** The reply lane's search margin (email-reply/poll.ts): what an idle poll re-reads. */
const POLL_MARGIN_MS = 30 * 60e3;
/** Below this many emails left today, no test email is sent: the quota is the guests'. */
const KEEP_FOR_GUESTS = 3;

interface RunState {
  nonce: string;
  at: number;
  address: string;
  subject: string;
  interval: number;
}

const props = () => PropertiesService.getScriptProperties();
const errText = (e: unknown) => String((e as Error)?.message ?? e).slice(0, 300);

function webAppRow(): CheckRow {
  const url = publicUrl();
  if (!url) return webAppVerdict(null, null);
  let seen: FetchSeen;
  try {
    const r = UrlFetchApp.fetch(`${url}?format=json`, { muteHttpExceptions: true, followRedirects: true });
    seen = { code: r.getResponseCode(), body: r.getContentText() };
  } catch (e) {
    seen = { error: errText(e) };
  }
  return webAppVerdict(url, seen);
}

function triggerRows(interval: number): CheckRow[] {
  const all = ScriptApp.getProjectTriggers();
  const installed: InstalledTrigger[] = all.map((t) => ({
    id: t.getUniqueId(),
    fn: t.getHandlerFunction(),
    type: String(t.getEventType()),
  }));
  const { row, remove } = triggersVerdict(installed);
  for (const t of all) if (remove.includes(t.getUniqueId())) ScriptApp.deleteTrigger(t);
  const has = (fn: string) => installed.some((t) => t.fn === fn);
  const expected = [
    { fn: TRIGGER_FUNCTIONS.drain, label: 'sending queued emails', everyMinutes: 10 },
    ...(has(TRIGGER_FUNCTIONS.poll)
      ? [{ fn: TRIGGER_FUNCTIONS.poll, label: 'email replies', everyMinutes: interval }]
      : []),
  ].filter((t) => has(t.fn));
  const records = Object.fromEntries(expected.map((t) => [t.fn, lastRun(t.fn)]));
  return [row, triggerRunsVerdict(expected, records, Date.now())];
}

function scopesRow(): CheckRow {
  const info = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL);
  let granted: string[] | null = null;
  try {
    // Newer than the typings: the scopes the host ticked (granular consent).
    const list = (info as unknown as { getAuthorizedScopes?: () => string[] | null }).getAuthorizedScopes?.();
    granted = list ? [...list] : null;
  } catch {
    granted = null;
  }
  return scopesVerdict(String(info.getAuthorizationStatus()), granted, info.getAuthorizationUrl());
}

/** Received mail's header blocks (up to 5 messages from others): whose Authentication-Results is on top. */
function authRow(own: string[]): { row: CheckRow; trust: boolean | null } {
  const blocks: Array<Array<[string, string]>> = [];
  try {
    for (const t of GmailApp.search('in:inbox newer_than:30d', 0, 10)) {
      const m = t.getMessages().find((x) => !fromOwnAddress(x.getFrom(), own));
      if (m) blocks.push(rawHeaders(m.getRawContent()));
      if (blocks.length >= 5) break;
    }
  } catch (e) {
    return { row: { ...authResultsVerdict([]).row, observed: errText(e) }, trust: null };
  }
  return authResultsVerdict(blocks);
}

/** Menu: run every check; the ones that need a second execution are pending until it runs. */
export function checkDeployment(): string {
  const book = Workbook.open();
  if (!book) return say(NOT_SET_UP_MESSAGE);
  const started = new Date();
  const snap = book.settings.read().result;
  const address = snap.ok ? replyAddress(snap.settings) : '';
  const interval = Math.max(
    snap.ok ? snap.settings.replyCheckMinutes : 5,
    Number(props().getProperty(ADAPT.minMinutes)) || 0,
  );
  // A follow-up left from an earlier run (Google keeps fired one-shot triggers): this run replaces it.
  for (const t of ScriptApp.getProjectTriggers())
    if (t.getHandlerFunction() === TRIGGER_FUNCTIONS.followUp) ScriptApp.deleteTrigger(t);

  const rows: CheckRow[] = [webAppRow(), ...triggerRows(interval), scopesRow()];
  const queued = book.outbox.entries().filter((e) => e.status === 'queued').length;
  let remaining = 0;
  try {
    remaining = MailApp.getRemainingDailyQuota();
    rows.push(mailQuotaVerdict(remaining, queued));
  } catch (e) {
    rows.push({
      check: CHECKS.mailQuota,
      result: 'could not check',
      observed: errText(e),
      todo: 'See the Permissions row.',
      when: started,
    });
  }
  const own = [ownerAddress(), address].filter(Boolean);
  const auth = authRow(own);
  rows.push(auth.row);
  if (auth.trust === false) props().setProperty(ADAPT.trustAuth, 'no');
  if (auth.trust === true) props().deleteProperty(ADAPT.trustAuth);

  const nonce = `chk${Utilities.getUuid().replace(/-/g, '').slice(0, 12)}`;
  const subject = `RSVP deployment check ${nonce}`;
  const canMail = !!address && remaining >= KEEP_FOR_GUESTS;
  const gmailRows = [CHECKS.searchEpoch, CHECKS.searchDate, CHECKS.inReplyTo, CHECKS.gmailOps];
  let sendError = '';
  if (canMail) {
    try {
      GmailApp.sendEmail(
        address,
        subject,
        'A test from RSVP → Check this deployment. It is labelled RSVP/check and archived when the check ends.',
      );
    } catch (e) {
      sendError = errText(e);
    }
  }
  if (canMail && !sendError) {
    for (const c of gmailRows) rows.push(pending(c, `test email sent to ${address}`, started));
  } else {
    const why =
      sendError ||
      (!address
        ? 'no reply address'
        : remaining
          ? `only ${remaining} email(s) left today: kept for guests`
          : 'no email can be sent now (see the quota and permissions rows)');
    for (const c of gmailRows)
      rows.push({
        check: c,
        result: 'could not check',
        observed: why,
        todo: 'Run the check again tomorrow.',
        when: started,
      });
  }
  rows.push(pending(CHECKS.readBack, `token ${nonce} written`, started));

  // The lock: taken, one setValues of every row, flushed, released; the token in properties too.
  const lock = LockService.getScriptLock();
  const t0 = Date.now();
  let got = false;
  let error: string | undefined;
  let heldAfterTake = false;
  try {
    got = lock.tryLock(10000);
    heldAfterTake = got && lock.hasLock();
  } catch (e) {
    error = errText(e);
  }
  const waitedMs = Date.now() - t0;
  const state: RunState = {
    nonce,
    at: started.getTime(),
    address: canMail ? address : '',
    subject,
    interval,
  };
  const table = book.checks();
  try {
    const all = mergeRows([], rows);
    table.write(
      mergeRows(all, [lockVerdict({ got, waitedMs, heldAfterTake, heldAfterRelease: got, error })]),
      started,
    );
    book.flush();
    props().setProperty(RUN_KEY, JSON.stringify(state));
  } finally {
    if (got) lock.releaseLock();
  }
  const lockRow = lockVerdict({ got, waitedMs, heldAfterTake, heldAfterRelease: lock.hasLock(), error });
  table.write(mergeRows(table.rows(), [lockRow]), started);
  ScriptApp.newTrigger(TRIGGER_FUNCTIONS.followUp).timeBased().after(FOLLOW_UP_MS).create();
  const failed = mergeRows(table.rows(), []).filter((r) => r.result === 'fail').length;
  return say(
    `Checks written to the Checks sheet: ${failed} failed so far; ${state.address ? 5 : 1} finish in about a minute.`,
  );
}

/** Gmail search for the test email in one form: found after a time before it, not after a time past it. */
function searchBoth(state: RunState, form: SearchForm): { seen: SearchSeen; message: Message | null } {
  const q = (since: number) => `to:${state.address} ${afterTerm(since, form)} ${state.nonce}`;
  const before = GmailApp.search(q(state.at - 10 * 60e3), 0, 5);
  // Past the test email: a day on for dates (they are days), an hour for seconds.
  const after = GmailApp.search(q(state.at + (form === 'date' ? 2 * 86400e3 : 3600e3)), 0, 5);
  const message = before.length ? before[0].getMessages()[0] : null;
  return { seen: { found: before.length > 0, bounded: after.length === 0 }, message };
}

/** What a poll's reads of one message cost: the getters' average, and what an idle poll re-reads. */
function gmailCost(m: Message, state: RunState) {
  const t0 = Date.now();
  const n = 10;
  for (let i = 0; i < n; i++) m.getHeader(i % 2 ? 'Auto-Submitted' : 'Precedence');
  const getterMs = (Date.now() - t0) / n;
  const threads = GmailApp.search(
    `to:${state.address} ${afterTerm(Date.now() - POLL_MARGIN_MS, 'epoch')}`,
    0,
    50,
  );
  let messages = 0;
  for (const t of threads.slice(0, 10)) messages += t.getMessageCount();
  if (threads.length > 10) messages = Math.round((messages / 10) * threads.length);
  return {
    getterMs,
    gettersPerMessage: GETTERS_PER_MESSAGE,
    threads: threads.length,
    messages,
    interval: state.interval,
  };
}

/** The reply poll's trigger at a slower interval (only while email replies are on). */
function slowPoll(minutes: number): void {
  const polls = ScriptApp.getProjectTriggers().filter(
    (t) => t.getHandlerFunction() === TRIGGER_FUNCTIONS.poll,
  );
  if (!polls.length) return;
  polls.forEach((t) => ScriptApp.deleteTrigger(t));
  ScriptApp.newTrigger(TRIGGER_FUNCTIONS.poll).timeBased().everyMinutes(minutes).create();
}

/** The second execution (a one-minute time trigger): finishes the pending checks, then cleans up. */
export function checkDeploymentFollowUp(): string {
  for (const t of ScriptApp.getProjectTriggers())
    if (t.getHandlerFunction() === TRIGGER_FUNCTIONS.followUp) ScriptApp.deleteTrigger(t);
  const book = Workbook.open();
  if (!book) return NOT_SET_UP_MESSAGE;
  const table = book.checks();
  const raw = props().getProperty(RUN_KEY);
  const before = table.rows();
  const now = new Date();
  let state: RunState | null = null;
  try {
    state = raw ? (JSON.parse(raw) as RunState) : null;
  } catch {
    state = null;
  }
  const pendingRow = before.find((r) => r.check === CHECKS.readBack);
  const nonce = state?.nonce ?? /token (\S+)/.exec(pendingRow?.observed ?? '')?.[1] ?? '';
  const fresh: CheckRow[] = [
    { ...readBackVerdict(nonce, state?.nonce ?? null, pendingRow ?? null), when: now },
  ];
  props().deleteProperty(RUN_KEY);
  if (state?.address) fresh.push(...gmailChecks(state).map((r) => ({ ...r, when: now })));
  table.write(mergeRows(before, fresh), now);
  return `Checks finished: ${fresh.map((r) => `${r.check}: ${r.result}`).join('; ')}`;
}

function gmailChecks(state: RunState): CheckRow[] {
  const rows: CheckRow[] = [];
  let thread: GoogleAppsScript.Gmail.GmailThread | null = null;
  try {
    const current = props().getProperty(ADAPT.searchForm);
    const epoch = searchBoth(state, 'epoch');
    const date = searchBoth(state, 'date');
    const chosen = chooseSearchForm(epoch.seen, date.seen, isSearchForm(current) ? current : 'epoch');
    if (chosen === 'epoch') props().deleteProperty(ADAPT.searchForm);
    else props().setProperty(ADAPT.searchForm, chosen);
    rows.push(searchVerdict('epoch', epoch.seen, chosen), searchVerdict('date', date.seen, chosen));
    const message = epoch.message ?? date.message;
    if (!message) {
      const why = 'the test email was not found';
      rows.push(
        {
          check: CHECKS.inReplyTo,
          result: 'could not check',
          observed: why,
          todo: 'Run the check again in a few minutes.',
          when: null,
        },
        {
          check: CHECKS.gmailOps,
          result: 'could not check',
          observed: why,
          todo: 'Run the check again in a few minutes.',
          when: null,
        },
      );
      return rows;
    }
    thread = message.getThread();
    const cost = gmailOpsVerdict(gmailCost(message, state));
    rows.push(cost.row);
    if (cost.minMinutes > state.interval) {
      props().setProperty(ADAPT.minMinutes, String(cost.minMinutes));
      slowPoll(cost.minMinutes);
    }
    message.reply('The reply half of RSVP → Check this deployment (labelled RSVP/check and archived).');
    const id = message.getHeader('Message-ID');
    const ours = GmailApp.getThreadById(thread.getId())?.getMessages() ?? [];
    const reply = ours.length > 1 ? ours[ours.length - 1] : null;
    rows.push(inReplyToVerdict(id, reply ? reply.getHeader('In-Reply-To') : null));
  } catch (e) {
    const seen = new Set(rows.map((r) => r.check));
    for (const c of [CHECKS.searchEpoch, CHECKS.searchDate, CHECKS.inReplyTo, CHECKS.gmailOps])
      if (!seen.has(c))
        rows.push({
          check: c,
          result: 'could not check',
          observed: errText(e),
          todo: 'Run the check again later.',
          when: null,
        });
  } finally {
    if (thread) {
      try {
        const label = GmailApp.getUserLabelByName(CHECK_LABEL) ?? GmailApp.createLabel(CHECK_LABEL);
        thread.addLabel(label);
        thread.moveToArchive();
      } catch {
        // Cosmetic: the test thread stays in the inbox.
      }
    }
  }
  return rows;
}

/** The Checks rows as plain data (the dashboard reads them through google.script.run: no Dates). */
export function checkResults(): Array<{
  check: string;
  result: string;
  observed: string;
  todo: string;
  when: string;
}> {
  const book = Workbook.open();
  if (!book) return [];
  return book
    .checks()
    .rows()
    .map((r) => ({
      check: r.check,
      result: r.result,
      observed: r.observed,
      todo: r.todo,
      when: r.when ? r.when.toISOString() : '',
    }));
}
