/**
 * The form's throttle counters in CacheService (see core/throttle.ts for the policy). Before the seat
 * request and outside the script lock: one getAll and one put per try, one put per new guest. The cache is best effort: a counter it
 * drops early only lets a few more tries through, and a cache that fails lets everyone through
 * (a guest is never refused because of our own bookkeeping).
 */
import {
  ThrottleVerdict,
  counterTtlS,
  estimateSignups,
  globalCounterKeys,
  globalSlotKey,
  mailboxCounterKey,
  minuteOf,
  throttleVerdict,
} from '../../core/throttle';

const count = (v: string | undefined | null) => Number(v) || 0;

/** Checks one try for this mailbox (see mailboxKey) and, when it may go on, counts it. */
export function admitTry(mailbox: string): ThrottleVerdict {
  try {
    const cache = CacheService.getScriptCache();
    const minute = minuteOf(Date.now());
    const mine = mailboxCounterKey(mailbox, minute);
    const slots = globalCounterKeys(minute);
    const seen = cache.getAll([mine, ...slots]);
    const verdict = throttleVerdict(count(seen[mine]), estimateSignups(slots.filter((k) => seen[k]).length));
    if (verdict === 'ok') cache.put(mine, String(count(seen[mine]) + 1), counterTtlS(Date.now()));
    return verdict;
  } catch (e) {
    console.error(`throttle check skipped: ${String(e)}`);
    return 'ok';
  }
}

/** A new guest row was made from this mailbox: it marks its slot for this minute (see GLOBAL_SLOTS). */
export function countNewSignup(mailbox: string): void {
  try {
    const now = Date.now();
    CacheService.getScriptCache().put(globalSlotKey(mailbox, minuteOf(now)), '1', counterTtlS(now));
  } catch (e) {
    console.error(`throttle count skipped: ${String(e)}`);
  }
}
