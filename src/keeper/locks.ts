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
    return lock.tryLock(waitMs);
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
