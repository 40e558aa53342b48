/**
 * LockService with its rate limit in mind. Google refuses lock operations past an unpublished rate
 * ("There are too many LockService operations against the same script."): a refused tryLock is a
 * "not now" (the caller answers busy or tries later, having written nothing), and a refused
 * release leaves the lock to be released when the execution ends.
 */
type Lock = GoogleAppsScript.Lock.Lock;

export function tryLock(lock: Lock | null, waitMs: number): boolean {
  if (!lock) return false;
  try {
    // A wait computed from a deadline may come out negative; what Google does with one is unsettled
    // (gas-fakes lists it as a difference), so it never gets one.
    return lock.tryLock(Math.max(0, Math.floor(waitMs)));
  } catch (e) {
    console.warn(`lock not taken: ${String((e as Error)?.message ?? e)}`);
    return false;
  }
}

export function releaseLock(lock: Lock | null): void {
  try {
    lock?.releaseLock();
  } catch (e) {
    console.warn(`lock release refused (released when this run ends): ${String((e as Error)?.message ?? e)}`);
  }
}

/**
 * The lock that keeps two drains (or two reply polls) apart without holding up sign-ups (they take
 * the script lock). The document lock is null outside a document context (a web app, per the
 * LockService reference); every one of our executions runs as the host, so the host's user lock
 * keeps them apart as well, and the work is never skipped for want of a lock. (Today no drain or
 * poll runs in a web app; if one did, it and a trigger's would hold different locks.)
 */
export function workLock(): Lock {
  return LockService.getDocumentLock() ?? LockService.getUserLock();
}
