/**
 * UrlFetchApp. The emulator has no network: the one address it answers is the project's own web
 * app (ScriptApp.getService().getUrl()), which runs doGet/doPost as a new execution, as a fetch of a
 * deployed /exec does on Google (the 302 to googleusercontent.com is followed by default). Any other
 * address fails as an unreachable one does.
 */
import type { Backend } from './core';
import { ERR, GasError } from './errors';
import type { ExecState, Handlers } from './types';

export interface FetchParams {
  method?: string;
  payload?: string;
  contentType?: string;
  muteHttpExceptions?: boolean;
  followRedirects?: boolean;
}

/** A request the web app answers: the runtime runs it (Backend.webApp). */
export interface WebAppRequest {
  method: 'GET' | 'POST';
  params: Record<string, string[]>;
  body?: { type: string; contents: string };
}

export interface FetchResponse {
  code: number;
  contentType: string;
  body: string;
}

/** The web app request a fetch makes, or Google's error for a bad or unreachable address. */
export function webAppRequest(b: Backend, url: unknown, p: FetchParams = {}): WebAppRequest {
  if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+/i.test(url))
    throw new GasError(ERR.badUrl(String(url)));
  const own = b.opts.url;
  const u = new URL(url);
  if (!own || `${u.origin}${u.pathname}` !== own.replace(/\?.*$/, ''))
    throw new GasError(ERR.unreachable(url));
  const params: Record<string, string[]> = Object.create(null);
  for (const [k, v] of u.searchParams) (params[k] ??= []).push(v);
  const method = String(p.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
  return {
    method,
    params,
    body:
      method === 'POST'
        ? {
            type: p.contentType ?? 'application/x-www-form-urlencoded',
            contents: String(p.payload ?? ''),
          }
        : undefined,
  };
}

/** The answer, or Google's error for a 4xx/5xx when muteHttpExceptions is not set. */
export function fetchAnswer(url: string, p: FetchParams = {}, r: FetchResponse): FetchResponse {
  if (r.code >= 400 && !p.muteHttpExceptions) throw new GasError(ERR.fetchFailed(url, r.code, r.body));
  return r;
}

export function urlFetchHandlers(b: Backend): Handlers {
  return {
    // Real clock: the web app runs as its own execution while this call waits for it.
    'urlfetch.fetch': (_ex: ExecState, url: string, p?: FetchParams) => {
      const req = webAppRequest(b, url, p);
      if (!b.webApp) throw new GasError(ERR.unreachable(url));
      return new Promise<FetchResponse>((resolve) => b.webApp!(req, resolve)).then((r) =>
        fetchAnswer(url, p, r),
      );
    },
  };
}
