/**
 * The dev server behind `npm start`: the built bundle on the emulator, over HTTP. Each request is
 * its own execution, and concurrent requests run concurrently (the runtime's worker pool).
 * This file: boot and reset, the Host and Origin checks every request passes first, and saving
 * before each answer. The routes are a table in server-routes.ts, the pages in server-pages.ts.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { Backend, BackendOptions } from './backend';
import { Runtime, projectRoot } from './runtime';
import { badRequest, readBody, send } from './server-http';
import { DevApp, RouteRequest, findRoute } from './server-routes';
import { startSandbox } from './server-sandbox';

export interface ServerOptions {
  port: number;
  /** Where state.json lives; null keeps everything in memory. */
  dataDir?: string | null;
  fresh?: boolean;
  quiet?: boolean;
  backendOptions?: BackendOptions;
  /**
   * Run the installed time triggers when they are due on this machine's clock, as Google's scheduler
   * does (npm start). Off by default: tests move time themselves (POST /api/triggers/run).
   */
  schedule?: boolean | { everyMs: number };
  /**
   * The built copy to run (default dist/): `npm start -- --bundle dist/paste` runs the single Code.gs
   * a host pastes into Apps Script, HTML inlined.
   */
  distDir?: string;
  /** Called once the port is open, before the runtime has booted (tests). */
  onListening?: (url: string) => void;
}

export interface DevServer {
  url: string;
  /** The web app's content origin (the framed pages, ContentService answers). */
  contentOrigin: string;
  runtime: Runtime;
  close(): Promise<void>;
}

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

/**
 * Google's scheduler, on the real clock: every 15 s, the installed time triggers that are due run
 * (one round at a time; a round still running is not overlapped by the next).
 */
function startScheduler(runtime: () => Runtime, log: (m: string) => void, everyMs: number) {
  let round: Promise<void> | null = null;
  const tick = () => {
    if (round) return;
    round = runtime()
      .runDueTriggers()
      .then((runs) => {
        for (const r of runs) if (!r.ok) log(`trigger ${r.fn} failed: ${r.error?.message ?? ''}`);
      })
      .catch((e: Error) => log(`trigger round failed: ${e.message}`))
      .finally(() => (round = null));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await round;
    },
  };
}

export async function startServer(opts: ServerOptions): Promise<DevServer> {
  const root = projectRoot();
  const distDir = path.resolve(root, opts.distDir ?? 'dist');
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
    rt = new Runtime({ backend, distDir });
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
  const sandbox = await startSandbox(
    () => rt,
    () => ready,
  );
  const app: DevApp = {
    get rt() {
      return rt;
    },
    sandbox,
    banner: '',
    async reset() {
      await rt.close();
      if (dataFile) fs.rmSync(dataFile, { force: true });
      ready = new Promise<void>((r) => (booted = r));
      await boot();
      booted();
    },
  };
  const dispatch = async (req: http.IncomingMessage, res: http.ServerResponse) => {
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
    // HEAD is answered as GET (Node sends no body for HEAD); /exec sees HEAD as Google's does: 405.
    const found = findRoute(method === 'HEAD' && !isExec ? 'GET' : method, p);
    if (!found) return send(res, 404, 'text/plain', 'Not found');
    const r: RouteRequest = {
      req,
      res,
      url: u,
      method,
      match: found.match,
      form: async () => new URLSearchParams(await readBody(req)),
      bodyJson: async () => {
        const text = await readBody(req);
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          throw badRequest('The body is not JSON.');
        }
        if (!body || typeof body !== 'object' || Array.isArray(body))
          throw badRequest('The body must be a JSON object.');
        return body as Record<string, unknown>;
      },
    };
    return found.route.handle(app, r);
  };

  server.on('request', (req, res) => {
    // An answer is durable: whatever it reports (a confirmed seat) is on disk before it is sent.
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => http.ServerResponse;
    res.writeHead = ((...a: unknown[]) => {
      if (rt?.backend.dirty) rt.backend.saveNow();
      return writeHead(...a);
    }) as typeof res.writeHead;
    ready
      .then(() => dispatch(req, res))
      .catch((e: Error & { status?: number }) => {
        if (!res.headersSent) send(res, e.status ?? 500, 'text/plain', String(e.message));
      });
  });
  opts.onListening?.(url);
  await boot();
  booted();

  const codeFile = ['Code.js', 'Code.gs'].map((f) => path.join(distDir, f)).find((f) => fs.existsSync(f))!;
  const watcher = () => {
    rt.reload(distDir);
    log(`${path.relative(root, codeFile)} changed: loaded the new build`);
  };
  fs.watchFile(codeFile, { interval: 1000 }, watcher);
  const scheduler = opts.schedule
    ? startScheduler(() => rt, log, opts.schedule === true ? 15_000 : opts.schedule.everyMs)
    : null;

  return {
    url,
    contentOrigin: sandbox.origin,
    get runtime() {
      return rt;
    },
    async close() {
      fs.unwatchFile(codeFile, watcher);
      await scheduler?.stop();
      rt.backend.saveNow();
      await rt.close();
      await sandbox.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
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
  startServer({
    port,
    dataDir,
    fresh: args.includes('--fresh'),
    // --bundle dist/paste: the one-file copy a host pastes (HTML inlined), instead of dist/.
    distDir: arg('bundle'),
    backendOptions: { overflow },
    // --no-triggers: leave the time triggers to POST /api/triggers/run.
    schedule: !args.includes('--no-triggers'),
  })
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
