/** Session (time zone, users), and Logger and console, which write to the execution's log. */
import { ServiceEnv, strict } from './env';

export function session(env: ServiceEnv) {
  const { rpc } = env;
  return strict('Session', {
    getScriptTimeZone: () => rpc('session.scriptTimeZone'),
    getEffectiveUser: () => strict('User', { getEmail: () => rpc('session.effectiveUser') }),
    getActiveUser: () => strict('User', { getEmail: () => rpc('session.activeUser') }),
    getTemporaryActiveUserKey: () => 'emulator-user-key',
  });
}

const fmt = (args: unknown[]) =>
  args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? String(a) : JSON.stringify(a))).join(' ');

export function logger(env: ServiceEnv) {
  const Logger = strict('Logger', {
    log: (...a: unknown[]) => (env.logs.push(fmt(a)), Logger),
  });
  return Logger;
}

export function consoleLog(env: ServiceEnv) {
  return {
    log: (...a: unknown[]) => void env.logs.push(fmt(a)),
    info: (...a: unknown[]) => void env.logs.push(fmt(a)),
    warn: (...a: unknown[]) => void env.logs.push(`[warn] ${fmt(a)}`),
    error: (...a: unknown[]) => void env.logs.push(`[error] ${fmt(a)}`),
  };
}
