/**
 * The runtime: a backend plus a pool of worker threads that run executions of the built bundle.
 * This is the programmatic API tests, benchmarks and the dev server use (see README).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Worker, MessageChannel, MessagePort } from 'worker_threads';
import { Backend, BackendOptions, ERR, ExecState, ExecutionContext, GasError } from './backend';
import type { TriggerSpec } from './backend/types';
import type { FetchResponse, WebAppRequest } from './backend/urlfetch';
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
  /** Virtual clock: start at this modelled time. */
  at?: number;
  /** onEdit: the edited range, built inside the execution. */
  editEvent?: { sheet: { id: number; name: string }; ref: RangeRef };
  /** Called synchronously when the execution has ended (null: refused, it never started). */
  onEnd?: (ex: ExecState | null) => void;
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
  /** Every call in order (method, range, modelled ms); "L " marks those made holding the script lock. */
  trace: string[];
  /** Cells read by range reads while holding the script lock. */
  cellsReadInLock: number;
  /** Modelled time of the execution (virtual clock: from its start, or its request's arrival, to its end). */
  modelledMs: number;
  lockHeldMs: number;
  lockWaitMs: number;
  /** Modelled time it waited for an execution slot (past 30 at once). */
  queuedMs: number;
  /** When it started (its request arrived, if it queued for a slot) and ended, on the backend's clock. */
  startedAt: number;
  endedAt: number;
  /** Refused because too many executions ran at once (overflow 'refuse'). */
  refused?: boolean;
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
}

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  /** Which code the worker has compiled (a hash of the script and its files). */
  codeKey: string;
  /** The runtime whose execution it runs, if any. */
  owner: Runtime | null;
  current: {
    execId: string;
    resolve: (d: DoneMessage | null) => void;
    killAt?: number;
    /** The call the script side waits on, if any. */
    pendingSeq?: number;
    /** Killed: every call from now on fails at once; the worker rejoins the pool when the script ends. */
    aborted?: boolean;
    watchdog?: NodeJS.Timeout;
  } | null;
}

/** How long an aborted script may take to unwind before its worker is terminated (real ms). */
const UNWIND_MS = 10000;

/**
 * Worker threads are shared by every runtime in the process: a new one costs a thread start and a
 * compile of the bundle, and a test or a simulation makes many runtimes. Each execution still gets
 * a fresh context; a worker only keeps the compiled script. Idle workers do not keep Node alive.
 */
const pool = { idle: [] as PoolWorker[], all: new Set<PoolWorker>() };

/** Stop every pooled worker (a script that wants to exit at once). */
export async function closeWorkers(): Promise<void> {
  const all = [...pool.all];
  pool.all.clear();
  pool.idle = [];
  await Promise.all(all.map((pw) => pw.worker.terminate()));
}

export type WebParams = Record<string, string | string[]>;

export class Runtime {
  readonly backend: Backend;
  private code: string;
  private files: Record<string, string>;
  private codeKey = '';
  /** Workers running this runtime's executions. */
  private readonly mine = new Set<PoolWorker>();
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
    this.codeKey = keyOf(this.code, this.files);
    this.backend.manifestScopes ??= manifestScopes(this.files['appsscript.json']);
    // UrlFetchApp to the web app's own URL runs it here, as a new execution.
    this.backend.webApp ??= (req, done) => this.fetchWebApp(req, done);
    this.backend.stopHooks.add((execId) => {
      for (const pw of this.mine) if (pw.current?.execId === execId) this.abort(pw);
    });
  }

  /**
   * Run one entry point as one execution. Resolves when the execution has ended. With the virtual
   * clock, `at` starts it at that modelled time (the simulator's way to place a request in time).
   */
  run(fn: string, args: unknown[] = [], opts: RunOptions = {}): Promise<ExecutionResult> {
    return new Promise((resolve) => {
      const go = () => {
        const wallStart = Date.now();
        const context = opts.context ?? 'api';
        if (context === 'trigger' && !this.backend.triggerTimeLeft()) {
          return resolve(failed(fn, ERR.triggerTime));
        }
        // A trigger run is started by an installed trigger, which passes its event (tests may leave it out).
        const installed = this.backend.triggers.find((t) => t.handlerFunction === fn);
        const runArgs =
          context === 'trigger' && !args.length && installed ? [triggerEvent(installed, this.backend)] : args;
        const admitted = this.backend.admit((queuedMs) => {
          void this.execute(fn, runArgs, opts, queuedMs, wallStart).then(resolve);
        });
        if (!admitted) {
          opts.onEnd?.(null);
          resolve({ ...failed(fn, ERR.tooManyExecutions), refused: true });
        }
      };
      if (opts.at === undefined) return go();
      if (!this.backend.sim) throw new Error('run at a modelled time needs the virtual clock');
      this.backend.sim.schedule(opts.at, `start#${++this.backend.starts}#${fn}`, go);
    });
  }

  private async execute(
    fn: string,
    args: unknown[],
    opts: RunOptions,
    queuedMs: number,
    wallStart: number,
  ): Promise<ExecutionResult> {
    const ex = this.backend.beginExecution(fn, opts.context ?? 'api', queuedMs);
    if (opts.onEnd) ex.onEnd = opts.onEnd;
    const pw = this.takeWorker();
    let killed = false;
    const virtual = this.backend.virtual;
    const done = await new Promise<DoneMessage | null>((resolve) => {
      const limit = this.backend.opts.executionTimeLimitMs;
      // Real clock: a watchdog past the time limit. Virtual clock: the backend stops the execution
      // at its modelled deadline (stopHooks); this only ends a script stuck computing without calls.
      const watchdog = setTimeout(
        () => {
          killed = true;
          this.abort(pw);
        },
        (virtual ? this.backend.opts.realTimeLimitMs : limit) + 1000,
      );
      pw.current = {
        execId: ex.id,
        killAt: opts.killAfterCalls,
        resolve: (d) => {
          clearTimeout(watchdog);
          resolve(d);
        },
      };
      const msg: RunMessage = {
        type: 'run',
        execId: ex.id,
        fn,
        argsJson: JSON.stringify(args),
        editEvent: opts.editEvent,
        codeKey: this.codeKey,
        timeoutMs: virtual ? this.backend.opts.realTimeLimitMs : limit,
        clockOffsetMs: this.backend.now() - Date.now(),
        virtualNow: virtual ? this.backend.now() : undefined,
        seed: this.backend.seedOf(ex.id),
      };
      if (pw.codeKey !== this.codeKey) {
        msg.code = this.code;
        msg.files = this.files;
        pw.codeKey = this.codeKey;
      }
      pw.worker.postMessage(msg);
    });
    if (!done) killed = true;
    ex.output = killed
      ? { ok: false, error: ERR.timeLimit }
      : { ok: !!done?.ok, result: done?.result, error: done?.error?.message };
    await this.backend.finish(ex.id, killed ? 'killed' : done?.ok ? 'returned' : 'threw');
    const st = await ex.ended;
    if (!killed) this.release(pw);
    return {
      execId: ex.id,
      fn,
      ok: !killed && !!done?.ok,
      result: done?.result,
      error: killed ? { name: 'Exception', message: ERR.timeLimit } : done?.error,
      logs: [...st.logs, ...(done?.logs ?? [])],
      killed,
      calls: st.calls,
      callsInLock: st.callsInLock,
      trace: st.trace,
      cellsReadInLock: st.cellsReadInLock,
      modelledMs: st.modelledMs,
      lockHeldMs: st.lockHeldMs,
      lockWaitMs: st.lockWaitMs,
      queuedMs: st.queuedMs,
      startedAt: st.startedAt,
      endedAt: st.endedAt ?? this.backend.now(),
      wallMs: Date.now() - wallStart,
      emptyWakes: done?.emptyWakes ?? 0,
    };
  }

  /** A UrlFetchApp call to the web app: doGet/doPost as a new execution, answered as Google's /exec is. */
  private fetchWebApp(req: WebAppRequest, done: (r: FetchResponse) => void): void {
    const event = webEvent(req.method, req.params, req.body);
    void this.run(req.method === 'GET' ? 'doGet' : 'doPost', [event], {
      context: 'webapp',
      onEnd: (ex) => done(webAnswer(ex)),
    });
  }

  /**
   * google.script.run as Google provides it on an HtmlService page: the named top-level function runs
   * as a new execution. From a web app page ('webapp') that is a web app execution, as the owner with no
   * active user; from a sidebar or dialog in the spreadsheet ('sidebar'), one with the spreadsheet's UI.
   * Private functions (ending in _), unknown ones, and arguments or results of types google.script.run
   * cannot carry (Dates, functions) are refused as Google refuses them.
   */
  async scriptRun(
    fn: string,
    args: unknown[],
    from: 'webapp' | 'sidebar',
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: string }> {
    if (fn.endsWith('_') || !this.hasFunction(fn))
      return { ok: false, error: `Script function not found: ${fn}` };
    const badArg = illegalForScriptRun(args);
    if (badArg) return { ok: false, error: `Illegal argument: ${badArg}` };
    const r = await this.run(fn, args, { context: from === 'webapp' ? 'webapp' : 'editor' });
    if (!r.ok) return { ok: false, error: r.error?.message ?? 'Script error' };
    const badResult = illegalForScriptRun(r.result);
    if (badResult) return { ok: false, error: `Illegal return value: ${badResult}` };
    return { ok: true, result: r.result ?? null };
  }

  /** Virtual clock: resolves when nothing runs and nothing is scheduled. */
  settle(): Promise<void> {
    return this.backend.idle();
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
    at?: number,
  ): Promise<ExecutionResult> {
    return this.run(method === 'GET' ? 'doGet' : 'doPost', [webEvent(method, params, body, pathInfo)], {
      context: 'webapp',
      at,
    });
  }

  /** Post a form the way a browser does (application/x-www-form-urlencoded), now or at a modelled time. */
  postForm(fields: Record<string, string>, opts: { at?: number } = {}): Promise<ExecutionResult> {
    const contents = new URLSearchParams(fields).toString();
    return this.web('POST', {}, { type: 'application/x-www-form-urlencoded', contents }, undefined, opts.at);
  }

  /**
   * A host editing the sheet: the edit lands at once, then the simple onEdit trigger (limited
   * authorization) and any installed ON_EDIT triggers run, as Sheets does for edits made in the UI.
   * The event object is Google's: `value` (a string) and `oldValue` only when one cell was typed
   * into; a paste (`{ paste: true }`) or a multi-cell edit has neither.
   */
  async hostEdit(
    sheetName: string,
    a1: string,
    values: unknown[][],
    how: { paste?: boolean } = {},
  ): Promise<ExecutionResult[]> {
    const { event, editEvent } = this.applyHostEdit(sheetName, a1, values, how);
    const runs: ExecutionResult[] = [];
    for (const { fn, context, uid } of this.editHandlers()) {
      runs.push(await this.run(fn, [event(context, uid)], { context, editEvent }));
    }
    return runs;
  }

  /**
   * A host edit whose triggers Google starts later (seconds, on a busy day): the edit lands now, the
   * triggers run when `fire` is called, so a test can put another execution in between.
   */
  hostEditLater(
    sheetName: string,
    a1: string,
    values: unknown[][],
    how: { paste?: boolean } = {},
  ): { fire: () => Promise<ExecutionResult[]> } {
    const { event, editEvent } = this.applyHostEdit(sheetName, a1, values, how);
    return {
      fire: async () => {
        const runs: ExecutionResult[] = [];
        for (const { fn, context, uid } of this.editHandlers())
          runs.push(await this.run(fn, [event(context, uid)], { context, editEvent }));
        return runs;
      },
    };
  }

  /**
   * A host deleting rows: Sheets fires no edit trigger for it, only installed ON_CHANGE triggers,
   * with `changeType: 'REMOVE_ROW'` and no range.
   */
  async hostDeleteRows(sheetName: string, row: number, count = 1): Promise<ExecutionResult[]> {
    this.backend.hostDeleteRows(sheetName, row, count);
    const runs: ExecutionResult[] = [];
    for (const t of this.backend.triggers.filter((x) => x.eventType === 'ON_CHANGE')) {
      const event = { ...triggerEvent(t, this.backend), changeType: 'REMOVE_ROW' };
      runs.push(await this.run(t.handlerFunction, [event], { context: 'trigger' }));
    }
    return runs;
  }

  /**
   * The same at a modelled time (virtual clock), for the simulator: the edit lands when its event
   * fires and the triggers start then; resolves with their results.
   */
  hostEditAt(
    at: number,
    sheetName: string,
    a1: string,
    values: unknown[][],
    how: { paste?: boolean } = {},
  ): Promise<ExecutionResult[]> {
    const sim = this.backend.sim;
    if (!sim) throw new Error('hostEditAt needs the virtual clock');
    return new Promise((resolve, reject) => {
      sim.schedule(at, `edit#${++this.backend.starts}`, () => {
        try {
          const { event, editEvent } = this.applyHostEdit(sheetName, a1, values, how);
          // Google starts the simple and the installed trigger on their own; they may overlap.
          void Promise.all(
            this.editHandlers().map(({ fn, context, uid }) =>
              this.run(fn, [event(context, uid)], { context, editEvent }),
            ),
          ).then(resolve);
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  private applyHostEdit(sheetName: string, a1: string, values: unknown[][], how: { paste?: boolean }) {
    const before = this.backend.sheetRaw(sheetName);
    const ref = this.backend.hostEdit(sheetName, a1, values);
    const sheet = this.backend.ss.byName(sheetName)!;
    const typed = !how.paste && ref.numRows === 1 && ref.numCols === 1;
    // A simple trigger's event has no triggerUid; an installed one's names its trigger.
    const event = (context: ExecutionContext, uid?: string) => {
      const e: Record<string, unknown> = {
        authMode: context === 'simple' ? 'LIMITED' : 'FULL',
        user: { email: '' },
        ...(uid ? { triggerUid: uid } : {}),
      };
      if (typed) {
        // What the host typed, as text (Sheets gives a string even for a number or a date).
        e.value = displayed(values[0][0]);
        const old = before[ref.row - 1]?.[ref.col - 1];
        if (old !== undefined && old !== '') e.oldValue = displayed(old);
      }
      return e;
    };
    return { event, editEvent: { sheet: { id: sheet.id, name: sheet.name }, ref } };
  }

  private editHandlers(): Array<{ fn: string; context: ExecutionContext; uid?: string }> {
    return [
      ...(this.hasFunction('onEdit') ? [{ fn: 'onEdit', context: 'simple' as const }] : []),
      ...this.backend.triggers
        .filter((t) => t.eventType === 'ON_EDIT')
        .map((t) => ({ fn: t.handlerFunction, context: 'trigger' as const, uid: t.id })),
    ];
  }

  /**
   * Run every time-based trigger that is due at `now`, as Google's scheduler would. A `now` later
   * than the clock moves the clock there first, so the scripts see that time too.
   */
  async runDueTriggers(now = this.backend.now()): Promise<ExecutionResult[]> {
    this.backend.advanceTo(now);
    const due = this.backend.triggers.filter(
      (t) => t.eventType === 'CLOCK' && (t.nextRunAt ?? Infinity) <= now,
    );
    for (const t of due) {
      const every = (t.everyMinutes ?? 0) * 60e3 + (t.everyHours ?? 0) * 3600e3;
      // A one-shot trigger that has fired stays installed (and counts toward the 20) until deleted.
      t.nextRunAt = every ? now + every : undefined;
    }
    for (const t of due) t.lastRunAt = now;
    const runs = await this.runConcurrently(
      due.map((t) => ({
        fn: t.handlerFunction,
        args: [triggerEvent(t, this.backend)],
        opts: { context: 'trigger' },
      })),
    );
    due.forEach((t, i) => (t.lastRunError = runs[i].ok ? null : (runs[i].error?.message ?? 'failed')));
    return runs;
  }

  hasFunction(fn: string): boolean {
    return new RegExp(`^function ${fn}\\s*\\(`, 'm').test(this.code);
  }

  /** Load a new build (the dev server calls this when dist/ changes). */
  reload(distDir = path.join(projectRoot(), 'dist')): void {
    ({ code: this.code, files: this.files } = readDist(distDir));
    this.codeKey = keyOf(this.code, this.files);
  }

  /** Done with this runtime: its workers go back to the shared pool as their scripts finish. */
  async close(): Promise<void> {
    // Nothing to stop: workers are shared and idle ones do not keep Node alive.
  }

  // ---- pool ------------------------------------------------------------------------------

  private takeWorker(): PoolWorker {
    const pw = pool.idle.pop() ?? this.newWorker();
    pw.owner = this;
    this.mine.add(pw);
    return pw;
  }

  /** The worker is free: back to the shared pool. */
  private release(pw: PoolWorker): void {
    pw.current = null;
    pw.owner = null;
    this.mine.delete(pw);
    if (pool.all.has(pw)) pool.idle.push(pw);
  }

  private newWorker(): PoolWorker {
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.workerFile, {
      workerData: { signal, port: port2 },
      transferList: [port2],
      // Each execution builds a context and runs the bundle: a larger young generation means far
      // fewer collections for that short-lived garbage.
      resourceLimits: { maxYoungGenerationSizeMb: 48 },
    });
    const pw: PoolWorker = {
      worker,
      port: port1,
      flag: new Int32Array(signal),
      codeKey: '',
      owner: null,
      current: null,
    };
    pool.all.add(pw);
    port1.on(
      'message',
      (req: { execId: string; method: string; args: unknown[]; seq?: number }) =>
        void pw.owner?.serve(pw, req),
    );
    worker.on('message', (d: DoneMessage) => pw.owner?.done(pw, d));
    worker.on('error', (e) => {
      pool.all.delete(pw);
      pw.current?.resolve({
        type: 'done',
        execId: pw.current.execId,
        ok: false,
        error: { name: 'Error', message: String(e) },
        logs: [],
      });
    });
    worker.on('exit', () => {
      pool.all.delete(pw);
      pool.idle = pool.idle.filter((x) => x !== pw);
      pw.owner?.mine.delete(pw);
      pw.current?.resolve(null);
    });
    worker.unref();
    port1.unref();
    return pw;
  }

  private done(pw: PoolWorker, d: DoneMessage): void {
    const cur = pw.current;
    if (cur?.execId !== d.execId) return;
    if (!cur.aborted) return cur.resolve(d);
    // An aborted script has unwound: the worker is free again.
    clearTimeout(cur.watchdog);
    this.release(pw);
  }

  private async serve(
    pw: PoolWorker,
    req: { execId: string; method: string; args: unknown[]; seq?: number },
  ): Promise<void> {
    const cur = pw.current;
    if (!cur || cur.execId !== req.execId) return;
    cur.pendingSeq = req.seq;
    if (cur.aborted) return this.abort(pw);
    if (cur.killAt !== undefined) {
      const ex = this.backend.executions.get(req.execId);
      const made = ex ? Object.values(ex.calls).reduce((a, b) => a + b, 0) + 1 : 0;
      if (made >= cur.killAt) return this.abort(pw);
    }
    let reply: { ok: boolean; value?: unknown; error?: string; skew?: number; seq?: number; now?: number };
    try {
      reply = { ok: true, value: await this.backend.handle(req.execId, req.method, req.args) };
    } catch (e) {
      reply = { ok: false, error: e instanceof GasError || e instanceof Error ? e.message : String(e) };
    }
    reply.skew = this.backend.skewOf(req.execId);
    if (this.backend.virtual) reply.now = this.backend.now();
    reply.seq = req.seq;
    if (pw.current?.execId !== req.execId || pw.current.aborted) return; // killed meanwhile
    pw.current.pendingSeq = undefined;
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
    for (const pw of this.mine) if (pw.current) woken += Atomics.notify(pw.flag, 0);
    return woken;
  }

  /**
   * Kill the execution running on this worker: it ends now (killed), the call it waits on fails,
   * and so does every call it makes while its script unwinds. The worker is not thrown away (a new
   * one costs a thread and a compile); one that does not unwind in time is terminated.
   */
  private abort(pw: PoolWorker): void {
    const cur = pw.current;
    if (!cur) return;
    if (cur.pendingSeq !== undefined) {
      pw.port.postMessage({ ok: false, abort: true, error: ERR.timeLimit, seq: cur.pendingSeq });
      cur.pendingSeq = undefined;
      this.wake(pw);
    }
    if (cur.aborted) return;
    cur.aborted = true;
    cur.watchdog = setTimeout(() => void this.kill(pw), UNWIND_MS);
    // A safety net only: it must not keep Node (or a test runner's worker) alive.
    cur.watchdog.unref();
    cur.resolve(null);
  }

  private async kill(pw: PoolWorker): Promise<void> {
    const cur = pw.current;
    pool.all.delete(pw);
    this.mine.delete(pw);
    pw.current = null;
    await pw.worker.terminate();
    cur?.resolve(null);
  }
}

/** Why a value cannot cross google.script.run (Apps Script refuses Dates and functions), or null. */
export function illegalForScriptRun(v: unknown, seen = new Set<unknown>()): string | null {
  if (v === null || v === undefined) return null;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return null;
  if (t === 'function') return 'a function';
  if (Object.prototype.toString.call(v) === '[object Date]') return 'a Date';
  if (t !== 'object') return `a ${t}`;
  if (seen.has(v)) return 'a circular reference';
  seen.add(v);
  for (const x of Object.values(v as object)) {
    const why = illegalForScriptRun(x, seen);
    if (why) return why;
  }
  seen.delete(v);
  return null;
}

/**
 * The event object Google passes an installed trigger's handler: its authMode and triggerUid, and for
 * a time trigger the clock's fields in the script's zone (what the product reads is the triggerUid).
 */
export function triggerEvent(t: TriggerSpec, b: Backend): Record<string, unknown> {
  const e: Record<string, unknown> = { authMode: 'FULL', triggerUid: t.id };
  if (t.eventType === 'CLOCK') {
    const d = new Date(b.now());
    Object.assign(e, {
      timezone: b.opts.timeZone,
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      'day-of-month': d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    });
  } else e.user = { email: '' };
  return e;
}

const displayed = (v: unknown): string =>
  v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v);

function failed(fn: string, message: string): ExecutionResult {
  return {
    execId: '',
    fn,
    ok: false,
    error: { name: 'Exception', message },
    logs: [],
    killed: false,
    calls: {},
    callsInLock: {},
    trace: [],
    cellsReadInLock: 0,
    modelledMs: 0,
    lockHeldMs: 0,
    lockWaitMs: 0,
    queuedMs: 0,
    startedAt: 0,
    endedAt: 0,
    wallMs: 0,
    emptyWakes: 0,
  };
}

function manifestScopes(manifest: string | undefined): string[] | null {
  try {
    return manifest ? ((JSON.parse(manifest) as { oauthScopes?: string[] }).oauthScopes ?? null) : null;
  } catch {
    return null;
  }
}

/** What a fetch of /exec gets: the output's text (redirect followed), an error page, or a refusal. */
function webAnswer(ex: ExecState | null): FetchResponse {
  if (!ex) return { code: 503, contentType: 'text/plain', body: ERR.tooManyExecutions };
  const out = ex.output?.result as { __kind?: string; content?: string; mimeType?: string } | undefined;
  if (!ex.output?.ok || !out?.__kind)
    return {
      code: 200,
      contentType: 'text/html',
      body: `<!doctype html><title>Error</title><div>${ex.output?.error ?? 'Script error'}</div>`,
    };
  if (out.__kind === 'text')
    return { code: 200, contentType: out.mimeType ?? 'text/plain', body: out.content ?? '' };
  return { code: 200, contentType: 'text/html', body: out.content ?? '' };
}

function keyOf(code: string, files: Record<string, string>): string {
  return crypto.createHash('sha1').update(code).update(JSON.stringify(files)).digest('hex');
}

export function readDist(dist: string): { code: string; files: Record<string, string> } {
  // dist/: Code.js beside its HTML files (what clasp pushes); dist/paste/: one Code.gs, HTML inlined.
  const codeFile = ['Code.js', 'Code.gs'].map((f) => path.join(dist, f)).find((f) => fs.existsSync(f));
  if (!codeFile) throw new Error(`${path.join(dist, 'Code.js')} is missing: run npm run build first`);
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
  // No prototype: a parameter named __proto__, constructor or toString is an ordinary parameter.
  const parameters: Record<string, string[]> = Object.create(null);
  const add = (k: string, v: string) => (parameters[k] ??= []).push(v);
  for (const [k, v] of Object.entries(query)) (Array.isArray(v) ? v : [v]).forEach((x) => add(k, x));
  if (body && /application\/x-www-form-urlencoded/i.test(body.type)) {
    for (const [k, v] of new URLSearchParams(body.contents)) add(k, v);
  }
  const parameter: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(parameters)) parameter[k] = v[0];
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
