/**
 * Group commit for seat requests. A keeper transaction costs a handful of Spreadsheet round trips
 * whatever its size, so under a burst the executions waiting for the lock should not each pay for
 * one. A request is queued (document properties) before waiting; whoever holds the lock takes
 * every queued request into its transaction, in arrival order, and leaves each answer in the cache.
 * A waiter stops waiting as soon as its answer is there.
 *
 * Nothing depends on the queue or the cache being perfect: a requester always keeps its own
 * request, and if no answer comes it leads a transaction that includes it. A request processed
 * twice is harmless, because the keeper is idempotent per email ("already confirmed").
 */
import { KeeperRequest, Outcome } from '../core/keeper';
import { Guest } from '../core/model';
import { EventSettings } from '../core/settings';
import { OutboxEntry } from '../messenger/outbox';
import {
  BUSY_MESSAGE,
  LOCK_WAIT_MS,
  NOT_SET_UP,
  Sheets,
  TxFailure,
  openSheets,
  transact,
} from './transaction';

const REQ = 'rsvp.req.';
const ANS = 'rsvp.ans.';
/** How long one tryLock waits before the waiter looks for its answer again. */
const POLL_MS = 300;
const ANSWER_TTL_S = 3600;
/** Queued requests older than this, already answered, are removed by the next leader. */
const STALE_MS = 30 * 60e3;
/**
 * A leader only takes a queued request its requester can still hear back about: one that gave up
 * has told its guest "busy, try again", and must have written nothing.
 */
const GRACE_MS = 2000;

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
  /** For the execution that ran the transaction: emails it caused that no requester waits for
   * (an offer to the next person after a cancel). It sends them. */
  extras?: { entries: OutboxEntry[]; guests: Guest[] };
}

type Wire = Omit<SeatAnswer, 'settings' | 'outcome'> & {
  settings: EventSettings & { startsAt: number | null; endsAt: number | null };
  outcome: SeatAnswer['outcome'];
};

function toWire(a: SeatAnswer): string {
  const s = a.settings;
  return JSON.stringify({
    ...a,
    settings: { ...s, startsAt: s.startsAt?.getTime() ?? null, endsAt: s.endsAt?.getTime() ?? null },
  });
}

function fromWire(text: string): SeatAnswer {
  const w = JSON.parse(text) as Wire;
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

function readQueue(all: Record<string, string>): Queued[] {
  const out: Queued[] = [];
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith(REQ)) continue;
    try {
      const q = JSON.parse(v) as { at: number; until?: number; req: KeeperRequest };
      out.push({ id: k.slice(REQ.length), at: q.at, until: q.until ?? q.at, req: q.req });
    } catch {
      // A damaged entry is skipped; its requester still holds its own request.
    }
  }
  return out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

/** Holding the lock: run every queued, unanswered request (and ours) as one transaction. */
function lead(mine: Queued, sheets: Sheets): SeatAnswer | TxFailure {
  const props = PropertiesService.getDocumentProperties();
  const cache = CacheService.getScriptCache();
  const queue = readQueue(props.getProperties());
  const answered = queue.length ? cache.getAll(queue.map((q) => ANS + q.id)) : {};
  const now = Date.now();
  const pending = queue.filter(
    (q) => q.id === mine.id || (!answered[ANS + q.id] && now < q.until - GRACE_MS),
  );
  // Our own entry may be missing from what we read (no quota to queue it, or a stale read).
  if (!pending.some((q) => q.id === mine.id)) pending.push(mine);
  const tx = transact(
    sheets,
    pending.map((q) => q.req),
    'sending',
  );
  if (!tx.ok) return tx;
  const answers: Record<string, string> = {};
  let own: SeatAnswer | null = null;
  const owned = new Set<OutboxEntry>();
  pending.forEach((q, i) => {
    const o = tx.decision.outcomes[i];
    const entry =
      tx.outbox.find((e) => !owned.has(e) && e.token === o.guest.token && o.from !== o.guest.status) ?? null;
    if (entry) owned.add(entry);
    const a: SeatAnswer = {
      ok: true,
      outcome: { result: o.result, position: o.position, from: o.from, guest: o.guest },
      entry,
      settings: tx.settings,
      url: tx.url,
      batch: pending.length,
    };
    if (q.id === mine.id) own = a;
    else answers[ANS + q.id] = toWire(a);
  });
  if (Object.keys(answers).length) cache.putAll(answers, ANSWER_TTL_S);
  const extras = tx.outbox.filter((e) => !owned.has(e));
  if (own && extras.length) {
    (own as SeatAnswer).extras = {
      entries: extras,
      guests: [...tx.decision.updated, ...tx.decision.appended],
    };
  }
  for (const q of queue) if (answered[ANS + q.id] && now - q.at > STALE_MS) props.deleteProperty(REQ + q.id);
  return own as unknown as SeatAnswer;
}

/** Ask the keeper for a seat, sharing a transaction with whoever else is waiting. */
export function requestSeat(req: KeeperRequest, waitMs = LOCK_WAIT_MS): SeatAnswer | TxFailure {
  // Everything that can be looked up before the lock is.
  const sheets = openSheets();
  if (!sheets) return NOT_SET_UP;
  const at = Date.now();
  const mine: Queued = { id: Utilities.getUuid(), at, until: at + waitMs, req };
  const props = PropertiesService.getDocumentProperties();
  const cache = CacheService.getScriptCache();
  let queued = false;
  try {
    props.setProperty(REQ + mine.id, JSON.stringify({ at: mine.at, until: mine.until, req }));
    queued = true;
  } catch {
    // Properties quota or size: fall back to a transaction of our own.
  }
  const lock = LockService.getScriptLock();
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return { ok: false, reason: 'busy', message: BUSY_MESSAGE };
      if (lock.tryLock(Math.min(left, POLL_MS))) {
        try {
          const ready = queued ? cache.get(ANS + mine.id) : null;
          return ready ? fromWire(ready) : lead(mine, sheets);
        } finally {
          lock.releaseLock();
        }
      }
      const ready = queued ? cache.get(ANS + mine.id) : null;
      if (ready) return fromWire(ready);
    }
  } finally {
    if (queued) {
      try {
        props.deleteProperty(REQ + mine.id);
      } catch {
        // Left for a later leader to clean up.
      }
    }
  }
}
