/**
 * The form's throttle counters in CacheService (see core/throttle.ts for the policy). Before the seat
 * request and outside the script lock: one getAll and one put per try, one put per new guest. The
 * cache is best effort: a counter it drops early only lets a few more tries through, and a cache
 * that fails lets everyone through (a guest is never refused because of our own bookkeeping).
 */
import {
  ThrottleVerdict,
  counterTtlS,
  estimateSignups,
  globalCounterKeys,
  globalSlotKey,
  mailboxCounterKey,
  minuteOf,
  pageCounterKey,
  throttleVerdict,
} from '../../core/throttle';

const count = (v: string | undefined | null) => Number(v) || 0;

/**
 * Checks one try for this mailbox (see mailboxKey), from this page view (its signed stamp's nonce,
 * or null for an unsigned post), and, when it may go on, counts the try.
 */
export function admitTry(mailbox: string, page: string | null): ThrottleVerdict {
  try {
    const cache = CacheService.getScriptCache();
    const minute = minuteOf(Date.now());
    const mine = mailboxCounterKey(mailbox, minute);
    const others = page === null ? globalCounterKeys(minute) : [pageCounterKey(page, minute)];
    const seen = cache.getAll([mine, ...others]);
    const verdict = throttleVerdict(
      count(seen[mine]),
      page === null
        ? { unsigned: estimateSignups(others.filter((k) => seen[k]).length) }
        : { page: count(seen[others[0]]) },
    );
    if (verdict === 'ok') cache.put(mine, String(count(seen[mine]) + 1), counterTtlS(Date.now()));
    return verdict;
  } catch (e) {
    console.error(`throttle check skipped: ${String(e)}`);
    return 'ok';
  }
}

/**
 * A new guest row was made from this mailbox: it counts against its page view, or (unsigned) marks
 * its slot for this minute (see GLOBAL_SLOTS). Concurrent posts from one page may lose a count (the
 * cache has no atomic increment): a bot firing 30 at once from one page gets at most 30 rows.
 */
export function countNewSignup(mailbox: string, page: string | null): void {
  try {
    const now = Date.now();
    const cache = CacheService.getScriptCache();
    if (page === null) {
      cache.put(globalSlotKey(mailbox, minuteOf(now)), '1', counterTtlS(now));
      return;
    }
    const key = pageCounterKey(page, minuteOf(now));
    cache.put(key, String(count(cache.get(key)) + 1), counterTtlS(now));
  } catch (e) {
    console.error(`throttle count skipped: ${String(e)}`);
  }
}
