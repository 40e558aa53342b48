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
  mailboxTag,
  minuteOf,
  pageCounterKey,
  throttleVerdict,
} from '../../core/throttle';

const count = (v: string | undefined | null) => Number(v) || 0;

/**
 * Checks one try for this mailbox (see mailboxKey), from this page view (its signed stamp's nonce,
 * or null for an unsigned post), and, when it may go on, counts the try. A page counts the distinct
 * mailboxes it tried (a guest retrying after "busy" is still one), at once, so posts racing from
 * one page can slip past only within the few milliseconds between this read and its write.
 */
export function admitTry(mailbox: string, page: string | null): ThrottleVerdict {
  try {
    const cache = CacheService.getScriptCache();
    const now = Date.now();
    const minute = minuteOf(now);
    const mine = mailboxCounterKey(mailbox, minute);
    const others = page === null ? globalCounterKeys(minute) : [pageCounterKey(page, minute)];
    const seen = cache.getAll([mine, ...others]);
    const tried = page === null ? [] : pageMailboxes(seen[others[0]]);
    const me = mailboxTag(mailbox);
    const verdict = throttleVerdict(
      count(seen[mine]),
      page === null
        ? { unsigned: estimateSignups(others.filter((k) => seen[k]).length) }
        : { page: tried.includes(me) ? 0 : tried.length },
    );
    if (verdict !== 'ok') return verdict;
    const ttl = counterTtlS(now);
    const puts: Record<string, string> = { [mine]: String(count(seen[mine]) + 1) };
    if (page !== null && !tried.includes(me)) puts[others[0]] = JSON.stringify([...tried, me]);
    cache.putAll(puts, ttl);
    return verdict;
  } catch (e) {
    console.error(`throttle check skipped: ${String(e)}`);
    return 'ok';
  }
}

function pageMailboxes(v: string | undefined): string[] {
  try {
    const list = JSON.parse(v ?? '[]') as unknown;
    return Array.isArray(list) ? list.map(String) : [];
  } catch {
    return [];
  }
}

/** A new guest row was made from an unsigned post: it marks its slot for this minute (see GLOBAL_SLOTS). */
export function countUnsignedSignup(mailbox: string): void {
  try {
    const now = Date.now();
    CacheService.getScriptCache().put(globalSlotKey(mailbox, minuteOf(now)), '1', counterTtlS(now));
  } catch (e) {
    console.error(`throttle count skipped: ${String(e)}`);
  }
}
