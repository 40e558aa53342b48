/** UrlFetchApp.fetch: one round trip; the answer is an HTTPResponse (see backend/urlfetch.ts). */
import { ServiceEnv, strict } from './env';

export function urlFetchApp(env: ServiceEnv) {
  const { rpc } = env;
  return strict('UrlFetchApp', {
    fetch: (url: string, params?: Record<string, unknown>) => {
      const p = params ?? {};
      const r = rpc('urlfetch.fetch', url, {
        method: p.method,
        payload: p.payload === undefined ? undefined : String(p.payload),
        contentType: p.contentType,
        muteHttpExceptions: !!p.muteHttpExceptions,
        followRedirects: p.followRedirects !== false,
      }) as { code: number; contentType: string; body: string };
      return strict('HTTPResponse', {
        getResponseCode: () => r.code,
        getContentText: () => r.body,
        getHeaders: () => env.toRealm({ 'Content-Type': r.contentType }),
      });
    },
  });
}
