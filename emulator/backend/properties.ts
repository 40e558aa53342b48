/** PropertiesService: the script, user and document stores, their size limits and daily quota. */
import type { Backend } from './core';
import { ERR, GasError } from './errors';
import type { Handlers } from './types';
import { DAY, bytes } from './units';

const MAX_PROPERTY_VALUE = 9 * 1024;
const MAX_PROPERTY_STORE = 500 * 1024;

export function propertiesHandlers(b: Backend): Handlers {
  return {
    'props.get': (_ex, store: string, key: string) => storeOf(b, store)[key] ?? null,
    'props.getAll': (_ex, store: string) => ({ ...storeOf(b, store) }),
    'props.keys': (_ex, store: string) => Object.keys(storeOf(b, store)),
    'props.set': (_ex, store: string, key: string, value: string) =>
      setProps(b, store, { [key]: value }, false),
    'props.setAll': (_ex, store: string, values: Record<string, string>, deleteOthers: boolean) =>
      setProps(b, store, values, deleteOthers),
    'props.delete': (_ex, store: string, key: string) => {
      delete storeOf(b, store)[key];
      b.scheduleSave();
    },
    'props.deleteAll': (_ex, store: string) => {
      const s = storeOf(b, store);
      for (const k of Object.keys(s)) delete s[k];
      b.scheduleSave();
    },
  };
}

/** Properties reads and writes per day (50,000 on a consumer account). */
export function chargeProps(b: Backend): void {
  const now = b.now();
  if (!b.quota.propsWindowStart || now - b.quota.propsWindowStart >= DAY)
    b.quota = { ...b.quota, propsUsed: 0, propsWindowStart: now };
  if ((b.quota.propsUsed ?? 0) >= b.opts.propertyOpsPerDay) throw new GasError(ERR.propsQuota);
  b.quota.propsUsed = (b.quota.propsUsed ?? 0) + 1;
}

function storeOf(b: Backend, name: string): Record<string, string> {
  if (name === 'script') return b.scriptProperties;
  if (name === 'user') return b.userProperties;
  if (name === 'document') return b.documentProperties;
  throw new GasError(`not emulated: properties store ${name}`);
}

function setProps(b: Backend, store: string, values: Record<string, string>, deleteOthers: boolean): void {
  const s = storeOf(b, store);
  const next = deleteOthers ? {} : { ...s };
  for (const [k, v] of Object.entries(values)) {
    const str = String(v);
    if (bytes(str) > MAX_PROPERTY_VALUE) throw new GasError('Argument too large: value');
    next[k] = str;
  }
  // The limits are in bytes: a value in Greek or emoji takes two to four per character.
  const total = Object.entries(next).reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0);
  if (total > MAX_PROPERTY_STORE) {
    throw new GasError(
      'You have exceeded the property storage quota. Please remove some properties and try again.',
    );
  }
  for (const k of Object.keys(s)) delete s[k];
  Object.assign(s, next);
  b.scheduleSave();
}
