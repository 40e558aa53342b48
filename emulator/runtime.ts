/**
 * The runtime: a backend plus a pool of worker threads that run executions of the built bundle.
 * This is the programmatic API tests, benchmarks and the dev server use (see README).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker, MessageChannel, MessagePort } from 'worker_threads';
import { Backend, BackendOptions, ExecutionContext, ExecState, GasError } from './backend';
import type { DoneMessage, RunMessage } from './worker';
import type { RangeRef } from './spreadsheet';

export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the project root');
    dir = up;
  }
  return dir;
}

export interface RunOptions {
  context?: ExecutionContext;
  /** Kill the execution when it makes its Nth service call (the call is never answered). */
  killAfterCalls?: number;
  /** onEdit: the edited range, built inside the execution. */
  editEvent?: { sheet: { id: number; name: string }; ref: RangeRef };
}

export interface ExecutionResult {
  execId: string;
  fn: string;
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
  logs: string[];
  killed: boolean;
  /** Service calls by method, and those made while holding the script lock. */
  calls: Record<string, number>;
  callsInLock: Record<string, number>;
  modelledMs: number;
  lockHeldMs: number;
  lockWaitMs: number;
  wallMs: number;
  /** Times the script side woke with no reply to read and went back to waiting. */
  emptyWakes: number;
}

export interface RuntimeOptions {
  backend?: Backend;
  backendOptions?: BackendOptions;
  /** Where Code.js and the .html files are (default: <root>/dist). */
  distDir?: string;
  /** A script to run instead of dist/Code.js (fixtures for negative controls and fidelity tests). */
  code?: string;
  files?: Record<string, string>;
  /** Apps Script runs at most 30 simultaneous executions per user; more wait for a slot. */
  maxConcurrent?: number;
}

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  codeVersion: number;
  current: { execId: string; resolve: (d: DoneMessage | null) => void; killAt?: number } | null;
}

export type WebParams = Record<string, string | string[]>;

export class Runtime {
  readonly backend: Backend;
  private code: string;
  private files: Record<string, string>;
  private codeVersion = 0;
  private idle: PoolWorker[] = [];
  private all = new Set<PoolWorker>();
  private running = 0;
  private slotWaiters: Array<() => void> = [];
  private readonly maxConcurrent: number;
  private readonly workerFile: string;

  constructor(opts: RuntimeOptions = {}) {
    this.backend = opts.backend ?? new Backend(opts.backendOptions);
    const root = projectRoot();
    this.workerFile = path.join(root, 'build', 'emulator-worker.js');
    if (!fs.existsSync(this.workerFile))
      throw new Error(`${this.workerFile} is missing: run npm run build first`);
    const dist = opts.distDir ?? path.join(root, 'dist');
    if (opts.code !== undefined) {
      this.code = opts.code;
      this.files = opts.files ?? {};
    } else {
      ({ code: this.code, files: this.files } = readDist(dist));
    }
    this.maxConcurrent = opts.maxConcurrent ?? 30;
  }

  /** Run one entry point as one execution. Resolves when the execution has ended. */
  async run(fn: string, args: unknown[] = [], opts: RunOptions = {}): Promise<ExecutionResult> {
    await this.takeSlot();
    const started = Date.now();
    const ex = this.backend.beginExecution(fn, opts.context ?? 'api');
    const pw = this.takeWorker();
    let killed = false;
    const done = await new Promise<DoneMessage | null>((resolve) => {
      pw.current = { execId: ex.id, resolve, killAt: opts.killAfterCalls };
      const limit = this.backend.opts.executionTimeLimitMs;
      const watchdog = setTimeout(() => {
        killed = true;
        void this.kill(pw);
      }, limit + 1000);
      const msg: RunMessage = {
        type: 'run',
        execId: ex.id,
        fn,
        argsJson: JSON.stringify(args),
        editEvent: opts.editEvent,
        codeVersion: this.codeVersion,
        timeoutMs: limit,
        clockOffsetMs: this.backend.now() - Date.now(),
      };
      if (pw.codeVersion !== this.codeVersion) {
        msg.code = this.code;
        msg.files = this.files;
        pw.codeVersion = this.codeVersion;
      }
      const orig = resolve;
      pw.current.resolve = (d) => {
        clearTimeout(watchdog);
        orig(d);
      };
      pw.worker.postMessage(msg);
    });
    if (!done) killed = true;
    const st = this.backend.endExecution(
      ex.id,
      killed ? 'killed' : done?.ok ? 'returned' : 'threw',
    ) as ExecState;
    if (!killed) {
      pw.current = null;
      this.idle.push(pw);
    }
    this.releaseSlot();
    return {
      execId: ex.id,
      fn,
      ok: !killed && !!done?.ok,
      result: done?.result,
      error: killed ? { name: 'Exception', message: 'Exceeded maximum execution time' } : done?.error,
      logs: [...st.logs, ...(done?.logs ?? [])],
      killed,
      calls: st.calls,
      callsInLock: st.callsInLock,
      modelledMs: st.modelledMs,
      lockHeldMs: st.lockHeldMs,
      lockWaitMs: st.lockWaitMs,
      wallMs: Date.now() - started,
      emptyWakes: done?.emptyWakes ?? 0,
    };
  }

  /** Run several executions at the same time; they truly overlap in worker threads. */
  runConcurrently(
    calls: Array<{ fn: string; args?: unknown[]; opts?: RunOptions }>,
  ): Promise<ExecutionResult[]> {
    return Promise.all(calls.map((c) => this.run(c.fn, c.args ?? [], c.opts)));
  }

  /** Call doGet/doPost with an event object shaped as Apps Script's. */
  web(
    method: 'GET' | 'POST',
    params: WebParams = {},
    body?: { type: string; contents: string },
    pathInfo?: string,
  ): Promise<ExecutionResult> {
    return this.run(method === 'GET' ? 'doGet' : 'doPost', [webEvent(method, params, body, pathInfo)], {
      context: 'webapp',
    });
  }

  /** Post a form the way a browser does (application/x-www-form-urlencoded). */
  postForm(fields: Record<string, string>): Promise<ExecutionResult> {
    const contents = new URLSearchParams(fields).toString();
    return this.web('POST', {}, { type: 'application/x-www-form-urlencoded', contents });
  }

  /**
   * A host typing into the sheet: the edit lands at once, then the simple onEdit trigger and any
   * installed ON_EDIT triggers run, as Sheets does for edits made in the UI.
   */
  async hostEdit(sheetName: string, a1: string, values: unknown[][]): Promise<ExecutionResult[]> {
    const before = this.backend.sheetRaw(sheetName);
    const ref = this.backend.hostEdit(sheetName, a1, values);
    const sheet = this.backend.ss.byName(sheetName)!;
    const single = ref.numRows === 1 && ref.numCols === 1;
    const event: Record<string, unknown> = { authMode: 'LIMITED', triggerUid: '', user: { email: '' } };
    if (single) {
      event.value = values[0][0];
      const old = before[ref.row - 1]?.[ref.col - 1];
      if (old !== undefined && old !== '') event.oldValue = old;
    }
    const editEvent = { sheet: { id: sheet.id, name: sheet.name }, ref };
    const runs: ExecutionResult[] = [];
    const fns = [
      'onEdit',
      ...this.backend.triggers.filter((t) => t.eventType === 'ON_EDIT').map((t) => t.handlerFunction),
    ];
    for (const fn of fns) {
      if (fn === 'onEdit' && !this.hasFunction('onEdit')) continue;
      runs.push(await this.run(fn, [event], { context: fn === 'onEdit' ? 'editor' : 'trigger', editEvent }));
    }
    return runs;
  }

  /** Run every time-based trigger that is due at `now`, as Google's scheduler would. */
  async runDueTriggers(now = this.backend.now()): Promise<ExecutionResult[]> {
    const due = this.backend.triggers.filter(
      (t) => t.eventType === 'CLOCK' && (t.nextRunAt ?? Infinity) <= now,
    );
    for (const t of due) {
      const every = (t.everyMinutes ?? 0) * 60e3 + (t.everyHours ?? 0) * 3600e3;
      if (every) t.nextRunAt = now + every;
      else this.backend.triggers = this.backend.triggers.filter((x) => x !== t);
    }
    const event = (t: { id: string }) => ({
      authMode: 'FULL',
      triggerUid: t.id,
      timezone: this.backend.opts.timeZone,
    });
    return this.runConcurrently(
      due.map((t) => ({ fn: t.handlerFunction, args: [event(t)], opts: { context: 'trigger' } })),
    );
  }

  hasFunction(fn: string): boolean {
    return new RegExp(`^function ${fn}\\s*\\(`, 'm').test(this.code);
  }

  /** Load a new build (the dev server calls this when dist/ changes). */
  reload(distDir = path.join(projectRoot(), 'dist')): void {
    ({ code: this.code, files: this.files } = readDist(distDir));
    this.codeVersion++;
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((pw) => pw.worker.terminate()));
    this.all.clear();
    this.idle = [];
  }

  // ---- pool ------------------------------------------------------------------------------

  private takeSlot(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((r) => this.slotWaiters.push(() => (this.running++, r())));
  }

  private releaseSlot(): void {
    this.running--;
    this.slotWaiters.shift()?.();
  }

  private takeWorker(): PoolWorker {
    const ready = this.idle.pop();
    if (ready) return ready;
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.workerFile, {
      workerData: { signal, port: port2 },
      transferList: [port2],
    });
    const pw: PoolWorker = {
      worker,
      port: port1,
      flag: new Int32Array(signal),
      codeVersion: -1,
      current: null,
    };
    this.all.add(pw);
    port1.on('message', (req: { execId: string; method: string; args: unknown[]; seq?: number }) =>
      this.serve(pw, req),
    );
    worker.on('message', (d: DoneMessage) => {
      if (pw.current?.execId === d.execId) pw.current.resolve(d);
    });
    worker.on('error', (e) => {
      this.all.delete(pw);
      pw.current?.resolve({
        type: 'done',
        execId: pw.current.execId,
        ok: false,
        error: { name: 'Error', message: String(e) },
        logs: [],
      });
    });
    worker.on('exit', () => {
      this.all.delete(pw);
      pw.current?.resolve(null);
    });
    worker.unref();
    port1.unref();
    return pw;
  }

  private async serve(
    pw: PoolWorker,
    req: { execId: string; method: string; args: unknown[]; seq?: number },
  ): Promise<void> {
    const cur = pw.current;
    if (cur?.killAt !== undefined) {
      const ex = this.backend.executions.get(req.execId);
      const made = ex ? Object.values(ex.calls).reduce((a, b) => a + b, 0) + 1 : 0;
      if (made >= cur.killAt) {
        await this.kill(pw);
        return;
      }
    }
    let reply: { ok: boolean; value?: unknown; error?: string; skew?: number; seq?: number };
    try {
      reply = { ok: true, value: await this.backend.handle(req.execId, req.method, req.args) };
    } catch (e) {
      reply = { ok: false, error: e instanceof GasError || e instanceof Error ? e.message : String(e) };
    }
    reply.skew = this.backend.skewOf(req.execId);
    reply.seq = req.seq;
    if (pw.current?.execId !== req.execId) return; // killed meanwhile
    try {
      pw.port.postMessage(reply);
    } catch (e) {
      pw.port.postMessage({
        ok: false,
        seq: req.seq,
        error: `emulator: result cannot cross to the script: ${String(e)}`,
      });
    }
    this.wake(pw);
  }

  /** The flag is a counter bumped once per reply: the script side waits while it is unchanged. */
  private wake(pw: PoolWorker): void {
    Atomics.add(pw.flag, 0, 1);
    Atomics.notify(pw.flag, 0);
  }

  /**
   * Fidelity test hook: wake every waiting script side without a reply, as V8 was seen to do on a
   * busy machine. An execution must go back to waiting, not fail or read another call's reply.
   */
  wakeWithoutReply(): number {
    let woken = 0;
    for (const pw of this.all) if (pw.current) woken += Atomics.notify(pw.flag, 0);
    return woken;
  }

  private async kill(pw: PoolWorker): Promise<void> {
    const cur = pw.current;
    this.all.delete(pw);
    pw.current = null;
    await pw.worker.terminate();
    cur?.resolve(null);
  }
}

function readDist(dist: string): { code: string; files: Record<string, string> } {
  const codeFile = path.join(dist, 'Code.js');
  if (!fs.existsSync(codeFile)) throw new Error(`${codeFile} is missing: run npm run build first`);
  const files: Record<string, string> = {};
  for (const f of fs.readdirSync(dist)) {
    if (f.endsWith('.html') || f === 'appsscript.json')
      files[f] = fs.readFileSync(path.join(dist, f), 'utf8');
  }
  return { code: fs.readFileSync(codeFile, 'utf8'), files };
}

/** The event object of doGet/doPost, shaped as Apps Script's. */
export function webEvent(
  method: 'GET' | 'POST',
  query: WebParams,
  body?: { type: string; contents: string },
  pathInfo?: string,
): Record<string, unknown> {
  const parameters: Record<string, string[]> = {};
  const add = (k: string, v: string) => (parameters[k] ??= []).push(v);
  for (const [k, v] of Object.entries(query)) (Array.isArray(v) ? v : [v]).forEach((x) => add(k, x));
  if (body && /application\/x-www-form-urlencoded/i.test(body.type)) {
    for (const [k, v] of new URLSearchParams(body.contents)) add(k, v);
  }
  const parameter = Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, v[0]]));
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) (Array.isArray(v) ? v : [v]).forEach((x) => qs.append(k, x));
  const e: Record<string, unknown> = {
    queryString: qs.toString() || (method === 'GET' ? null : ''),
    parameter,
    parameters,
    contextPath: '',
    contentLength: body ? Buffer.byteLength(body.contents) : -1,
  };
  if (pathInfo) e.pathInfo = pathInfo;
  if (body) {
    e.postData = {
      length: Buffer.byteLength(body.contents),
      type: body.type,
      contents: body.contents,
      name: 'postData',
    };
  }
  return e;
}
