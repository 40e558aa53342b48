/** LockService: script, document and user locks; waiting and timeouts are the backend's. */
import { ServiceEnv, strict } from './env';

export function lockService(env: ServiceEnv) {
  const { rpc } = env;
  // A negative timeout: unsettled on Google (gas-fakes found it differs); the stricter choice, refused.
  const timeout = (ms: number) => {
    const n = Number(ms) || 0;
    if (n < 0) throw env.error('Invalid argument: timeoutInMillis');
    return n;
  };
  const lock = (name: string) =>
    strict('Lock', {
      tryLock: (ms: number) => rpc('lock.acquire', name, timeout(ms)) as boolean,
      waitLock: (ms: number) => {
        if (!rpc('lock.acquire', name, timeout(ms))) {
          throw env.error('Lock timeout: another process was holding the lock for too long.');
        }
      },
      releaseLock: () => void rpc('lock.release', name),
      hasLock: () => rpc('lock.has', name) as boolean,
    });
  return strict('LockService', {
    getScriptLock: () => lock('script'),
    getDocumentLock: () => (rpc('lock.document') ? lock('document') : null),
    getUserLock: () => lock('user'),
  });
}
