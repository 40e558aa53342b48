/**
 * The shell Google puts around a web app, on the dev server. On Google:
 * - GET /exec answers an outer page on script.google.com that frames the script's HTML from another
 *   origin (*.googleusercontent.com) in a sandboxed iframe; the page gets google.script.run, which runs
 *   any top-level function not ending in `_` as a new web-app execution (HTML Service: Communicate with
 *   Server Functions; HTML Service: Restrictions).
 * - ContentService output answers with a 302 to a one-time URL on script.googleusercontent.com,
 *   which carries Access-Control-Allow-Origin: * (Content Service guide: "Redirects").
 * Here the second origin is a second port on 127.0.0.1, so the browser enforces the same boundaries.
 */
import * as crypto from 'crypto';
import * as http from 'http';
import type { Runtime } from './runtime';
import { readBody, send } from './server-http';
import { esc, withScriptRunShim } from './server-pages';

/**
 * Google's sandbox for a web app's frame. Top navigation on a click is allowed only for standalone
 * scripts (Restrictions guide); a bound script's pages cannot navigate the top window.
 */
export function sandboxFlags(topNavigation: 'allow' | 'forbid'): string {
  const base = [
    'allow-downloads',
    'allow-forms',
    'allow-modals',
    'allow-popups',
    'allow-popups-to-escape-sandbox',
    'allow-same-origin',
    'allow-scripts',
  ];
  return [...base, ...(topNavigation === 'allow' ? ['allow-top-navigation-by-user-activation'] : [])].join(
    ' ',
  );
}

interface Held {
  body: string;
  type: string;
  /** An echo URL answers once; a frame's page may be reloaded while its outer page lives. */
  once: boolean;
}

/** Outputs waiting to be fetched from the content origin, by key (the oldest dropped past a bound). */
class Holder {
  private items = new Map<string, Held>();
  put(h: Held): string {
    const key = crypto.randomBytes(18).toString('base64url');
    this.items.set(key, h);
    while (this.items.size > 2000) this.items.delete(this.items.keys().next().value as string);
    return key;
  }
  take(key: string): Held | null {
    const h = this.items.get(key) ?? null;
    if (h?.once) this.items.delete(key);
    return h;
  }
}

export interface Sandbox {
  /** The content origin, e.g. http://127.0.0.1:43123. */
  origin: string;
  /** The outer page for an HtmlOutput: the page at /exec. */
  shell(html: string, title: string, topNavigation: 'allow' | 'forbid'): string;
  /** Where a ContentService answer is fetched from (the 302's Location). */
  echo(body: string, type: string): string;
  close(): Promise<void>;
}

/** The content origin's server: the framed pages, the echo URLs and google.script.run. */
export async function startSandbox(runtime: () => Runtime, ready: () => Promise<void>): Promise<Sandbox> {
  const held = new Holder();
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  server.on('request', (req, res) => {
    ready()
      .then(() => answer(req, res))
      .catch((e: Error & { status?: number }) => {
        if (!res.headersSent) send(res, e.status ?? 500, 'text/plain', String(e.message));
      });
  });

  const answer = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.headers.host !== `127.0.0.1:${port}`) return send(res, 421, 'text/plain', 'Wrong host.');
    const u = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && u.pathname === '/userCodeAppPanel') {
      const h = held.take(u.searchParams.get('k') ?? '');
      if (!h) return send(res, 404, 'text/html', '<p>This page has expired: load the form again.</p>');
      // Framed only by the outer page (frame-ancestors), as Google's user-content frame is.
      return send(res, 200, 'text/html', h.body, { 'Content-Security-Policy': 'frame-ancestors *' });
    }
    if (req.method === 'GET' && u.pathname === '/macros/echo') {
      const h = held.take(u.searchParams.get('user_content_key') ?? '');
      if (!h) return send(res, 404, 'text/html', '<p>Sorry, the file you have requested does not exist.</p>');
      return send(res, 200, h.type, h.body, { 'Access-Control-Allow-Origin': '*' });
    }
    const run = /^\/api\/webapp-run\/([A-Za-z_$][\w$]*)$/.exec(u.pathname);
    if (req.method === 'POST' && run) {
      // Only the framed page itself calls this (its own origin); another site's page cannot send JSON
      // here without a CORS preflight, which this server never answers.
      if (req.headers.origin !== origin || !/^application\/json/i.test(req.headers['content-type'] ?? ''))
        return send(res, 403, 'text/plain', 'Refused: google.script.run is called from the web app page.');
      let args: unknown[] = [];
      try {
        const b = JSON.parse((await readBody(req)) || '{}') as { args?: unknown };
        if (Array.isArray(b.args)) args = b.args;
      } catch {
        return send(res, 400, 'text/plain', 'The body is not JSON.');
      }
      const out = await runtime().scriptRun(run[1], args, 'webapp');
      return send(res, 200, 'application/json', JSON.stringify(out));
    }
    return send(res, 404, 'text/plain', 'Not found');
  };

  return {
    origin,
    shell(html, title, topNavigation) {
      const key = held.put({
        body: withScriptRunShim(html, '/api/webapp-run/'),
        type: 'text/html',
        once: false,
      });
      return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>html,body{margin:0;height:100%;overflow:hidden}iframe{border:0;width:100%;height:100%;display:block}</style></head>
<body><iframe id="sandboxFrame" title="${esc(title)}" sandbox="${sandboxFlags(topNavigation)}" allow="clipboard-write" src="${origin}/userCodeAppPanel?k=${key}"></iframe></body></html>`;
    },
    echo(body, type) {
      return `${origin}/macros/echo?user_content_key=${held.put({ body, type, once: true })}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
