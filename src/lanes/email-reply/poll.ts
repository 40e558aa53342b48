/**
 * The email reply lane: guests RSVP by replying to the invite. A time trigger (and the menu) searches the
 * host's Gmail for mail to the reply address, oldest first, and turns each new reply into the same seat
 * request the form runs: a batch of replies per keeper transaction.
 *
 * Exactly once: every reply looked at gets a row in the Replies sheet, written in the same flush as the
 * seat it caused, and a poll re-reads those ids inside the lock before deciding. A poll that dies before
 * its flush leaves nothing behind (the next poll does it all again); one that dies after it finds its
 * replies already handled. The document lock keeps two polls from doing the same work twice.
 */
import { mailboxKey } from '../../core/email';
import { Decision, KeeperRequest, LogEntry, rowForMailbox } from '../../core/keeper';
import { Guest } from '../../core/model';
import { BY_MAIL, OutboxIntent, StoredEntry, answeredMessage, isQuotaError } from '../../core/outbox';
import { ADAPT } from '../../core/checks';
import { rawHeaders, senderAuthenticated } from '../../core/reply/auth';
import { fromOwnAddress } from '../../core/reply/automation';
import { decideReply } from '../../core/reply/decide';
import { OwnText, joinOwnText, ownTextIndex } from '../../core/reply/own-text';
import { ReplyItem, ReplyResult, ReplyStatus, requestOf, resultOf } from '../../core/reply/plan';
import { parseSender } from '../../core/reply/sender';
import { isSearchForm, replySearchQuery } from '../../core/reply/search';
import { InboundMessage } from '../../core/reply/types';
import { EventSettings } from '../../core/settings';
import { oneLine } from '../../core/text';
import { LaneTransaction, NOT_SET_UP, keeper, releaseLock, tryLock, workLock } from '../../keeper/keeper';
import { ownerAddress, replyAddress } from '../../messenger/reply-address';
import { deliverOwned } from '../../messenger/send';
import { sentText } from '../../messenger/sent-text';
import { rowId } from '../../sheets/guests-table';
import { OutboxTable } from '../../sheets/outbox-table';
import { RepliesTable, ReplyRecord, Seen } from '../../sheets/replies-table';
import { Workbook } from '../../sheets/workbook';

type Thread = GoogleAppsScript.Gmail.GmailThread;
type Message = GoogleAppsScript.Gmail.GmailMessage;

export const POLL_FUNCTION = 'pollReplies';

export const REPLY_LABELS: Record<Exclude<ReplyStatus, 'retry'>, string> = {
  handled: 'RSVP/handled',
  review: 'RSVP/needs-review',
  ignored: 'RSVP/ignored',
};

/** Script property: replies older than this (less a margin) are all handled; the search starts there. */
const WATERMARK_KEY = 'rsvp.replies.since';
/**
 * Look back this far behind the watermark. Gmail indexes new mail with some delay, and sorts threads by
 * their newest message, ours included: a reply that arrived while we were answering an earlier one in
 * its thread sorts with our answer, which a dead poll's answer may only get from the drain up to ~26
 * minutes later (10-minute orphan age + 10-minute trigger + 6-minute poll). Handled replies inside the
 * margin are skipped by id, so it costs a re-read of recent threads, never a double.
 */
const MARGIN_MS = 30 * 60e3;
/** The first poll looks this far back (replies to invites sent before the lane was turned on). */
const FIRST_LOOKBACK_MS = 30 * 86400e3;
/** GmailApp.search's largest page. */
const PAGE = 500;
const MAX_THREADS = 10000;
/** Replies per keeper transaction. */
const BATCH = 100;
/** Of Apps Script's 6 minutes per execution: the rest is left for the last batch's emails and labels. */
export const POLL_BUDGET_MS = 4 * 60e3;
/** Snippet of the reply's own words kept in the Replies sheet for the host. */
const SAID_CHARS = 200;

/** The headers decideReply reads (getHeader per name: cheaper than the raw message). */
const HEADER_NAMES = [
  'Auto-Submitted',
  'X-Autoreply',
  'X-Autorespond',
  'Precedence',
  'List-Id',
  'List-Unsubscribe',
  'Return-Path',
  'Content-Type',
  'X-RSVP-Auto',
];

export interface PollReport {
  threads: number;
  replies: number;
  handled: number;
  review: number;
  ignored: number;
  retry: number;
  /** The conversations looked at, by what they held (they add up to `threads`, unless the poll stopped). */
  threadKinds: Record<ThreadRead['kind'], number>;
  /** More replies are waiting (time budget reached, or the keeper was busy): the next poll goes on. */
  more: boolean;
  message: string;
}

function readMessage(m: Message, from: string): InboundMessage {
  const headers: Record<string, string> = {};
  for (const name of HEADER_NAMES) {
    const v = m.getHeader(name);
    if (v) headers[name.toLowerCase()] = v;
  }
  return {
    id: m.getId(),
    from,
    replyTo: m.getReplyTo(),
    to: m.getTo(),
    subject: m.getSubject(),
    plainBody: m.getPlainBody(),
    htmlBody: m.getBody(),
    headers,
  };
}

/** Set when the deployment check found Gmail's own Authentication-Results is not topmost here. */
const UNTRUSTED_AUTH = {
  ok: false,
  why: "Gmail's Authentication-Results cannot be told from the sender's on this account (see the Checks sheet)",
};

/** Reads one guest's message into a ReplyItem (a failure to read it is the item's error). */
function itemOf(
  m: Message,
  fromRead: string | Error,
  thread: Thread,
  prior: Seen | undefined,
  own: string[],
  ownText: OwnText,
  trustAuth: boolean,
): ReplyItem {
  const id = m.getId();
  const tries = (prior?.tries ?? 0) + 1;
  try {
    const received = new Date(m.getDate().getTime());
    // Its From could not be read (in readThread): that failure is this item's error.
    if (fromRead instanceof Error) throw fromRead;
    const from = fromRead;
    const msg = readMessage(m, from);
    const decision = decideReply(msg, own, ownText);
    const sender = decision.sender;
    // Reply-To elsewhere: Gmail's reply would go there, not to the guest, so answer by plain email.
    const replyTo = msg.replyTo ? parseSender(msg.replyTo, '') : null;
    const item: ReplyItem = {
      id,
      threadId: thread.getId(),
      received,
      from: oneLine(from).slice(0, 300),
      subject: oneLine(msg.subject).slice(0, 300),
      decision,
      answerInThread: !msg.replyTo || (!!replyTo && replyTo.email === sender?.email),
      oursInThread: 0,
      tries,
    };
    // A cancel removes a guest: only on Gmail's word that the sender is who From says.
    if (decision.action === 'cancel' && sender)
      item.auth = trustAuth
        ? senderAuthenticated(rawHeaders(m.getRawContent()), sender.email)
        : UNTRUSTED_AUTH;
    return item;
  } catch (e) {
    if (isQuotaError(e)) throw e;
    return {
      id,
      threadId: thread.getId(),
      received: null,
      from: '',
      subject: '',
      decision: null,
      answerInThread: false,
      oursInThread: 0,
      error: String((e as Error)?.message ?? e).slice(0, 300),
      tries,
    };
  }
}

/** Every thread the query finds, oldest activity first (Gmail gives newest first), each once. */
function searchOldestFirst(query: string): Thread[] {
  const all: Thread[] = [];
  const ids = new Set<string>();
  for (let start = 0; start < MAX_THREADS; start += PAGE) {
    const page = GmailApp.search(query, start, PAGE);
    for (const t of page) {
      // A thread that got new mail between two pages moves to the top and shows up again.
      if (!ids.has(t.getId())) {
        ids.add(t.getId());
        all.push(t);
      }
    }
    if (page.length < PAGE) break;
  }
  return all.reverse();
}

interface ThreadRead {
  thread: Thread;
  /** What the thread held: new replies, only replies handled before, only our own mail, or unreadable. */
  kind: 'new' | 'done' | 'ours' | 'unreadable';
  items: ReplyItem[];
  /** The newest message date seen, or NaN when the thread could not be read at all. */
  last: number;
}

function readThread(
  thread: Thread,
  seen: Map<string, Seen>,
  own: string[],
  sent: () => OwnText,
  trustAuth: boolean,
): ThreadRead {
  let messages: Message[];
  try {
    messages = thread.getMessages();
  } catch (e) {
    if (isQuotaError(e)) throw e;
    console.error(`reading thread ${thread.getId()} failed: ${String(e)}`);
    return { thread, kind: 'unreadable', items: [], last: NaN };
  }
  const froms = messages.map((m) => {
    try {
      return m.getFrom();
    } catch (e) {
      if (isQuotaError(e)) throw e;
      return e instanceof Error ? e : new Error(String(e));
    }
  });
  const mine = froms.map((f) => typeof f === 'string' && fromOwnAddress(f, own));
  const todo = messages.map((m, k) => !mine[k] && !seen.get(m.getId())?.final);
  const items: ReplyItem[] = [];
  let last = 0;
  if (!todo.some(Boolean)) return { thread, kind: mine.every(Boolean) ? 'ours' : 'done', items, last };
  // What we wrote in this thread (an answer, a note typed by the host) is quoted history in a reply, as
  // much as the emails every guest gets (`sent`). Read only when the thread has a reply to decide.
  const ours: string[] = [];
  messages.forEach((m, k) => {
    if (!mine[k]) return;
    try {
      ours.push(m.getSubject(), m.getPlainBody());
    } catch (e) {
      // Not knowing one of our messages only weakens a defence: the templates' text still stands.
      if (isQuotaError(e)) throw e;
    }
  });
  const ownText = ours.length ? joinOwnText(sent(), ownTextIndex(ours)) : sent();
  messages.forEach((m, k) => {
    if (!todo[k]) return;
    const item = itemOf(m, froms[k], thread, seen.get(m.getId()), own, ownText, trustAuth);
    items.push(item);
    if (item.received) last = Math.max(last, item.received.getTime());
  });
  const oursCount = mine.filter(Boolean).length;
  for (const it of items) it.oursInThread = oursCount;
  return { thread, kind: 'new', items, last };
}

const IN_THREAD_KINDS = new Set(['confirmed', 'waitlisted', 'cancelled']);

/** At most one cancel-link email per guest in this long, however many unverified "cancel"s arrive. */
export const CANCEL_LINK_EVERY_MS = 24 * 3600e3;

interface OutboxSeen {
  /** Message id → the guest tokens answers to it were written for. */
  answered: Map<string, Set<string>>;
  /** Guest tokens sent (or owed) a cancel-link email within CANCEL_LINK_EVERY_MS. */
  linked: Set<string>;
}

/** What the Outbox already holds for the email lane, in one read. */
function readOutbox(outbox: OutboxTable, now: number): OutboxSeen {
  const seen: OutboxSeen = { answered: new Map(), linked: new Set() };
  for (const e of outbox.entries() as StoredEntry[]) {
    const id = answeredMessage(e.inReplyTo);
    if (id) {
      const tokens = seen.answered.get(id) ?? new Set<string>();
      tokens.add(e.token);
      seen.answered.set(id, tokens);
    }
    if (
      e.kind === 'cancel-link' &&
      e.status !== 'skipped' &&
      e.status !== 'failed' &&
      e.created &&
      now - e.created.getTime() < CANCEL_LINK_EVERY_MS
    )
      seen.linked.add(e.token);
  }
  return seen;
}

/**
 * The keeper transaction for one batch of replies. Inside the lock the Replies ids are read again, so a
 * reply another poll has handled since is dropped, not run twice.
 */
function laneTx(
  replies: RepliesTable,
  outbox: OutboxTable,
  batch: ReplyItem[],
  results: Map<string, ReplyResult>,
): LaneTransaction {
  let live: ReplyItem[] = [];
  let asked: Array<KeeperRequest | null> = [];
  let seen: OutboxSeen = { answered: new Map(), linked: new Set() };
  return {
    requests() {
      const fresh = replies.seen();
      seen = readOutbox(outbox, Date.now());
      live = batch.filter((it) => !fresh.get(it.id)?.final);
      asked = live.map(requestOf);
      return asked.filter((r): r is KeeperRequest => r !== null);
    },
    contribute(decision: Decision, guests: readonly Guest[]) {
      // Each sender's row as it is after this decision (matched by mailbox, as the keeper does).
      const latest = new Map<string, Guest>();
      for (const g of [...guests, ...decision.updated, ...decision.appended]) latest.set(rowId(g), g);
      const byMailbox = new Map<string, Guest[]>();
      for (const g of latest.values()) {
        if (!g.email) continue;
        const key = mailboxKey(g.email);
        byMailbox.set(key, [...(byMailbox.get(key) ?? []), g]);
      }
      const current = (email: string) => rowForMailbox(byMailbox.get(mailboxKey(email)) ?? [], email);
      const answering = new Map<string, string>();
      // Our messages this batch adds to each thread: the loop guard counts them as if already there.
      const added = new Map<string, number>();
      const extra: OutboxIntent[] = [];
      const rows: ReplyRecord[] = [];
      const log: LogEntry[] = [];
      let k = 0;
      live.forEach((it, j) => {
        const outcome = asked[j] ? decision.outcomes[k++] : undefined;
        const email = it.decision?.sender?.email ?? '';
        const guest = outcome?.guest ?? (email ? current(email) : undefined);
        const res = resultOf(it, outcome, guest, {
          ours: it.oursInThread + (added.get(it.threadId) ?? 0),
          cancelLinkSent: !!guest?.token && seen.linked.has(guest.token),
        });
        if (res.answer === 'cancel-link' && guest?.token) seen.linked.add(guest.token);
        const changed = !!outcome && outcome.from !== outcome.guest.status;
        if (res.answer || changed) added.set(it.threadId, (added.get(it.threadId) ?? 0) + 1);
        results.set(it.id, res);
        // Every answer names the message it answers: the retry of a half-landed transaction finds it.
        const inReplyTo = it.answerInThread ? it.id : BY_MAIL + it.id;
        // A sender on no row (a "yes" after registration closed) is answered by the name they wrote with.
        const to =
          guest && !guest.token && it.decision?.sender ? { ...guest, name: it.decision.sender.name } : guest;
        if (res.answer && to) extra.push({ kind: res.answer, guest: to, inReplyTo });
        // The keeper's email to this sender answers this message (the latest one, if they wrote twice).
        if (outcome) answering.set(mailboxKey(email), inReplyTo);
        if (res.logError)
          log.push({
            email,
            name: '',
            from: '',
            to: '',
            lane: 'email',
            detail: `reply ${it.id} given up: ${res.logError}`,
          });
        // The host reads this: visible text only (no bidi overrides, zero-width or control characters).
        const said = (it.decision?.text ?? '')
          .split('\n')
          .map(oneLine)
          .filter(Boolean)
          .join(' / ')
          .slice(0, SAID_CHARS);
        rows.push({
          id: it.id,
          received: it.received,
          from: it.from,
          subject: it.subject,
          said,
          status: res.status,
          result: res.result,
          threadId: it.threadId,
        });
      });
      const address = (m: OutboxIntent): OutboxIntent => ({
        ...m,
        inReplyTo: IN_THREAD_KINDS.has(m.kind) ? answering.get(mailboxKey(m.guest.email)) : undefined,
      });
      // A transaction that died half-landed (its answers and seats written, its Replies rows not) runs
      // again for those replies; an answer it already queued for a guest who exists is not queued twice
      // (one written for a guest row that never landed could not be sent: then a new one is).
      const tokens = new Set(guests.map((g) => g.token));
      // (A "registration is closed" answer needs no guest row: any answer to the message counts.)
      const queued = (m: OutboxIntent) =>
        !!m.inReplyTo &&
        [...(seen.answered.get(answeredMessage(m.inReplyTo)) ?? [])].some(
          (t) => tokens.has(t) || m.kind === 'closed',
        );
      return { mail: extra, address, queued, rows: replies.planAppend(rows), log };
    },
  };
}

const label = (() => {
  const cache = new Map<string, GoogleAppsScript.Gmail.GmailLabel>();
  return (name: string) => {
    let l = cache.get(name);
    if (!l) {
      l = GmailApp.getUserLabelByName(name) ?? GmailApp.createLabel(name);
      cache.set(name, l);
    }
    return l;
  };
})();

/** Label threads for the host (cosmetic: the Replies sheet is the record, so a failure here is only logged). */
function labelThreads(reads: ThreadRead[], results: Map<string, ReplyResult>): void {
  const byLabel = new Map<string, Thread[]>();
  for (const r of reads) {
    const statuses = new Set(r.items.map((it) => results.get(it.id)?.status));
    for (const [status, name] of Object.entries(REPLY_LABELS)) {
      if (!statuses.has(status as ReplyStatus)) continue;
      const list = byLabel.get(name) ?? [];
      list.push(r.thread);
      byLabel.set(name, list);
    }
  }
  for (const [name, threads] of byLabel) {
    try {
      const l = label(name);
      for (let i = 0; i < threads.length; i += 100) l.addToThreads(threads.slice(i, i + 100));
    } catch (e) {
      if (isQuotaError(e)) throw e;
      console.error(`labelling threads ${name} failed: ${String(e)}`);
    }
  }
}

function ownAddresses(settings: EventSettings): string[] {
  let aliases: string[] = [];
  try {
    aliases = GmailApp.getAliases();
  } catch {
    // Not allowed for this account: the owner and the reply address are enough.
  }
  return [ownerAddress(), replyAddress(settings), ...aliases].filter(Boolean);
}

export function pollReplies(budgetMs = POLL_BUDGET_MS): PollReport {
  const started = Date.now();
  const until = started + budgetMs;
  const report: PollReport = {
    threads: 0,
    replies: 0,
    handled: 0,
    review: 0,
    ignored: 0,
    retry: 0,
    threadKinds: { new: 0, done: 0, ours: 0, unreadable: 0 },
    more: false,
    message: '',
  };
  const book = Workbook.open();
  const replies = book?.replies();
  if (!book || !replies) return { ...report, message: NOT_SET_UP.message };
  const snap = book.settings.read().result;
  if (!snap.ok)
    return { ...report, more: true, message: 'Replies wait until registration is open (see Settings).' };
  const address = replyAddress(snap.settings);
  if (!address) return { ...report, message: 'No reply address: fill in Settings → Reply-to address.' };
  // Non-blocking: a poll that finds another one running leaves the work to it.
  const lock = workLock();
  if (!tryLock(lock, 0)) return { ...report, more: true, message: 'Another check for replies is running.' };
  try {
    const props = PropertiesService.getScriptProperties();
    const since = Number(props.getProperty(WATERMARK_KEY)) || started - FIRST_LOOKBACK_MS;
    // The `after:` form the deployment check found working on this account (epoch seconds by default).
    const form = props.getProperty(ADAPT.searchForm);
    const threads = searchOldestFirst(
      replySearchQuery(address, since - MARGIN_MS, isSearchForm(form) ? form : 'epoch'),
    );
    report.threads = threads.length;
    const trustAuth = props.getProperty(ADAPT.trustAuth) !== 'no';
    // What our emails say, rendered once per poll, and only when a thread has a reply to decide.
    let sent: OwnText | null = null;
    const own = { addresses: ownAddresses(snap.settings), sent: () => (sent ??= sentText(snap.settings)) };
    const batches = new Batches(book, replies, own, until, report, trustAuth);
    let saved = since;
    for (let i = 0; i < threads.length && !report.more;) {
      if (Date.now() > until) {
        report.more = true;
        break;
      }
      const done = batches.next(threads, i);
      i = done.next;
      const watermark = batches.advance(done.reads, saved);
      if (watermark > saved) props.setProperty(WATERMARK_KEY, String((saved = watermark)));
    }
  } catch (e) {
    // Gmail's daily read quota: what was committed stands, the rest waits for tomorrow's polls.
    if (!isQuotaError(e)) throw e;
    report.more = true;
    report.message = `Gmail's daily quota is used up; the remaining replies wait for a later check. (${String((e as Error)?.message ?? e)})`;
    return report;
  } finally {
    releaseLock(lock);
  }
  return withSummary(report);
}

/** The poll's batches: read threads until BATCH replies, one keeper transaction, labels, answers. */
class Batches {
  private readonly seen: Map<string, Seen>;
  /** A reply waiting for a retry (or an unreadable thread) was met: the watermark stops there. */
  private held = false;
  private results = new Map<string, ReplyResult>();

  constructor(
    private readonly book: Workbook,
    private readonly replies: RepliesTable,
    private readonly own: { addresses: string[]; sent: () => OwnText },
    private readonly until: number,
    private readonly report: PollReport,
    private readonly trustAuth: boolean,
  ) {
    this.seen = replies.seen();
  }

  /** Handles the threads from `from` on, up to one batch; sets report.more if the keeper was busy. */
  next(threads: Thread[], from: number): { reads: ThreadRead[]; next: number } {
    const reads: ThreadRead[] = [];
    let count = 0;
    let i = from;
    for (; i < threads.length && count < BATCH && Date.now() <= this.until; i++) {
      const r = readThread(threads[i], this.seen, this.own.addresses, this.own.sent, this.trustAuth);
      reads.push(r);
      count += r.items.length;
    }
    const batch = reads.flatMap((r) => r.items);
    this.results = new Map();
    if (!batch.length) return { reads, next: i };
    const tx = keeper.laneBatch(laneTx(this.replies, this.book.outbox, batch, this.results));
    if (!tx.ok) {
      // Nothing of this batch was written: the next poll takes it again.
      this.report.more = true;
      this.report.message = tx.message;
      return { reads: [], next: i };
    }
    this.report.replies += this.results.size;
    for (const r of reads) this.report.threadKinds[r.kind]++;
    for (const r of this.results.values()) this.report[r.status]++;
    labelThreads(reads, this.results);
    deliverOwned(tx, this.until + 30e3);
    return { reads, next: i };
  }

  /**
   * The watermark only passes threads whose every reply is settled, in order: a reply waiting for a
   * retry (or a thread that could not be read) holds it back so the next search still finds it.
   */
  advance(reads: ThreadRead[], watermark: number): number {
    for (const r of reads) {
      if (isNaN(r.last) || r.items.some((it) => this.results.get(it.id)?.status === 'retry'))
        this.held = true;
      if (!this.held) watermark = Math.max(watermark, r.last);
    }
    return watermark;
  }
}

function withSummary(report: PollReport): PollReport {
  if (report.message) return report;
  const k = report.threadKinds;
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  const parts = [
    `${report.handled} handled (seats, cancels and answers sent)`,
    `${report.review} for you to review (label RSVP/needs-review)`,
    `${report.ignored} ignored (auto-replies, bounces, mailing lists)`,
    ...(report.retry ? [`${report.retry} to retry`] : []),
  ];
  const other = [
    ...(k.done ? [`${n(k.done, 'conversation')} with nothing new`] : []),
    ...(k.ours ? [`${n(k.ours, 'conversation')} of only our own mail (such as the deployment check)`] : []),
    ...(k.unreadable
      ? [`${n(k.unreadable, 'conversation')} that could not be read (tried again next time)`]
      : []),
  ];
  report.message =
    (report.replies
      ? `${n(report.replies, 'new reply', 'new replies')} in ${n(k.new, 'conversation')}: ${parts.join(', ')}.`
      : 'No new replies.') +
    (other.length ? ` Also looked at ${other.join(', ')}.` : '') +
    (report.more ? ' More on the next check.' : '');
  return report;
}
