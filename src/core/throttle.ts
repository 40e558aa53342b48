/**
 * The form's throttle: how many tries one mailbox, and how many new sign-ups everyone together, may
 * make per minute. Pure (the counters live in CacheService: lanes/throttle.ts).
 *
 * The numbers: a real guest tries once or twice (a double click, a retry after "busy"), and a popular
 * event's burst is about 100 new guests in its first minute, so twice that is never met; a bot walking
 * through spellings of one mailbox stops at the 6th try, and one walking through made-up addresses
 * writes at most ~200 rows a minute instead of as many as the keeper can take. (It does not save the
 * day's mail quota, 100 recipients on a consumer account: what is over it waits in the Outbox.)
 * Minutes are fixed windows: a burst across a boundary gets two.
 */
export const MAILBOX_TRIES_PER_MINUTE = 5;
export const NEW_SIGNUPS_PER_MINUTE = 200;
/**
 * New sign-ups are counted without a shared counter: the cache has no atomic increment, and many
 * executions adding to one key at once (a read, then a write) lose most of their updates in a burst.
 * Instead each new guest marks one of these slots, picked by their mailbox, and the number of guests
 * is estimated from how many slots are marked (linear counting: n ≈ −m·ln(1 − marked/m), a few percent
 * off at a couple of hundred). Marking is idempotent, so concurrent sign-ups never undo each other, and
 * one getAll reads every slot.
 */
export const GLOBAL_SLOTS = 512;
/**
 * A counter lives to the end of its minute and a few seconds more. The cache keeps at most 1,000
 * items and, past that, the 900 farthest from expiry, so nothing may outlive its use: a counter of
 * the minute before, or an answer kept long after its reader went (keeper/group-commit.ts), would
 * push out this minute's marks, and the count of new guests would fall behind.
 */
export const counterTtlS = (nowMs: number): number => Math.ceil((60e3 - (nowMs % 60e3)) / 1e3) + 5;

export const THROTTLE_MESSAGE = 'Too many sign-ups from here: please try again in a minute.';

const PREFIX = 'rsvp.thr.';

export const minuteOf = (nowMs: number): number => Math.floor(nowMs / 60e3);

/** FNV-1a (32 bits, in base 36) from a seed. */
function fnv(s: string, seed: number): string {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** Twice FNV-1a: a short, stable cache key for an address of up to 254 characters. */
const hash = (s: string): string => `${fnv(s, 0x811c9dc5)}${fnv(s, 0x050c5d1f)}`;

export function mailboxCounterKey(mailbox: string, minute: number): string {
  return `${PREFIX}m.${minute}.${hash(mailbox)}`;
}

export function globalCounterKeys(minute: number): string[] {
  return Array.from({ length: GLOBAL_SLOTS }, (_, i) => `${PREFIX}g.${minute}.${i}`);
}

/** The slot a new guest marks (see GLOBAL_SLOTS). */
export function globalSlotKey(mailbox: string, minute: number): string {
  // MurmurHash3's finalizer over FNV-1a: similar addresses (guest1, guest2…) land like random ones,
  // which the estimate assumes.
  let h = parseInt(fnv(mailbox, 0x811c9dc5), 36);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return globalCounterKeys(minute)[h % GLOBAL_SLOTS];
}

/** How many distinct guests marked `marked` of `slots` slots (linear counting). */
export function estimateSignups(marked: number, slots = GLOBAL_SLOTS): number {
  if (marked <= 0) return 0;
  if (marked >= slots) return Infinity;
  return Math.round(-slots * Math.log(1 - marked / slots));
}

export type ThrottleVerdict = 'ok' | 'mailbox' | 'everyone';

/** Whether one more try may go on, given this minute's counts so far. */
export function throttleVerdict(mailboxTries: number, newSignups: number): ThrottleVerdict {
  if (mailboxTries >= MAILBOX_TRIES_PER_MINUTE) return 'mailbox';
  if (newSignups >= NEW_SIGNUPS_PER_MINUTE) return 'everyone';
  return 'ok';
}
