/** PropertiesService (script, user and document stores) and CacheService (one cache for all three). */
import { ServiceEnv, strict } from './env';

export function propertiesService(env: ServiceEnv) {
  const { rpc } = env;
  const props = (store: string) => {
    const p = {
      getProperty: (k: string) => rpc('props.get', store, k),
      getProperties: () => rpc('props.getAll', store),
      getKeys: () => rpc('props.keys', store),
      setProperty: (k: string, v: string) => (rpc('props.set', store, k, String(v)), p),
      setProperties: (o: Record<string, string>, del?: boolean) => (rpc('props.setAll', store, o, !!del), p),
      deleteProperty: (k: string) => (rpc('props.delete', store, k), p),
      deleteAllProperties: () => (rpc('props.deleteAll', store), p),
    };
    return strict('Properties', p);
  };
  return strict('PropertiesService', {
    getScriptProperties: () => props('script'),
    getUserProperties: () => props('user'),
    getDocumentProperties: () => props('document'),
  });
}

export function cacheService(env: ServiceEnv) {
  const { rpc } = env;
  const cache = strict('Cache', {
    get: (k: string) => rpc('cache.get', k),
    getAll: (ks: string[]) => rpc('cache.getAll', ks),
    // put and remove answer null on Google (gas-fakes, checked on live Apps Script), not undefined.
    put: (k: string, v: string, ttl?: number) => (rpc('cache.put', k, String(v), ttl), null),
    putAll: (o: Record<string, string>, ttl?: number) => void rpc('cache.putAll', o, ttl),
    remove: (k: string) => (rpc('cache.remove', k), null),
    removeAll: (ks: string[]) => void rpc('cache.removeAll', ks),
  });
  return strict('CacheService', {
    getScriptCache: () => cache,
    getDocumentCache: () => cache,
    getUserCache: () => cache,
  });
}
