/** CacheService: one cache with expiry, size limits, and Google's best-effort eviction. */
import type { Backend } from './core';
import { GasError } from './errors';
import type { Handlers } from './types';
import { bytes } from './units';

export function cacheHandlers(b: Backend): Handlers {
  return {
    'cache.get': (_ex, key: string) => cacheGet(b, key),
    'cache.getAll': (_ex, keys: string[]) => {
      const out: Record<string, string> = {};
      for (const k of keys) {
        const v = cacheGet(b, k);
        if (v !== null) out[k] = v;
      }
      return out;
    },
    'cache.put': (_ex, key: string, value: string, ttl?: number) => cachePut(b, key, value, ttl),
    'cache.putAll': (_ex, values: Record<string, string>, ttl?: number) => {
      for (const [k, v] of Object.entries(values)) cachePut(b, k, v, ttl);
    },
    'cache.remove': (_ex, key: string) => void b.cache.delete(key),
    'cache.removeAll': (_ex, keys: string[]) => keys.forEach((k) => b.cache.delete(k)),
  };
}

function cacheGet(b: Backend, key: string): string | null {
  const e = b.cache.get(key);
  if (!e) return null;
  // Best effort, as Google's is: an entry may be gone before it expires (seeded, virtual clock).
  if (b.sim && b.opts.cacheEviction > 0 && b.sim.random() < b.opts.cacheEviction) {
    b.cache.delete(key);
    return null;
  }
  if (e.expiresAt <= b.now()) {
    b.cache.delete(key);
    return null;
  }
  return e.value;
}

function cachePut(b: Backend, key: string, value: string, ttl = 600): void {
  if (String(key).length > 250) throw new GasError('Argument too large: key');
  if (bytes(String(value)) > 100 * 1024) throw new GasError('Argument too large: value');
  const secs = Math.min(21600, Math.max(1, Number(ttl)));
  b.cache.set(key, { value: String(value), expiresAt: b.now() + secs * 1000 });
  if (b.cache.size > CACHE_MAX_ITEMS) trim(b);
}

/**
 * "The maximum number of items that can be stored in the cache is 1000. If more than 1000 items are
 * written, the cache stores the 900 items farthest from expiration" (Cache class reference).
 */
export const CACHE_MAX_ITEMS = 1000;
const CACHE_KEEP_ITEMS = 900;

function trim(b: Backend): void {
  const now = b.now();
  for (const [k, e] of b.cache) if (e.expiresAt <= now) b.cache.delete(k);
  if (b.cache.size <= CACHE_MAX_ITEMS) return;
  const drop = [...b.cache]
    .sort((x, y) => x[1].expiresAt - y[1].expiresAt)
    .slice(0, b.cache.size - CACHE_KEEP_ITEMS);
  for (const [k] of drop) b.cache.delete(k);
}
