/**
 * The dev server behind `npm start`: the built bundle on the emulator, over HTTP. Each request is
 * its own execution, and concurrent requests run concurrently (the runtime's worker pool).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { Backend, BackendOptions } from './backend';
import { Runtime, WebParams, projectRoot } from './runtime';
import { errorPage, inboxPage, mailPage, sheetsPage } from './server-pages';

export interface ServerOptions {
  port: number;
  /** Where state.json lives; null keeps everything in memory. */
  dataDir?: string | null;
  fresh?: boolean;
  quiet?: boolean;
  backendOptions?: BackendOptions;
  /** Called once the port is open, before the runtime has booted (tests). */
  onListening?: (url: string) => void;
}

export interface DevServer {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function queryParams(u: URL): WebParams {
  // No prototype: a parameter named __proto__ or constructor is an ordinary parameter.
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of u.searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function send(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

const json = (res: http.ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json', JSON.stringify(value, null, 1));

const redirect = (res: http.ServerResponse, to: string) => {
  res.writeHead(303, { Location: to });
  res.end();
};

/**
 * The dev server is a local tool: it binds to 127.0.0.1, and it answers only requests addressed to
 * this machine by name. A page on another site that points its own domain at 127.0.0.1 (DNS
 * rebinding) sends its own name in Host, and is refused, so it cannot read /api/mail.
 */
export function localHost(host: string | undefined, port: number): boolean {
  const h = (host ?? '').trim().toLowerCase();
  const names = ['localhost', '127.0.0.1', '[::1]'];
  return names.some((n) => h === `${n}:${port}` || (port === 80 && h === n));
}

/** The origins of this server's own pages. */
export function localOrigin(origin: string | undefined, port: number): boolean {
  if (!origin) return false;
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && u.origin === origin && localHost(u.host || u.hostname, port);
  } catch {
    return false;
  }
}

const isJson = (type: string | undefined) => /^application\/json\s*(;|$)/i.test((type ?? '').trim());

/**
 * A request that can change state (anything but GET/HEAD outside /exec) must come from this
 * server's own pages (a same-origin Origin) or carry a JSON body with no foreign Origin. A page on
 * another site can send a form or text/plain POST without asking, but not a JSON one (that needs a
 * CORS preflight, which this server refuses), and its Origin is its own.
 */
export function mayChangeState(headers: http.IncomingHttpHeaders, port: number): boolean {
  const origin = headers.origin;
  if (origin !== undefined) return localOrigin(origin, port);
  return isJson(headers['content-type']);
}

export async function startServer(opts: ServerOptions): Promise<DevServer> {
  const root = projectRoot();
  const dataFile = opts.dataDir ? path.join(opts.dataDir, 'state.json') : undefined;
  if (dataFile && opts.fresh) fs.rmSync(dataFile, { force: true });
  // A save cut short (the process killed while writing) leaves its temp file: state.json is whole.
  if (opts.dataDir && fs.existsSync(opts.dataDir)) {
    for (const f of fs.readdirSync(opts.dataDir))
      if (/^state\.json\..+\.tmp$/.test(f)) fs.rmSync(path.join(opts.dataDir, f), { force: true });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'appsscript.json'), 'utf8')) as {
    timeZone: string;
  };
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(opts.port, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const url = `http://localhost:${port}`;
  const log = (line: string) => opts.quiet || console.log(line);

  let rt: Runtime;
  let banner = '';
  // Requests that arrive while the runtime boots wait for it (and get their answer).
  let booted: () => void = () => undefined;
  let ready = new Promise<void>((r) => (booted = r));
  const boot = async () => {
    const isNew = !dataFile || !fs.existsSync(dataFile);
    // People click in real time here; tests, bench and the simulator use the virtual clock.
    const backend = new Backend({
      clock: 'real',
      timeZone: manifest.timeZone,
      ...opts.backendOptions,
      url: `${url}/exec`,
      dataFile,
    });
    rt = new Runtime({ backend });
    if (isNew && rt.hasFunction('setUp')) {
      const r = await rt.run('setUp', [], { context: 'editor' });
      log(
        r.ok
          ? `set up a fresh spreadsheet: ${String(r.result).split('\n')[0]}`
          : `setUp failed: ${r.error?.message}`,
      );
    }
    if (rt.hasFunction('onOpen')) await rt.run('onOpen', [], { context: 'simple' });
    backend.saveNow();
  };
  const routes = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!localHost(req.headers.host, port)) {
      return send(
        res,
        421,
        'text/plain',
        `This is a local development server: it answers to localhost, 127.0.0.1 or [::1] on port ${port} only.`,
      );
    }
    const u = new URL(req.url ?? '/', url);
    const p = u.pathname;
    const method = req.method ?? 'GET';
    const isExec = p === '/exec' || p.startsWith('/exec/');
    // /exec stays open to every origin, like Google's; everything else is the host's own tool.
    if (!isExec && method !== 'GET' && method !== 'HEAD' && !mayChangeState(req.headers, port)) {
      return send(
        res,
        403,
        'text/plain',
        'Refused: changes come from this server’s own pages or as JSON (application/json) from a script.',
      );
    }
    const form = async () => new URLSearchParams(await readBody(req));
    const bodyJson = async () => {
      const text = await readBody(req);
      return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    };

    if (p === '/') return redirect(res, '/exec');
    if (isExec) {
      // Apps Script does not answer CORS preflight: a fetch with a JSON content type fails there too.
      if (method === 'OPTIONS') return send(res, 405, 'text/plain', 'Method not allowed');
      if (method !== 'GET' && method !== 'POST') return send(res, 405, 'text/plain', 'Method not allowed');
      const pathInfo = p.length > 6 ? decodeURIComponent(p.slice(6)) : undefined;
      const body =
        method === 'POST'
          ? { type: String(req.headers['content-type'] ?? 'text/plain'), contents: await readBody(req) }
          : undefined;
      const r = await rt.web(method, queryParams(u), body, pathInfo);
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
      if (out?.__kind === 'text')
        return send(res, 200, out.mimeType ?? 'text/plain', out.content ?? '', cors);
      if (out?.__kind !== 'html')
        return send(
          res,
          500,
          'text/html',
          errorPage('The script returned no HtmlOutput or TextOutput.'),
          cors,
        );
      const content = out.content ?? '';
      const html = /<html/i.test(content)
        ? content
        : `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${out.title ?? ''}</title></head><body>${content}</body></html>`;
      return send(
        res,
        200,
        'text/html',
        html,
        out.xframe === 'ALLOWALL' ? cors : { ...cors, 'X-Frame-Options': 'SAMEORIGIN' },
      );
    }
    if (p === '/sheets' && method === 'GET') {
      const page = sheetsPage(rt.backend, u.searchParams.get('tab'), banner);
      banner = '';
      return send(res, 200, 'text/html', page);
    }
    if ((p === '/sheets/edit' || p === '/sheets/paste') && method === 'POST') {
      const f = await form();
      const sheet = f.get('sheet') ?? '';
      const values =
        p === '/sheets/edit'
          ? [[f.get('value') ?? '']]
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
        const runs = await rt.hostEdit(sheet, end ? `${a1}:${end}` : a1, rect);
        banner = runs.map((r) => `${r.fn}: ${r.ok ? 'ok' : r.error?.message}`).join('\n');
      } catch (e) {
        banner = String((e as Error).message);
      }
      return redirect(res, `/sheets?tab=${encodeURIComponent(sheet)}`);
    }
    if (p === '/sheets/run' && method === 'POST') {
      const f = await form();
      const before = rt.backend.toasts.length;
      const r = await rt.run(f.get('fn') ?? '', [], { context: 'editor' });
      const toasts = rt.backend.toasts.slice(before).map((t) => t.message);
      banner = [r.ok ? `${f.get('fn')}: done` : `${f.get('fn')} failed: ${r.error?.message}`, ...toasts].join(
        '\n',
      );
      return redirect(res, `/sheets?tab=${encodeURIComponent(f.get('tab') ?? '')}`);
    }
    if (p === '/mail') return send(res, 200, 'text/html', mailPage(rt.backend));
    if (p === '/api/mail') return json(res, 200, rt.backend.mail);
    if (p === '/inbox' && method === 'GET') {
      const page = inboxPage(rt.backend, banner);
      banner = '';
      return send(res, 200, 'text/html', page);
    }
    if ((p === '/inbox' || p === '/api/inbox') && method === 'POST') {
      const isApi = p === '/api/inbox';
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
      const m = rt.backend.deliverMail(
        {
          from: String(f.from ?? ''),
          // Guests reply to the invite's Reply-To: the owner's +rsvp address unless Settings say otherwise.
          to: String(f.to || rt.backend.opts.owner.replace('@', '+rsvp@')),
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
      banner = `Delivered message ${m.id} in thread ${m.threadId}.`;
      return redirect(res, '/inbox');
    }
    const sheetApi = /^\/api\/sheets\/(.+)$/.exec(p);
    if (sheetApi) {
      const name = decodeURIComponent(sheetApi[1]);
      if (!rt.backend.ss.byName(name)) return json(res, 404, { error: `no sheet named ${name}` });
      if (method === 'GET') return json(res, 200, { values: rt.backend.sheetValues(name) });
      if (method !== 'POST') return send(res, 405, 'text/plain', 'Method not allowed');
      const b = await bodyJson();
      const values = b.values as unknown[][];
      const a1 = String(b.a1 ?? 'A1');
      const end =
        values.length > 1 || (values[0]?.length ?? 1) > 1 ? endCell(a1, values.length, values[0].length) : '';
      const runs = await rt.hostEdit(name, end ? `${a1}:${end}` : a1, values);
      return json(res, 200, {
        ok: true,
        triggers: runs.map((r) => ({ fn: r.fn, ok: r.ok, error: r.error?.message })),
      });
    }
    const run = /^\/api\/run\/([A-Za-z_$][\w$]*)$/.exec(p);
    if (run && method === 'POST') {
      const b = await bodyJson();
      const r = await rt.run(run[1], Array.isArray(b.args) ? b.args : [], { context: 'editor' });
      return json(res, 200, { ok: r.ok, result: r.result, error: r.error?.message ?? null, logs: r.logs });
    }
    if (p === '/api/triggers/run' && method === 'POST') {
      const b = await bodyJson();
      const runs = await rt.runDueTriggers(typeof b.now === 'number' ? b.now : undefined);
      return json(
        res,
        200,
        runs.map((r) => ({ fn: r.fn, ok: r.ok, error: r.error?.message ?? null })),
      );
    }
    if (p === '/api/reset' && method === 'POST') {
      await rt.close();
      if (dataFile) fs.rmSync(dataFile, { force: true });
      ready = new Promise<void>((r) => (booted = r));
      await boot();
      booted();
      return json(res, 200, { ok: true });
    }
    return send(res, 404, 'text/plain', 'Not found');
  };

  server.on('request', (req, res) => {
    // An answer is durable: whatever it reports (a confirmed seat) is on disk before it is sent.
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => http.ServerResponse;
    res.writeHead = ((...a: unknown[]) => {
      if (rt?.backend.dirty) rt.backend.saveNow();
      return writeHead(...a);
    }) as typeof res.writeHead;
    ready
      .then(() => routes(req, res))
      .catch((e: Error & { status?: number }) => {
        if (!res.headersSent) send(res, e.status ?? 500, 'text/plain', String(e.message));
      });
  });
  opts.onListening?.(url);
  await boot();
  booted();

  const codeFile = path.join(root, 'dist', 'Code.js');
  const watcher = () => {
    rt.reload();
    log('dist/Code.js changed: loaded the new build');
  };
  fs.watchFile(codeFile, { interval: 1000 }, watcher);

  return {
    url,
    get runtime() {
      return rt;
    },
    async close() {
      fs.unwatchFile(codeFile, watcher);
      rt.backend.saveNow();
      await rt.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
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

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const port = Number(arg('port') ?? process.env.PORT ?? 8080);
  const dataDir = arg('data') ?? path.join(projectRoot(), 'data');
  // --refuse: past 30 executions at once, refuse (503) as Google does, instead of queueing.
  const overflow = args.includes('--refuse') ? ('refuse' as const) : ('queue' as const);
  startServer({ port, dataDir, fresh: args.includes('--fresh'), backendOptions: { overflow } })
    .then((s) => {
      console.log(
        `\nsheet-rsvp is running on the local Apps Script emulator (state: ${dataDir}/state.json)\n`,
      );
      console.log(`  sign-up form  ${s.url}/exec`);
      console.log(`  spreadsheet   ${s.url}/sheets`);
      console.log(`  mail sent     ${s.url}/mail`);
      console.log(`  inbox         ${s.url}/inbox\n`);
      const stop = () => {
        void s.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
