/**
 * Group commit for seat requests. A keeper transaction costs a handful of Spreadsheet round trips
 * whatever its size, so under a burst the waiting requests share transactions: each request is
 * queued in document properties, and whoever leads takes every queued request into one transaction,
 * in arrival order, and leaves each answer in the cache (fast) and in properties (durable).
 *
 * Waiting costs no lock operation. LockService has an unpublished rate limit ("There are too many
 * LockService operations against the same script."), so a waiter polls the cache, not the lock: it
 * looks for its answer and for a lease saying a leader is at work. Only when there is no lease does
 * a waiter claim it (last writer wins in the cache), and only the claimant asks for the lock. A
 * leader runs a few rounds while new requests keep arriving, so a burst needs few lock operations.
 *
 * What each answer means, whatever the cache or the timing does:
 * - "busy" means nothing was written: a requester gives up by deleting its request, then reads the
 *   leaders' mark. A leader marks the requests it takes ('taken'), then reads the queue again and
 *   runs only those still there. Mark before re-read, delete before read: if the requester saw no
 *   mark, no leader can have run its request (this needs Properties reads to be consistent across
 *   executions; see the deployment check).
 * - A request whose requester saw the mark, or died, is still run; its guest is emailed the result
 *   (by the leader when the requester is past its wait, otherwise by the drain once the Outbox row
 *   is orphaned).
 * - A leader that dies leaves 'taken' marks; after TAKEN_STALE_MS another leader takes those
 *   requests again. Running a request twice is harmless: the keeper answers "already confirmed".
 */
import { KeeperRequest, Outcome } from '../core/keeper';
import { Guest } from '../core/model';
import { OutboxEntry } from '../core/outbox';
import { EventSettings } from '../core/settings';
import { Workbook } from '../sheets/workbook';
import { releaseLock, tryLock } from './locks';
import { BUSY_MESSAGE, LOCK_WAIT_MS, NOT_SET_UP, TxFailure, TxSuccess, transact } from './transaction';

const REQ = 'rsvp.req.';
/** 'taken@<ms>' while a leader runs the request, then its answer, or 'withdrawn@<ms>'. */
const DONE = 'rsvp.done.';
const ANS = 'rsvp.ans.';
const LEASE = 'rsvp.lease';
/**
 * A waiter reads its answer within a poll (at most POLL_MAX_MS) of its writing, or from its durable
 * mark (DONE) after; a short life keeps the cache's 1,000 items for the throttle (core/throttle.ts).
 */
const ANSWER_TTL_S = 60;
/** A lease outlives a leader's usual rounds; a dead leader's lease just runs out. */
const LEASE_MS = 4000;
/** After writing a claim, how long a would-be leader waits before reading who won. */
const CLAIM_SETTLE_MS = 40;
const POLL_FIRST_MS = 60;
const POLL_MAX_MS = 250;
/** How often a waiter also reads its durable answer (the cache is best effort). */
const DURABLE_CHECK_MS = 2500;
/** A leader keeps taking new arrivals for this many rounds, within this time. */
const MAX_ROUNDS = 3;
const ROUNDS_BUDGET_MS = 4000;
/** A 'taken' mark this old belongs to a leader that died: the request is run again. */
const TAKEN_STALE_MS = 2 * 60e3;
/** How long a requester that saw its request taken waits for the answer past its own deadline. */
const TAKEN_EXTRA_MS = 30e3;
/** Queue entries this old are removed (a few per leader, after the lock). */
const STALE_MS = 30 * 60e3;
const GC_MAX = 10;

export const QUEUED_MESSAGE =
  "We're very busy right now. Your request is in: we'll email you the answer in a few minutes.";

interface Queued {
  id: string;
  at: number;
  /** When the requester stops waiting. */
  until: number;
  req: KeeperRequest;
}

export interface SeatAnswer {
  ok: true;
  outcome: Pick<Outcome, 'result' | 'position' | 'from'> & { guest: Guest };
  entry: OutboxEntry | null;
  settings: EventSettings;
  url: string | null;
  /** How many requests the transaction that answered this one carried. */
  batch: number;
  /**
   * The seats right after that transaction, as its summary says (seatsLeft null: no capacity set):
   * the answer page shows them without reading the sheet again.
   */
  seats?: { left: number | null; waitlisted: number };
  /** For the execution that ran the transaction: emails it caused that no requester waits for
   * (an offer to the next person after a cancel, the answer of a requester that gave up or died). */
  extras?: { entries: OutboxEntry[]; guests: Guest[] };
}

/** What a request can end in besides an answer: busy (nothing written) or queued (emailed later). */
export type SeatFailure = TxFailure | { ok: false; reason: 'queued'; message: string };

type Wire = Omit<SeatAnswer, 'settings' | 'outcome'> & {
  settings: EventSettings & { startsAt: number | null; endsAt: number | null };
  outcome: SeatAnswer['outcome'];
};

function toWire(a: SeatAnswer | TxFailure): string {
  if (!a.ok) return JSON.stringify(a);
  const s = a.settings;
  return JSON.stringify({
    ...a,
    extras: undefined,
    settings: { ...s, startsAt: s.startsAt?.getTime() ?? null, endsAt: s.endsAt?.getTime() ?? null },
  });
}

function fromWire(text: string): SeatAnswer | TxFailure {
  const w = JSON.parse(text) as Wire | TxFailure;
  if (!w.ok) return w;
  const date = (v: unknown) =>
    v === null || v === undefined || v === '' ? null : new Date(v as string | number);
  const g = w.outcome.guest;
  return {
    ...w,
    settings: { ...w.settings, startsAt: date(w.settings.startsAt), endsAt: date(w.settings.endsAt) },
    outcome: {
      ...w.outcome,
      guest: { ...g, created: date(g.created), updated: date(g.updated), offerExpires: date(g.offerExpires) },
    },
  };
}

const isAnswer = (mark: string | null | undefined): mark is string => !!mark && mark.startsWith('{');
const isWithdrawn = (mark: string | null | undefined) => !!mark && mark.startsWith('withdrawn@');
const takenAt = (mark: string | null | undefined) =>
  mark && mark.startsWith('taken@') ? Number(mark.slice(6)) : null;

function readQueue(all: Record<string, string>, now: number): Queued[] {
  const out: Queued[] = [];
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith(REQ)) continue;
    const id = k.slice(REQ.length);
    const mark = all[DONE + id];
    // Waiting: no mark yet, or a mark left by a leader that died.
    const taken = takenAt(mark);
    if (mark !== undefined && (taken === null || now - taken < TAKEN_STALE_MS)) continue;
    try {
      const q = JSON.parse(v) as { at: number; until?: number; req: KeeperRequest };
      out.push({ id, at: q.at, until: q.until ?? q.at, req: q.req });
    } catch {
      // A damaged entry is skipped; its requester still holds its own request.
    }
  }
  return out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

/** Tolerant service calls: the cache and properties may fail (quota, rate); the protocol copes. */
function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

const props = () => PropertiesService.getDocumentProperties();
const cache = () => CacheService.getScriptCache();

/**
 * Holding the lock: run rounds of queued requests (and our own, `mine`) as keeper transactions.
 * Returns our own answer (or null when leading for others), the emails nobody waits for, and the
 * last round's durable answers, for the caller to write once it has released the lock (they need
 * no lock: every request they answer carries a leader's mark already, so no leader runs it again).
 */
function lead(
  book: Workbook,
  mine: Queued | null,
): {
  own: SeatAnswer | TxFailure | null;
  extras: OutboxEntry[];
  guests: Guest[];
  settings: EventSettings | null;
  done: Record<string, string>;
} {
  const started = Date.now();
  let own: SeatAnswer | TxFailure | null = null;
  const extras: OutboxEntry[] = [];
  const guests: Guest[] = [];
  let settings: EventSettings | null = null;
  // The queue, read once for the first round: it also holds the answer a leader before us may have
  // left for our request while we were asking for the lock.
  let all: Record<string, string> | null = props().getProperties();
  const earlier = mine ? all[DONE + mine.id] : null;
  if (isAnswer(earlier)) own = fromWire(earlier);
  // The last round's durable answers, written with the next round's marks (one call, not two): its
  // requesters read them from the cache first, so the durable copy may land a read later.
  let done: Record<string, string> = {};
  try {
    for (let round = 0; round < MAX_ROUNDS && Date.now() - started < ROUNDS_BUDGET_MS; round++) {
      const now = Date.now();
      const queue = readQueue(all ?? props().getProperties(), now);
      all = null;
      const ownPending = mine && !own;
      if (ownPending && !queue.some((q) => q.id === mine.id)) queue.push(mine);
      if (!queue.length) break;
      // Mark, then read again: a requester that withdrew before our mark is not run (see the top).
      props().setProperties(
        { ...done, ...Object.fromEntries(queue.map((q) => [DONE + q.id, `taken@${now}`])) },
        false,
      );
      done = {};
      // Only our own request: nobody else's withdrawal to see, so no second read.
      const alone = queue.every((q) => q.id === mine?.id);
      const still = alone ? {} : props().getProperties();
      const live = queue.filter((q) => (mine && q.id === mine.id) || still[REQ + q.id] !== undefined);
      const withdrawn = queue.filter((q) => !live.includes(q));
      const tx = transact(
        book,
        live.map((q) => q.req),
        'sending',
      );
      const answers: Record<string, string> = {};
      for (const q of withdrawn) done[DONE + q.id] = `withdrawn@${now}`;
      const owned = new Set<OutboxEntry>();
      live.forEach((q, i) => {
        const a = tx.ok ? answerOf(tx, i, owned, live.length) : tx;
        if (mine && q.id === mine.id) own = a;
        // A requester past its wait is withdrawing or has died: its email is ours to send, not its.
        if (a.ok && a.entry && q.until <= Date.now() && q.id !== mine?.id) {
          extras.push(a.entry);
          guests.push(a.outcome.guest);
          a.entry = null;
        }
        const wire = toWire(a);
        done[DONE + q.id] = wire;
        answers[ANS + q.id] = wire;
      });
      if (tx.ok) {
        settings = tx.settings;
        extras.push(...tx.outbox.filter((e) => !owned.has(e)));
        guests.push(...tx.decision.updated, ...tx.decision.appended);
        // The lease renewed in the same call: new arrivals keep waiting for this leader.
        answers[LEASE] = JSON.stringify({ owner: mine?.id ?? '', until: Date.now() + LEASE_MS });
      }
      attempt(() => cache().putAll(answers, ANSWER_TTL_S), undefined);
      if (!tx.ok) break;
    }
  } catch (e) {
    // The rounds before the one that failed are answered: their durable answers still land.
    keepAnswers(done);
    throw e;
  }
  return { own, extras, guests, settings, done };
}

/**
 * A round's durable answers (its requesters read the cache first). Best effort: a request whose
 * answer is lost keeps its leader's mark, and is run again (harmlessly) once that mark is stale.
 */
function keepAnswers(done: Record<string, string>): void {
  if (!Object.keys(done).length) return;
  try {
    props().setProperties(done, false);
  } catch (e) {
    console.warn(`answers not kept in properties: ${String(e)}`);
  }
}

/** The answer for the i-th request of a transaction; each email goes to the requester it belongs to. */
function answerOf(tx: TxSuccess, i: number, owned: Set<OutboxEntry>, batch: number): SeatAnswer {
  const o = tx.decision.outcomes[i];
  const entry =
    tx.outbox.find((e) => !owned.has(e) && e.token === o.guest.token && o.from !== o.guest.status) ?? null;
  if (entry) owned.add(entry);
  const c = tx.decision.counts;
  return {
    ok: true,
    outcome: { result: o.result, position: o.position, from: o.from, guest: o.guest },
    entry,
    settings: tx.settings,
    url: tx.url,
    batch,
    seats: { left: Number.isFinite(c.seatsLeft) ? c.seatsLeft : null, waitlisted: c.seats.waitlisted },
  };
}

/**
 * Leftovers, a few at a time, outside the lock: requests of requesters that died long ago, and
 * marks whose request is gone (settled or withdrawn), unless a leader may still be running it.
 */
function collectGarbage(): void {
  const all = attempt(() => props().getProperties(), {} as Record<string, string>);
  const now = Date.now();
  const doomed: string[] = [];
  for (const [k, v] of Object.entries(all)) {
    if (doomed.length >= GC_MAX) break;
    if (k.startsWith(REQ)) {
      const id = k.slice(REQ.length);
      const at = attempt(() => (JSON.parse(v) as { at: number }).at, 0);
      if (now - at > STALE_MS && isAnswer(all[DONE + id])) doomed.push(k, DONE + id);
    } else if (k.startsWith(DONE) && all[REQ + k.slice(DONE.length)] === undefined) {
      const taken = takenAt(v);
      if (taken === null || now - taken > TAKEN_STALE_MS) doomed.push(k);
    }
  }
  for (const k of doomed) attempt(() => props().deleteProperty(k), undefined);
}

/** Sleep `ms` in all, doing `work` first (the sleep is what is left of `ms` after it). */
function sleepWhile(ms: number, work: () => void): void {
  const from = Date.now();
  work();
  const left = Math.round(ms - (Date.now() - from));
  if (left > 0) Utilities.sleep(left);
}

/** Try to become the leader: claim the lease, see who won, and only then ask for the lock. */
function claimLock(id: string, waitMs: number, book: Workbook): boolean {
  const wait = Math.max(0, Math.min(waitMs, LEASE_MS - CLAIM_SETTLE_MS));
  attempt(() => cache().put(LEASE, JSON.stringify({ owner: id, until: Date.now() + LEASE_MS })), undefined);
  // The settle is spent looking up what the transaction needs (if waiting has not done it yet).
  sleepWhile(CLAIM_SETTLE_MS, () => book.prepareTransaction());
  const lease = attempt(() => JSON.parse(cache().get(LEASE) ?? 'null') as { owner: string } | null, null);
  // The cache lost the lease (best effort): go ahead; the lock still decides.
  if (lease && lease.owner !== id) return false;
  // One lock operation; a rate-limit error is a "not now", not a failure.
  return tryLock(LockService.getScriptLock(), wait);
}

function release(): void {
  releaseLock(LockService.getScriptLock());
  attempt(() => cache().remove(LEASE), undefined);
}

/** Ask the keeper for a seat, sharing a transaction with whoever else is waiting. */
export function requestSeat(req: KeeperRequest, waitMs = LOCK_WAIT_MS): SeatAnswer | SeatFailure {
  // Everything that can be looked up before the lock is.
  const book = Workbook.openLazily();
  if (!book) return NOT_SET_UP;
  const at = Date.now();
  const mine: Queued = { id: Utilities.getUuid(), at, until: at + waitMs, req };
  const queued = attempt(() => {
    props().setProperty(REQ + mine.id, JSON.stringify({ at: mine.at, until: mine.until, req }));
    return true;
  }, false);
  if (!queued) return alone(book, mine, waitMs);
  let pause = POLL_FIRST_MS;
  let durableAt = at + DURABLE_CHECK_MS;
  for (;;) {
    const now = Date.now();
    const seen = attempt(() => cache().getAll([ANS + mine.id, LEASE]), {} as Record<string, string>);
    if (seen[ANS + mine.id]) return settle(mine, fromWire(seen[ANS + mine.id]));
    if (now >= durableAt) {
      durableAt = now + DURABLE_CHECK_MS;
      const mark = attempt(() => props().getProperty(DONE + mine.id), null);
      if (isAnswer(mark)) return settle(mine, fromWire(mark));
    }
    const lease = attempt(() => JSON.parse(seen[LEASE] ?? 'null') as { until: number } | null, null);
    if ((!lease || lease.until <= now) && claimLock(mine.id, mine.until - now, book)) {
      let result: ReturnType<typeof lead>;
      try {
        result = lead(book, mine);
      } finally {
        release();
      }
      keepAnswers(result.done);
      book.mendIndex();
      collectGarbage();
      const own = result.own ?? { ok: false, reason: 'busy', message: BUSY_MESSAGE };
      if (own.ok && result.extras.length) own.extras = { entries: result.extras, guests: result.guests };
      return settle(mine, own);
    }
    if (Date.now() >= mine.until) return withdraw(mine);
    const sleep = Math.min(pause * (0.7 + 0.6 * Math.random()), mine.until - Date.now());
    // The wait is spent looking up what a transaction needs (once per execution), so that if this
    // request comes to lead, the lock stands idle no longer than the claim's settle.
    sleepWhile(sleep, () => book.prepareTransaction());
    pause = Math.min(pause * 1.4, POLL_MAX_MS);
  }
}

/** The request could not be queued (properties quota): a transaction of its own, or busy. */
function alone(book: Workbook, mine: Queued, waitMs: number): SeatAnswer | SeatFailure {
  book.prepareTransaction();
  const lock = LockService.getScriptLock();
  if (!tryLock(lock, waitMs)) return { ok: false, reason: 'busy', message: BUSY_MESSAGE };
  try {
    const tx = transact(book, [mine.req], 'sending');
    if (!tx.ok) return tx;
    const owned = new Set<OutboxEntry>();
    const a = answerOf(tx, 0, owned, 1);
    const rest = tx.outbox.filter((e) => !owned.has(e));
    if (rest.length) a.extras = { entries: rest, guests: [...tx.decision.updated, ...tx.decision.appended] };
    return a;
  } finally {
    releaseLock(lock);
  }
}

/** Past the wait: withdraw the request, and answer busy only if no leader took it (see the top). */
function withdraw(mine: Queued): SeatAnswer | SeatFailure {
  const deleted = attempt(() => {
    props().deleteProperty(REQ + mine.id);
    return true;
  }, false);
  let mark = attempt(() => props().getProperty(DONE + mine.id), null);
  if (deleted && (!mark || isWithdrawn(mark))) {
    if (mark) attempt(() => props().deleteProperty(DONE + mine.id), undefined);
    return { ok: false, reason: 'busy', message: BUSY_MESSAGE };
  }
  // Taken by a leader (or we could not withdraw): its answer comes, or it is emailed.
  const until = Date.now() + TAKEN_EXTRA_MS;
  while (!isAnswer(mark) && Date.now() < until) {
    const cached = attempt(() => cache().get(ANS + mine.id), null);
    if (cached) return settle(mine, fromWire(cached));
    Utilities.sleep(POLL_MAX_MS);
    mark = attempt(() => props().getProperty(DONE + mine.id), null);
  }
  if (isAnswer(mark)) return settle(mine, fromWire(mark));
  return { ok: false, reason: 'queued', message: QUEUED_MESSAGE };
}

/** Answered: the queue entry and its mark are no longer needed. */
function settle(mine: Queued, a: SeatAnswer | TxFailure): SeatAnswer | TxFailure {
  attempt(() => props().deleteProperty(REQ + mine.id), undefined);
  attempt(() => props().deleteProperty(DONE + mine.id), undefined);
  return a;
}

/**
 * Run what is left in the queue (requests whose requesters died or gave up after a leader took
 * them): the drain trigger calls this, so no request waits longer than its interval. Sends nothing
 * itself; returns the emails owed.
 */
export function serveQueue(
  waitMs = LOCK_WAIT_MS,
): (SeatAnswer['extras'] & { settings: EventSettings; url: string | null }) | null {
  const book = Workbook.open();
  if (!book) return null;
  const waiting = readQueue(
    attempt(() => props().getProperties(), {} as Record<string, string>),
    Date.now(),
  ).filter((q) => q.until <= Date.now());
  if (!waiting.length) return null;
  book.prepareTransaction();
  if (!tryLock(LockService.getScriptLock(), waitMs)) return null;
  let result: ReturnType<typeof lead>;
  try {
    result = lead(book, null);
  } finally {
    release();
  }
  keepAnswers(result.done);
  collectGarbage();
  return result.settings
    ? { entries: result.extras, guests: result.guests, settings: result.settings, url: book.url }
    : null;
}
