/**
 * The form's throttle. Pure (the counters live in CacheService: lanes/form/throttle.ts).
 *
 * It never counts real guests against each other: in a ticket drop (thousands of people in the
 * first minute) every one of them must reach the keeper, and be seated or waitlisted in turn. So:
 * - one mailbox may try 5 times a minute (a double click, retries after "busy"); a bot walking
 *   through spellings of one mailbox stops at the 6th try;
 * - one page view may try PAGE_NEW_GUESTS mailboxes a minute. The page carries a stamp the web app
 *   signed (lanes/form/stamp.ts): a bot posting made-up addresses must load a page for every few of
 *   them (an execution each, from the same 30 as the guests'), and a forged stamp counts as none;
 * - only posts without a signed stamp (the embed with JavaScript off, a page cached before this
 *   version, a bot) share a budget of UNSIGNED_PER_MINUTE new guests a minute, as before.
 * (None of this saves the day's mail quota, 100 recipients on a consumer account: what is over it
 * waits in the Outbox.) Minutes are fixed windows: a burst across a boundary gets two.
 */
export const MAILBOX_TRIES_PER_MINUTE = 5;
/** A person signing up themselves, a partner and a friend from one page, with a typo fixed. */
export const PAGE_NEW_GUESTS = 4;
export const UNSIGNED_PER_MINUTE = 200;
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
export const PAGE_LIMIT_MESSAGE =
  'Too many sign-ups from this page: please reload it to sign up someone else.';

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

/** A mailbox's short tag, for the list of mailboxes a page tried. */
export const mailboxTag = (mailbox: string): string => hash(mailbox).slice(0, 8);

export function mailboxCounterKey(mailbox: string, minute: number): string {
  return `${PREFIX}m.${minute}.${hash(mailbox)}`;
}

/**
 * New guests made from one page view (its stamp's nonce) this minute. Per minute, like every counter
 * here, so none outlives its use in the cache's 1,000 items (see counterTtlS): a page reused by a
 * bot makes PAGE_NEW_GUESTS a minute.
 */
export function pageCounterKey(nonce: string, minute: number): string {
  return `${PREFIX}p.${minute}.${hash(nonce)}`;
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

export type ThrottleVerdict = 'ok' | 'mailbox' | 'page' | 'unsigned';

/**
 * Whether one more try may go on, given the counts so far: this mailbox's tries this minute, and
 * either the new guests made from this page view (a signed stamp) or, without one, the new guests
 * every unsigned post made this minute.
 */
export function throttleVerdict(
  mailboxTries: number,
  from: { page: number } | { unsigned: number },
): ThrottleVerdict {
  if (mailboxTries >= MAILBOX_TRIES_PER_MINUTE) return 'mailbox';
  if ('page' in from) return from.page >= PAGE_NEW_GUESTS ? 'page' : 'ok';
  return from.unsigned >= UNSIGNED_PER_MINUTE ? 'unsigned' : 'ok';
}

export const throttleMessage = (v: Exclude<ThrottleVerdict, 'ok'>): string =>
  v === 'page' ? PAGE_LIMIT_MESSAGE : THROTTLE_MESSAGE;
