/**
 * The dev server's routes: method + path → handler, looked up in ROUTES (first match). Requests
 * reach them only past server.ts's Host and Origin checks. Pages are rendered by server-pages.ts.
 */
import * as http from 'http';
import type { Runtime } from './runtime';
import type { Sandbox } from './server-sandbox';
import { badRequest, json, queryParams, readBody, redirect, send } from './server-http';
import { errorPage, inboxPage, mailPage, sheetsPage, withScriptRunShim } from './server-pages';

/** What the routes share across requests. */
export interface DevApp {
  /** The runtime now (/api/reset replaces it). */
  readonly rt: Runtime;
  /** The web app's second origin: framed pages, ContentService echoes, google.script.run. */
  readonly sandbox: Sandbox;
  /** A message the next /sheets or /inbox page shows once. */
  banner: string;
  /** A fresh spreadsheet: the runtime closed, state deleted, booted again. */
  reset(): Promise<void>;
}

/** One request, as a route sees it. */
export interface RouteRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  method: string;
  /** A RegExp path's captures. */
  match: RegExpExecArray | null;
  form(): Promise<URLSearchParams>;
  bodyJson(): Promise<Record<string, unknown>>;
}

export interface Route {
  /** '*': any method (the handler answers the ones it does not take). */
  method: 'GET' | 'POST' | '*';
  /** A string matches the whole path; a RegExp's captures reach the handler. */
  path: string | RegExp;
  handle: (app: DevApp, r: RouteRequest) => Promise<void> | void;
}

export const ROUTES: Route[] = [
  { method: '*', path: '/', handle: (_app, { res }) => redirect(res, '/exec') },
  { method: '*', path: /^\/exec(\/|$)/, handle: answerExec },
  { method: '*', path: /^\/dev(\/|$)/, handle: devUrl },
  { method: 'GET', path: '/sheets', handle: sheetsView },
  { method: 'POST', path: '/sheets/edit', handle: (app, r) => editFromPage(app, r, 'edit') },
  { method: 'POST', path: '/sheets/paste', handle: (app, r) => editFromPage(app, r, 'paste') },
  { method: 'POST', path: '/sheets/run', handle: runFromPage },
  { method: 'GET', path: '/dashboard', handle: (app, r) => sidebarView(app, r, 'openDashboard') },
  { method: 'GET', path: '/setup', handle: (app, r) => sidebarView(app, r, 'openSetup') },
  { method: 'GET', path: '/messages', handle: (app, r) => sidebarView(app, r, 'openMessages') },
  { method: 'POST', path: /^\/api\/script-run\/([A-Za-z_$][\w$]*)$/, handle: scriptRunApi },
  { method: '*', path: '/mail', handle: mailView },
  { method: '*', path: '/api/mail', handle: mailApi },
  { method: 'GET', path: '/inbox', handle: inboxView },
  { method: 'POST', path: '/inbox', handle: (app, r) => deliverInbound(app, r, false) },
  { method: 'POST', path: '/api/inbox', handle: (app, r) => deliverInbound(app, r, true) },
  { method: '*', path: /^\/api\/sheets\/(.+)$/, handle: sheetApi },
  { method: 'POST', path: /^\/api\/run\/([A-Za-z_$][\w$]*)$/, handle: runApi },
  { method: 'POST', path: '/api/triggers/run', handle: runTriggersApi },
  { method: 'POST', path: '/api/reset', handle: resetApi },
];

/** The route for a request, and its path's captures; null when none matches (404). */
export function findRoute(
  method: string,
  path: string,
): { route: Route; match: RegExpExecArray | null } | null {
  for (const route of ROUTES) {
    if (route.method !== '*' && route.method !== method) continue;
    if (typeof route.path === 'string') {
      if (route.path === path) return { route, match: null };
      continue;
    }
    const match = route.path.exec(path);
    if (match) return { route, match };
  }
  return null;
}

/** /sheets: the spreadsheet as tables, and the banner (shown once). */
function sheetsView(app: DevApp, { res, url }: RouteRequest) {
  const page = sheetsPage(
    app.rt.backend,
    url.searchParams.get('tab'),
    app.banner,
    url.searchParams.get('cell'),
  );
  app.banner = '';
  return send(res, 200, 'text/html', page);
}

/**
 * /dashboard and /setup: what RSVP → Open dashboard (or Set up your event) shows in Sheets' sidebar:
 * the script runs the menu's function and the sidebar's HTML is served with a google.script.run that
 * calls this server.
 */
async function sidebarView(app: DevApp, { res }: RouteRequest, fn: string) {
  // By sequence number: the panel buffer keeps only the last 20, so its length stops growing.
  const before = app.rt.backend.panelSeq;
  const r = await app.rt.run(fn, [], { context: 'editor' });
  const panel = app.rt.backend.panels.find((p) => p.seq > before && p.kind === 'sidebar');
  if (!r.ok || !panel)
    return send(res, 500, 'text/html', errorPage(r.error?.message ?? 'No sidebar was shown.'));
  return send(res, 200, 'text/html', withScriptRunShim(panel.html), { 'X-Frame-Options': 'SAMEORIGIN' });
}

/** google.script.run from the dashboard sidebar: runs with the spreadsheet's UI, as Sheets' sidebar does. */
async function scriptRunApi(app: DevApp, { res, match, bodyJson }: RouteRequest) {
  const b = await bodyJson();
  const out = await app.rt.scriptRun(match![1], Array.isArray(b.args) ? b.args : [], 'sidebar');
  return json(res, 200, out);
}

/** /inbox: the mailbox, a form to write to it, and the banner (shown once). */
function inboxView(app: DevApp, { res }: RouteRequest) {
  const page = inboxPage(app.rt.backend, app.banner);
  app.banner = '';
  return send(res, 200, 'text/html', page);
}

/** /mail: every email sent, newest first. */
function mailView(app: DevApp, { res }: RouteRequest) {
  return send(res, 200, 'text/html', mailPage(app.rt.backend));
}

function mailApi(app: DevApp, { res }: RouteRequest) {
  return json(res, 200, app.rt.backend.mail);
}

async function resetApi(app: DevApp, { res }: RouteRequest) {
  await app.reset();
  return json(res, 200, { ok: true });
}

/** /exec: the web app (doGet/doPost), open to every origin as Google's is (see server.ts). */
async function answerExec(app: DevApp, { req, res, url, method }: RouteRequest) {
  const p = url.pathname;
  // Apps Script does not answer CORS preflight: a fetch with a JSON content type fails there too.
  if (method === 'OPTIONS') return send(res, 405, 'text/plain', 'Method not allowed');
  if (method !== 'GET' && method !== 'POST') return send(res, 405, 'text/plain', 'Method not allowed');
  const pathInfo = p.length > 6 ? decodeURIComponent(p.slice(6)) : undefined;
  const body =
    method === 'POST'
      ? { type: String(req.headers['content-type'] ?? 'text/plain'), contents: await readBody(req) }
      : undefined;
  const r = await app.rt.web(method, queryParams(url), body, pathInfo);
  const cors = { 'Access-Control-Allow-Origin': '*' };
  // Past 30 executions at once Google refuses the request; the form's script retries it.
  if (r.refused)
    return send(res, 503, 'text/plain', r.error?.message ?? 'Busy', { ...cors, 'Retry-After': '1' });
  if (!r.ok) return send(res, 500, 'text/html', errorPage(r.error?.message ?? 'Script error'), cors);
  const out = r.result as {
    __kind?: string;
    content?: string;
    title?: string;
    xframe?: string;
    mimeType?: string;
  };
  // ContentService output: a 302 to a one-time URL on the content origin, as Google answers.
  if (out?.__kind === 'text') {
    res.writeHead(302, {
      ...cors,
      Location: app.sandbox.echo(out.content ?? '', out.mimeType ?? 'text/plain'),
    });
    return void res.end();
  }
  if (out?.__kind !== 'html')
    return send(res, 500, 'text/html', errorPage('The script returned no HtmlOutput or TextOutput.'), cors);
  const content = out.content ?? '';
  const html = /<html/i.test(content)
    ? content
    : `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${out.title ?? ''}</title></head><body>${content}</body></html>`;
  // The outer page at /exec frames the script's HTML from the content origin, sandboxed.
  const shell = app.sandbox.shell(html, out.title ?? '', app.rt.backend.opts.topNavigation);
  return send(
    res,
    200,
    'text/html',
    shell,
    out.xframe === 'ALLOWALL' ? cors : { ...cors, 'X-Frame-Options': 'SAMEORIGIN' },
  );
}

/** /dev: the head deployment, which only the script's editors can open (a guest gets no page). */
function devUrl(_app: DevApp, { res }: RouteRequest) {
  return send(
    res,
    403,
    'text/html',
    errorPage(
      "You need access: this /dev link is the script's test deployment, which only its editors can open. A link a guest gets must end in /exec.",
    ),
  );
}

/** /sheets/edit (one cell) and /sheets/paste (tab-separated rows): the host typing, onEdit fires. */
async function editFromPage(app: DevApp, { res, form }: RouteRequest, kind: 'edit' | 'paste') {
  const f = await form();
  const sheet = f.get('sheet') ?? '';
  const values =
    kind === 'edit'
      ? // A browser sends a textarea's line breaks as CRLF; a cell holds LF, as Sheets stores it.
        [[(f.get('value') ?? '').replace(/\r\n?/g, '\n')]]
      : (f.get('text') ?? '')
          .replace(/\r/g, '')
          .split('\n')
          .filter((l, i, all) => l !== '' || i < all.length - 1)
          .map((l) => l.split('\t'));
  const width = Math.max(1, ...values.map((r) => r.length));
  const rect = values.map((r) => [...r, ...Array(width - r.length).fill('')]);
  try {
    const a1 = f.get('a1') ?? 'A1';
    const end = rect.length > 1 || width > 1 ? endCell(a1, rect.length, width) : '';
    const before = app.rt.backend.toasts.length;
    const runs = await app.rt.hostEdit(sheet, end ? `${a1}:${end}` : a1, rect);
    const toasts = app.rt.backend.toasts.slice(before).map((t) => t.message);
    const failed = runs.filter((r) => !r.ok).map((r) => `${r.fn} failed: ${r.error?.message}`);
    app.banner = [`Edited ${sheet}!${a1}.`, ...toasts, ...failed].join('\n');
  } catch (e) {
    app.banner = String((e as Error).message);
  }
  return redirect(
    res,
    `/sheets?tab=${encodeURIComponent(sheet)}&cell=${encodeURIComponent(f.get('a1') ?? '')}`,
  );
}

/** /sheets/run: a menu item, run as from the editor; its toasts go to the banner. */
const SIDEBAR_PAGES: Record<string, string> = {
  openDashboard: '/dashboard',
  openSetup: '/setup',
  openMessages: '/messages',
};

async function runFromPage(app: DevApp, { res, form }: RouteRequest) {
  const f = await form();
  // A menu item that opens a sidebar: the sidebar's own page (as Sheets shows it beside the sheet).
  const sidebar = SIDEBAR_PAGES[f.get('fn') ?? ''];
  if (sidebar) return redirect(res, sidebar);
  const before = app.rt.backend.toasts.length;
  const r = await app.rt.run(f.get('fn') ?? '', [], { context: 'editor' });
  const toasts = app.rt.backend.toasts.slice(before).map((t) => t.message);
  // What the host would read in Sheets: the toast (menu actions answer with one), else the sentence returned.
  const said = toasts.length ? toasts : [sentence(r.result)];
  app.banner = (r.ok ? said : [`That did not work: ${r.error?.message}`]).join('\n');
  return redirect(res, `/sheets?tab=${encodeURIComponent(f.get('tab') ?? '')}`);
}

/** /inbox (the page's form) and /api/inbox (JSON): an email a guest sends arrives in the mailbox. */
async function deliverInbound(app: DevApp, { res, form, bodyJson }: RouteRequest, isApi: boolean) {
  const f: Record<string, unknown> = isApi ? await bodyJson() : Object.fromEntries(await form());
  const headers: Record<string, string> =
    typeof f.headers === 'object' && f.headers
      ? (f.headers as Record<string, string>)
      : Object.fromEntries(
          String(f.headers ?? '')
            .split(/\r?\n/)
            .map((l) => l.match(/^([^:]+):\s*(.*)$/))
            .filter((m): m is RegExpMatchArray => !!m)
            .map((m) => [m[1].trim(), m[2].trim()]),
        );
  const m = app.rt.backend.deliverMail(
    {
      from: String(f.from ?? ''),
      // Guests reply to the invite's Reply-To: the owner's +rsvp address unless Settings say otherwise.
      to: String(f.to || app.rt.backend.opts.owner.replace('@', '+rsvp@')),
      subject: String(f.subject ?? ''),
      plainBody: String(f.body ?? ''),
      headers,
      ...(f.date ? { date: Number(f.date) } : {}),
    },
    {
      threadId: f.threadId ? String(f.threadId) : undefined,
      inReplyTo: f.inReplyTo ? String(f.inReplyTo) : undefined,
    },
  );
  if (isApi) return json(res, 200, { id: m.id, threadId: m.threadId });
  app.banner = `Delivered message ${m.id} in thread ${m.threadId}.`;
  return redirect(res, '/inbox');
}

/** /api/sheets/<name>: GET its values; POST {a1, values} edits as the host (onEdit fires). */
async function sheetApi(app: DevApp, { res, method, match, bodyJson }: RouteRequest) {
  const name = decodeURIComponent(match![1]);
  if (!app.rt.backend.ss.byName(name)) return json(res, 404, { error: `no sheet named ${name}` });
  if (method === 'GET') return json(res, 200, { values: app.rt.backend.sheetValues(name) });
  if (method !== 'POST') return send(res, 405, 'text/plain', 'Method not allowed');
  const b = await bodyJson();
  const values = b.values as unknown[][];
  if (
    !Array.isArray(values) ||
    !values.length ||
    !values.every((r) => Array.isArray(r) && r.length === values[0].length && r.length)
  )
    throw badRequest('"values" must be rows of cells, every row as long as the first: [["a", 1], ["b", 2]].');
  const a1 = String(b.a1 ?? 'A1');
  if (!/^[A-Za-z]{1,3}\d{1,7}$/.test(a1.trim()))
    throw badRequest(`"a1" must be a cell like B7 (got "${a1}").`);
  const end =
    values.length > 1 || (values[0]?.length ?? 1) > 1 ? endCell(a1, values.length, values[0].length) : '';
  const runs = await app.rt.hostEdit(name, end ? `${a1}:${end}` : a1, values);
  return json(res, 200, {
    ok: true,
    triggers: runs.map((r) => ({ fn: r.fn, ok: r.ok, error: r.error?.message })),
  });
}

/** /api/run/<function>: one execution, as from the editor. */
async function runApi(app: DevApp, { res, match, bodyJson }: RouteRequest) {
  const b = await bodyJson();
  const r = await app.rt.run(match![1], Array.isArray(b.args) ? b.args : [], { context: 'editor' });
  return json(res, 200, { ok: r.ok, result: r.result, error: r.error?.message ?? null, logs: r.logs });
}

/** /api/triggers/run: the time triggers due now (or at `now`). */
async function runTriggersApi(app: DevApp, { res, bodyJson }: RouteRequest) {
  const b = await bodyJson();
  const runs = await app.rt.runDueTriggers(typeof b.now === 'number' ? b.now : undefined);
  return json(
    res,
    200,
    runs.map((r) => ({ fn: r.fn, ok: r.ok, error: r.error?.message ?? null })),
  );
}

/** A menu function's return value as the host would want to read it. */
function sentence(result: unknown): string {
  if (typeof result === 'string' && result) return result;
  const r = result as { sent?: number; queued?: number; failed?: number } | null;
  if (r && typeof r.sent === 'number')
    return `Emails: ${r.sent} sent, ${r.queued ?? 0} still queued, ${r.failed ?? 0} failed.`;
  return 'Done.';
}

/** "B7" + 3 rows × 2 columns → "C9". */
function endCell(a1: string, rows: number, cols: number): string {
  const m = /^([A-Za-z]+)(\d+)$/.exec(a1.trim());
  if (!m) throw new Error(`"${a1}" is not a cell like B7`);
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  col += cols - 1;
  let letters = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${Number(m[2]) + rows - 1}`;
}
