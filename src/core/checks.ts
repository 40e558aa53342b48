/**
 * RSVP → Check this deployment: the verdict of each check, from what the lane observed on the host's
 * own account. Pure: the lane (lanes/checks) gathers the observations, these decide pass / fail /
 * could not check, what the Checks sheet says, and what the product changes when it safely can.
 */
import { SearchForm } from './reply/search';

export type CheckResult = 'pass' | 'fail' | 'could not check' | 'pending';

export interface CheckRow {
  check: string;
  result: CheckResult;
  observed: string;
  /** What the host should do (or what the product did about it). */
  todo: string;
  when: Date | null;
}

/** The checks, in the order of the Checks sheet. */
export const CHECKS = {
  webApp: 'Web app URL set and answering',
  triggers: 'Triggers installed, each once',
  triggerRuns: "Triggers' last runs",
  scopes: 'Permissions granted',
  lock: 'Script lock taken and released',
  readBack: 'A write flushed under the lock, read by a second execution',
  mailQuota: 'Email quota left today',
  searchEpoch: 'Reply search finds our test mail (after:<epoch seconds>)',
  searchDate: 'Reply search finds our test mail (after:yyyy/mm/dd)',
  inReplyTo: 'Our replies carry In-Reply-To',
  authResults: "Gmail's Authentication-Results is topmost",
  gmailOps: 'Gmail operations a poll spends',
} as const;
export const CHECK_ORDER: readonly string[] = Object.values(CHECKS);

/** Script Properties the product reads to adapt to what the checks found. */
export const ADAPT = {
  /** 'epoch' (default) or 'date': the `after:` form of the reply poll's Gmail search. */
  searchForm: 'rsvp.replies.searchForm',
  /** 'no': Gmail's Authentication-Results cannot be told from a sender's, so no reply cancels by itself. */
  trustAuth: 'rsvp.replies.trustAuth',
  /** The shortest reply-poll interval the Gmail quota allows (minutes). */
  minMinutes: 'rsvp.replies.minMinutes',
} as const;

/** The product's trigger functions (main.ts) and the check's own temporary one. */
export const TRIGGER_FUNCTIONS = {
  drain: 'sendQueuedEmails',
  edit: 'onSheetEdit',
  change: 'onSheetChange',
  poll: 'pollReplies',
  followUp: 'checkDeploymentFollowUp',
} as const;

/** The scopes appsscript.json asks for (a unit test keeps the two lists equal). */
export const REQUIRED_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/spreadsheets.currentonly',
  'https://mail.google.com/',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/script.scriptapp',
  'https://www.googleapis.com/auth/script.container.ui',
  'https://www.googleapis.com/auth/script.external_request',
];

const row = (check: string, result: CheckResult, observed: string, todo = '', when: Date | null = null) => ({
  check,
  result,
  observed,
  todo,
  when,
});

// ---- the web app --------------------------------------------------------------------------------

export interface FetchSeen {
  code?: number;
  body?: string;
  error?: string;
}

export function webAppVerdict(url: string | null, seen: FetchSeen | null): CheckRow {
  const name = CHECKS.webApp;
  if (!url)
    return row(
      name,
      'fail',
      'no web app URL',
      'Deploy → New deployment → Web app (execute as: me; who has access: anyone), then run this check again.',
    );
  if (/\/dev$/.test(url))
    return row(
      name,
      'fail',
      `${url} is the test URL: only you can open it`,
      'Share the /exec URL from Deploy → Manage deployments.',
    );
  if (!seen || seen.error)
    return row(name, 'fail', `${url}: ${seen?.error ?? 'no answer'}`, 'Open the URL in a private window.');
  let state: Record<string, unknown> | null = null;
  try {
    state = JSON.parse(seen.body ?? '') as Record<string, unknown>;
  } catch {
    state = null;
  }
  if (seen.code === 200 && state && typeof state === 'object' && 'open' in state)
    return row(name, 'pass', `${url} answered (${state.open ? 'registration open' : 'registration closed'})`);
  return row(
    name,
    'fail',
    `${url} answered HTTP ${seen.code} with ${state ? 'other data' : 'a page, not the form'}`,
    'Deploy → Manage deployments → edit: "Who has access" must be "Anyone"; then run this check again.',
  );
}

// ---- triggers -----------------------------------------------------------------------------------

export interface InstalledTrigger {
  id: string;
  fn: string;
  type: string;
}

/** Which triggers are duplicates (removed: one of each is enough), and the verdict. */
export function triggersVerdict(installed: readonly InstalledTrigger[]): {
  row: CheckRow;
  remove: string[];
} {
  const byFn = new Map<string, InstalledTrigger[]>();
  for (const t of installed) byFn.set(t.fn, [...(byFn.get(t.fn) ?? []), t]);
  const remove = [...byFn.entries()]
    .filter(([fn]) => fn !== TRIGGER_FUNCTIONS.followUp)
    .flatMap(([, ts]) => ts.slice(1).map((t) => t.id));
  const count = (fn: string) => byFn.get(fn)?.length ?? 0;
  const missing = [TRIGGER_FUNCTIONS.drain, TRIGGER_FUNCTIONS.edit, TRIGGER_FUNCTIONS.change].filter(
    (fn) => !count(fn),
  );
  const parts = [
    `sending queued emails: ${count(TRIGGER_FUNCTIONS.drain)}`,
    `edits: ${count(TRIGGER_FUNCTIONS.edit)}`,
    `deleted rows: ${count(TRIGGER_FUNCTIONS.change)}`,
    `email replies: ${count(TRIGGER_FUNCTIONS.poll) ? count(TRIGGER_FUNCTIONS.poll) : 'off'}`,
  ];
  const observed = parts.join('; ');
  if (missing.length)
    return {
      row: row(
        CHECKS.triggers,
        'fail',
        observed,
        'Run RSVP → Set up this sheet (it installs what is missing).',
      ),
      remove,
    };
  if (remove.length)
    return {
      row: row(
        CHECKS.triggers,
        'fail',
        observed,
        `Removed ${remove.length} duplicate trigger(s): each now runs once.`,
      ),
      remove,
    };
  return { row: row(CHECKS.triggers, 'pass', observed), remove };
}

/** What a trigger function records about its last run (Script Properties, lanes/checks/runs.ts). */
export interface RunRecord {
  start: number;
  end?: number;
  ok?: boolean;
  error?: string;
}

const ago = (ms: number) =>
  ms < 90e3 ? `${Math.round(ms / 1000)} s ago` : `${Math.round(ms / 60e3)} min ago`;

/**
 * Apps Script gives a script no history of its executions (the Executions page does), so each
 * trigger function records its own start and end: a run that never started (a disabled trigger,
 * authorization withdrawn, the day's trigger run time spent) shows only as a run that is late.
 */
export function triggerRunsVerdict(
  expected: ReadonlyArray<{ fn: string; label: string; everyMinutes: number }>,
  records: Record<string, RunRecord | null>,
  now: number,
): CheckRow {
  const notes: string[] = [];
  let fail = false;
  let unknown = false;
  for (const t of expected) {
    const r = records[t.fn];
    if (!r) {
      unknown = true;
      notes.push(`${t.label}: no run recorded yet`);
      continue;
    }
    if (r.end === undefined) {
      if (now - r.start > 6 * 60e3) {
        fail = true;
        notes.push(
          `${t.label}: the run started ${ago(now - r.start)} never finished (stopped at 6 minutes?)`,
        );
      } else notes.push(`${t.label}: running now (started ${ago(now - r.start)})`);
      continue;
    }
    if (!r.ok) {
      fail = true;
      notes.push(`${t.label}: the last run failed ${ago(now - r.end)}: ${r.error ?? 'unknown error'}`);
      continue;
    }
    const late = now - r.end > 3 * t.everyMinutes * 60e3 + 5 * 60e3;
    if (late) fail = true;
    notes.push(
      `${t.label}: last run ${ago(now - r.end)}, succeeded${late ? `; expected every ${t.everyMinutes} min` : ''}`,
    );
  }
  if (!expected.length) return row(CHECKS.triggerRuns, 'could not check', 'no time triggers installed');
  return row(
    CHECKS.triggerRuns,
    fail ? 'fail' : unknown ? 'could not check' : 'pass',
    notes.join('; '),
    fail
      ? 'Open Extensions → Apps Script → Executions for the error; a trigger that never starts may need RSVP → Set up this sheet again (authorization).'
      : unknown
        ? 'Runs are recorded from this version on: check again after the next run.'
        : '',
  );
}

// ---- permissions, lock, quota -------------------------------------------------------------------

export function scopesVerdict(
  status: string,
  granted: readonly string[] | null,
  authUrl: string | null,
): CheckRow {
  const missing = granted ? REQUIRED_SCOPES.filter((s) => !granted.includes(s)) : [];
  if (status === 'REQUIRED' || missing.length)
    return row(
      CHECKS.scopes,
      'fail',
      missing.length ? `not granted: ${missing.join(', ')}` : 'authorization required',
      `Run RSVP → Set up this sheet and tick every permission${authUrl ? ` (or open ${authUrl})` : ''}.`,
    );
  return row(
    CHECKS.scopes,
    'pass',
    granted ? `all ${REQUIRED_SCOPES.length} granted` : 'authorized (this runtime does not list the scopes)',
  );
}

export function lockVerdict(seen: {
  got: boolean;
  waitedMs: number;
  heldAfterTake: boolean;
  heldAfterRelease: boolean;
  error?: string;
}): CheckRow {
  if (seen.error) return row(CHECKS.lock, 'could not check', seen.error, 'Run the check again in a minute.');
  if (!seen.got)
    return row(
      CHECKS.lock,
      'could not check',
      `busy: not free within ${Math.round(seen.waitedMs / 1000)} s`,
      'Run the check again in a minute.',
    );
  const ok = seen.heldAfterTake && !seen.heldAfterRelease;
  return row(
    CHECKS.lock,
    ok ? 'pass' : 'fail',
    `taken in ${seen.waitedMs} ms; held: ${seen.heldAfterTake}; held after release: ${seen.heldAfterRelease}`,
    ok ? '' : 'Report this: the keeper depends on the script lock.',
  );
}

export function mailQuotaVerdict(remaining: number, queued: number): CheckRow {
  const observed = `${remaining} email(s) left today; ${queued} waiting in the Outbox`;
  if (remaining < queued || remaining === 0)
    return row(
      CHECKS.mailQuota,
      'fail',
      observed,
      'Nothing is lost: queued emails go out as the quota frees (24 hours after the first email of the day).',
    );
  return row(CHECKS.mailQuota, 'pass', observed);
}

// ---- the second execution -----------------------------------------------------------------------

export function readBackVerdict(
  nonce: string,
  property: string | null,
  sheet: { result: string; observed: string } | null,
): CheckRow {
  const propOk = property === nonce;
  const sheetOk = !!sheet && sheet.result === 'pending' && sheet.observed.includes(nonce);
  const observed =
    `Script Properties: ${propOk ? 'seen' : `not seen (${property ? 'another value' : 'missing'})`}; ` +
    `the row written by one setValues: ${sheetOk ? 'seen whole' : 'not seen whole'}`;
  return row(
    CHECKS.readBack,
    propOk && sheetOk ? 'pass' : 'fail',
    observed,
    propOk && sheetOk
      ? ''
      : 'Report this with the Observed text: the keeper depends on writes flushed under the lock being seen by the next execution.',
  );
}

// ---- Gmail --------------------------------------------------------------------------------------

/** One search form: it must find our test mail after a time before it, and not after a time past it. */
export interface SearchSeen {
  found: boolean;
  /** The same search with its `after:` past the test mail found nothing (the term is honoured). */
  bounded: boolean;
}

export const searchWorks = (s: SearchSeen) => s.found && s.bounded;

export function searchVerdict(form: SearchForm, s: SearchSeen, chosen: SearchForm): CheckRow {
  const name = form === 'epoch' ? CHECKS.searchEpoch : CHECKS.searchDate;
  const observed = !s.found
    ? 'found nothing'
    : s.bounded
      ? 'found it; with a later after: it is left out, as it should be'
      : 'found it, but also with a later after: (the term is ignored)';
  const using = chosen === form ? '. The reply check uses this form.' : '';
  if (searchWorks(s)) return row(name, 'pass', observed + using);
  return row(
    name,
    'fail',
    observed,
    chosen !== form
      ? `The reply check now uses after:${chosen === 'date' ? 'yyyy/mm/dd' : '<epoch seconds>'} instead.`
      : 'Neither form worked: mail to the reply address may not reach this Gmail yet (run the check again in a few minutes).',
  );
}

/** Epoch seconds when they work (exact); else dates; else keep what was in use. */
export function chooseSearchForm(epoch: SearchSeen, date: SearchSeen, current: SearchForm): SearchForm {
  if (searchWorks(epoch)) return 'epoch';
  if (searchWorks(date)) return 'date';
  return current;
}

export function inReplyToVerdict(messageId: string, inReplyTo: string | null): CheckRow {
  if (inReplyTo === null)
    return row(
      CHECKS.inReplyTo,
      'could not check',
      'our reply was not in the thread yet',
      'Run the check again in a few minutes.',
    );
  if (messageId && inReplyTo.trim() === messageId.trim())
    return row(CHECKS.inReplyTo, 'pass', `In-Reply-To: ${inReplyTo}`);
  return row(
    CHECKS.inReplyTo,
    'fail',
    inReplyTo ? `In-Reply-To is ${inReplyTo}, not ${messageId}` : 'no In-Reply-To on our reply',
    'Nothing to do. If a reply check dies after answering and before recording it, the guest may get that answer twice.',
  );
}

/**
 * Gmail adds its Authentication-Results on receipt; the reply lane trusts the first one stamped
 * mx.google.com. That is sound only if Gmail's is topmost: a message whose topmost one is another
 * server's (while Gmail's is below), or that carries two stamped mx.google.com, shows it is not.
 */
export function authResultsVerdict(messages: ReadonlyArray<ReadonlyArray<[string, string]>>): {
  row: CheckRow;
  trust: boolean | null;
} {
  let seen = 0;
  let bad = 0;
  const ids: string[] = [];
  for (const headers of messages) {
    const ar = headers
      .filter(([k]) => k.toLowerCase() === 'authentication-results')
      .map(([, v]) => authserv(v));
    if (!ar.length) continue;
    seen++;
    const gmail = ar.filter((id) => id === 'mx.google.com').length;
    if (ar[0] !== 'mx.google.com' || gmail > 1) {
      bad++;
      ids.push(ar.join(' > '));
    }
  }
  if (!seen)
    return {
      row: row(
        CHECKS.authResults,
        'could not check',
        'no received message with Authentication-Results in the inbox',
        'Run the check again after a guest has replied.',
      ),
      trust: null,
    };
  if (bad)
    return {
      row: row(
        CHECKS.authResults,
        'fail',
        `${bad} of ${seen} message(s) had another server's result on top: ${ids[0]}`,
        'A reply that says "cancel" no longer cancels by itself: the guest is emailed their cancel link instead.',
      ),
      trust: false,
    };
  return {
    row: row(CHECKS.authResults, 'pass', `mx.google.com topmost on ${seen} of ${seen} received message(s)`),
    trust: true,
  };
}

function authserv(value: string): string {
  return (value.split(';')[0] ?? '').trim().split(/\s+/)[0].toLowerCase();
}

/** Gmail's daily operations on a consumer account, and the share the reply poll may spend. */
export const GMAIL_OPS_PER_DAY = 20000;
const POLL_SHARE = 0.5;
export const POLL_INTERVALS = [1, 5, 10, 15, 30] as const;

/** A getter slower than this on average is a round trip to Gmail: counted as an operation. */
export const ROUND_TRIP_MS = 20;

export interface PollCost {
  /** Average cost of one message getter, measured. */
  getterMs: number;
  /** Getters the poll calls per message it reads (see email-reply/poll.ts). */
  gettersPerMessage: number;
  /** Threads and messages an idle poll re-reads (its search's margin). */
  threads: number;
  messages: number;
  /** The interval in use (minutes). */
  interval: number;
}

/** Gmail operations per poll and per day, and the shortest interval that keeps within half the quota. */
export function pollCost(c: PollCost): { perMessage: number; perPoll: number; minMinutes: number } {
  const getters = c.getterMs > ROUND_TRIP_MS;
  const perMessage = getters ? c.gettersPerMessage : 0;
  // A search, the aliases, a fetch per thread, then per message what the getters cost.
  const perPoll = 2 + c.threads + c.messages * perMessage;
  const budget = GMAIL_OPS_PER_DAY * POLL_SHARE;
  const fits = (m: number) => (1440 / m) * perPoll <= budget;
  const minMinutes = POLL_INTERVALS.find((m) => m >= c.interval && fits(m)) ?? 30;
  return { perMessage, perPoll, minMinutes };
}

export function gmailOpsVerdict(c: PollCost): { row: CheckRow; minMinutes: number } {
  const { perMessage, perPoll, minMinutes } = pollCost(c);
  const daily = Math.round((1440 / c.interval) * perPoll);
  const observed =
    `getters ${c.getterMs.toFixed(1)} ms each (${perMessage ? 'round trips: counted' : 'local reads: not counted'}, ` +
    `inferred from their cost: Gmail exposes no counter); ${perMessage} per message; ` +
    `an idle poll re-reads ${c.threads} thread(s): ${perPoll} operation(s), ~${daily} a day every ${c.interval} min`;
  if (minMinutes > c.interval)
    return {
      row: row(
        CHECKS.gmailOps,
        'fail',
        observed,
        `The reply check now runs every ${minMinutes} minutes, to stay within half of Gmail's ${GMAIL_OPS_PER_DAY} daily operations.`,
      ),
      minMinutes,
    };
  return { row: row(CHECKS.gmailOps, 'pass', observed), minMinutes };
}

/** The rows in the sheet's order, the new ones replacing old ones by name. */
export function mergeRows(old: readonly CheckRow[], fresh: readonly CheckRow[]): CheckRow[] {
  const by = new Map(old.map((r) => [r.check, r]));
  for (const r of fresh) by.set(r.check, r);
  const order = (c: string) => {
    const i = CHECK_ORDER.indexOf(c);
    return i < 0 ? CHECK_ORDER.length : i;
  };
  return [...by.values()].sort((a, b) => order(a.check) - order(b.check));
}

export const pending = (check: string, observed: string, when: Date): CheckRow =>
  row(
    check,
    'pending',
    observed,
    'A second execution finishes this check in about a minute; if it stays pending for 15 minutes, see the Triggers rows.',
    when,
  );
