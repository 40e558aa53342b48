/**
 * What every service factory gets: the execution's round trip to the backend (`rpc`) and its
 * realm. Objects built here only hold identifiers; every method Google would serve is an rpc.
 */
export type Rpc = (method: string, ...args: unknown[]) => unknown;

export interface ServiceEnv {
  rpc: Rpc;
  files: Record<string, string>;
  /** Runs template code inside the execution's context. */
  makeFunction: (...args: string[]) => (...a: unknown[]) => unknown;
  logs: string[];
  /** An error of the execution's realm, named as Apps Script names its exceptions. */
  error: (message: string) => Error;
  /** Copies a value into the execution's realm, so `instanceof Date`/`Array` hold in the script. */
  toRealm: (value: unknown) => unknown;
  /** Utilities.getUuid: seeded under the virtual clock, so a run can be replayed. */
  uuid?: () => string;
  /** The script's Date.now(). */
  now?: () => number;
}

/** A proxy that throws a clear error for any member we do not emulate. */
export function strict<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(t, prop, recv) {
      if (typeof prop === 'symbol' || prop in t) return Reflect.get(t, prop, recv);
      if (prop === 'then' || prop === 'toJSON') return undefined;
      throw new Error(`not emulated: ${name}.${String(prop)}`);
    },
  });
}

/** Arrays built here are copied into the script's realm (their elements stay service objects). */
export function realmArray<T>(env: ServiceEnv, xs: T[]): T[] {
  const out = env.toRealm([]) as T[];
  for (const x of xs) out.push(x);
  return out;
}
