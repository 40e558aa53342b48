/**
 * The backend: everything Google holds for one spreadsheet-bound script. One per spreadsheet.
 *
 * Executions (worker threads) call into it with `handle(execId, method, args)`; each call is one
 * service round trip. The backend counts calls, charges the latency model, enforces quotas and the
 * execution time limit, buffers spreadsheet writes per execution and owns the locks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GasError, RangeRef, Spreadsheet, SpreadsheetJSON, WriteOp, parseA1 } from './spreadsheet';
import { Mailbox, MailboxJSON, MailMessage } from './gmail';
import { Sim, hash32 } from './sim';
import { simpleTriggerDenial } from './scopes';

export { GasError };

/** Milliseconds charged per call. Keys are method names ('range.getValues') or service prefixes ('gmail'). */
export interface LatencyModel {
  default: number;
  /** Extra cost per cell read or written. */
  perCell: number;
  methods: Record<string, number>;
}

/**
 * A realistic model of Google's per-call cost. Figures are typical of published measurements and
 * our own experience (a Spreadsheet round trip is tens of ms; flush and mail cost more); it is a
 * model for comparing designs, not a promise about any one request.
 */
export const REALISTIC_LATENCY: LatencyModel = {
  default: 15,
  perCell: 0.01,
  methods: {
    'ss.get': 5,
    'ss.getSheetByName': 25,
    'ss.getSheets': 25,
    'sheet.getRange': 2,
    'sheet.getRangeA1': 2,
    'sheet.getDataRange': 40,
    'sheet.getLastRow': 40,
    'sheet.getLastColumn': 40,
    'range.getValues': 60,
    'range.getDisplayValues': 70,
    'range.getFormulas': 60,
    'range.setValues': 25,
    'range.setValue': 25,
    'sheet.appendRow': 60,
    flush: 90,
    'lock.acquire': 40,
    'lock.release': 20,
    props: 25,
    cache: 12,
    'mail.send': 350,
    'mail.quota': 30,
    // Gmail: a search or a thread fetch is a round trip; message getters read the fetched message.
    gmail: 120,
    'gmail.search': 300,
    'gmail.thread.messages': 150,
    'gmail.message.get': 5,
    'gmail.thread.reply': 400,
    'gmail.sendEmail': 400,
    'utilities.sleep': 0,
    log: 0,
  },
};

export interface BackendOptions {
  timeZone?: string;
  /** Email recipients per day (consumer accounts: 100; Workspace: 1,500). */
  mailQuotaPerDay?: number;
  /** Gmail read/write operations per day (consumer accounts: 20,000; Workspace: 50,000). */
  gmailOpsPerDay?: number;
  /** Execution time limit in ms (Apps Script: 6 minutes). */
  executionTimeLimitMs?: number;
  latency?: LatencyModel | null;
  /** Real time slept per modelled ms (1 = real time). */
  latencyScale?: number;
  /** The web app URL returned by ScriptApp.getService().getUrl(). */
  url?: string | null;
  owner?: string;
  /** Persist state to this file (atomic writes); memory only when absent. */
  dataFile?: string;
  /** What happens to a killed execution's unflushed writes. */
  onKill?: 'discard' | 'commit';
  /**
   * 'virtual' (tests, bench, simulator): calls complete in modelled-time order under a seeded
   * scheduler (see sim.ts); nothing sleeps for real and the same seed gives the same run.
   * 'real' (the dev server): calls sleep their modelled cost times latencyScale, people click in real time.
   */
  clock?: 'virtual' | 'real';
  /** The virtual clock's seed (tie-breaks, lock waiter order, jitter, uuids, cache evictions). */
  seed?: number;
  /** The virtual clock's start (default: the real time when the backend is made). */
  startAt?: number;
  /** Each call's modelled cost varies by up to ± this fraction (seeded). Virtual clock only. */
  jitter?: number;
  /** Real mode only: a clock, so a test can move time. */
  now?: () => number;
  /** Lock operations (tryLock/waitLock/releaseLock) allowed per window before Google's rate error. */
  lockRateMax?: number;
  lockRateWindowMs?: number;
  /** Simultaneous executions per user (Apps Script: 30), and what happens past them. */
  maxConcurrent?: number;
  overflow?: 'refuse' | 'queue';
  /** With overflow 'queue': how many may wait for a slot before the rest are refused. */
  queueLimit?: number;
  /** Cache is best effort: each read may find an entry gone early with this probability (seeded). */
  cacheEviction?: number;
  /** Properties reads and writes per day (consumer accounts: 50,000). */
  propertyOpsPerDay?: number;
  /** Trigger run time per day in ms (consumer accounts: 90 minutes). */
  triggerMsPerDay?: number;
  /**
   * Virtual clock only: a safety net in real time for a script stuck computing (a loop that never
   * calls a service cannot be timed in modelled time; Google would stop it at 6 minutes).
   */
  realTimeLimitMs?: number;
}

/** 'simple': a simple trigger (onOpen, onEdit), which runs with limited authorization. */
export type ExecutionContext = 'webapp' | 'editor' | 'trigger' | 'api' | 'simple';

export interface ExecState {
  id: string;
  fn: string;
  context: ExecutionContext;
  startedAt: number;
  pending: WriteOp[];
  calls: Record<string, number>;
  callsInLock: Record<string, number>;
  modelledMs: number;
  lockWaitMs: number;
  lockHeldMs: number;
  lockSince?: number;
  locks: Set<string>;
  logs: string[];
  dead: boolean;
  /** Calls made so far (names the call's event in the virtual clock). */
  seq: number;
  /** When the execution time limit stops it. */
  deadline: number;
  /** Set when the execution has ended (virtual clock: when its end event fired). */
  ended: Promise<ExecState>;
  /** Why it ended, when the backend stopped it (time limit). */
  stoppedBy?: 'time';
  /** Time it waited for a free execution slot before it started. */
  queuedMs: number;
  endedAt?: number;
  cancelDeadline?: () => void;
}

export interface SentMail {
  id: string;
  at: number;
  /** The execution that sent it. */
  execId?: string;
  via: 'MailApp' | 'GmailApp';
  to: string;
  cc?: string;
  bcc?: string;
  replyTo?: string;
  name?: string;
  subject: string;
  body: string;
  htmlBody?: string;
  attachments?: Array<{ name: string; contentType: string; data: string }>;
  threadId?: string;
}

export interface TriggerSpec {
  id: string;
  handlerFunction: string;
  eventType: 'CLOCK' | 'ON_EDIT' | 'ON_OPEN' | 'ON_CHANGE' | 'ON_FORM_SUBMIT';
  everyMinutes?: number;
  everyHours?: number;
  at?: number;
  nextRunAt?: number;
}

interface LockWaiter {
  exec: string;
  grant: (ok: boolean) => void;
  cancel: () => void;
}

interface LockState {
  holder: string | null;
  waiters: LockWaiter[];
}

interface State {
  spreadsheet: SpreadsheetJSON;
  scriptProperties: Record<string, string>;
  userProperties: Record<string, string>;
  documentProperties: Record<string, string>;
  cache: Record<string, { value: string; expiresAt: number }>;
  mail: SentMail[];
  mailbox: MailboxJSON;
  triggers: TriggerSpec[];
  quota: Quota;
  menus: Record<string, Array<{ caption: string; fn: string } | null>>;
  toasts: Array<{ at: number; message: string; title: string }>;
}

interface Quota {
  mailUsed: number;
  mailWindowStart: number;
  gmailUsed?: number;
  gmailWindowStart?: number;
  propsUsed?: number;
  propsWindowStart?: number;
  triggerMsUsed?: number;
  triggerWindowStart?: number;
}

const MAX_PROPERTY_VALUE = 9 * 1024;
/** An email's body (plain or HTML), about 200 KB. */
const MAX_BODY = 200 * 1024;
const MAX_PROPERTY_STORE = 500 * 1024;
const MAX_TRIGGERS = 20;
const DAY = 86400e3;

export const ERR = {
  lockTimeout: 'Lock timeout: another process was holding the lock for too long.',
  mailQuota: 'Service invoked too many times for one day: email.',
  gmailQuota: 'Service invoked too many times for one day: gmail.',
  timeLimit: 'Exceeded maximum execution time',
  noUi: 'Cannot call SpreadsheetApp.getUi() from this context.',
  tooManyTriggers:
    'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
  lockRate: 'There are too many LockService operations against the same script.',
  tooManyExecutions:
    'Too many simultaneous invocations: Service invoked too many times in a short time: exec qps.',
  triggerTime: 'Service using too much computer time for one day',
  propsQuota: 'Service invoked too many times for one day: properties.',
  noPermission: (what: string) =>
    `You do not have permission to call ${what}. Required permissions are not available in a simple trigger.`,
};

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Backend {
  readonly opts: Required<
    Omit<BackendOptions, 'dataFile' | 'url' | 'latency' | 'now' | 'seed' | 'startAt'>
  > & {
    dataFile?: string;
    url: string | null;
    latency: LatencyModel | null;
  };
  ss: Spreadsheet;
  mailbox: Mailbox;
  scriptProperties: Record<string, string> = {};
  userProperties: Record<string, string> = {};
  documentProperties: Record<string, string> = {};
  cache = new Map<string, { value: string; expiresAt: number }>();
  mail: SentMail[] = [];
  triggers: TriggerSpec[] = [];
  menus: State['menus'] = {};
  toasts: State['toasts'] = [];
  quota: Quota = { mailUsed: 0, mailWindowStart: 0, gmailUsed: 0, gmailWindowStart: 0 };
  readonly executions = new Map<string, ExecState>();
  /** Finished executions' counters, kept for benchmarks and tests. */
  readonly finished: ExecState[] = [];
  /** The modelled-time scheduler (virtual clock), or null in real time. */
  readonly sim: Sim | null;
  /** Lock operations (tryLock, waitLock, releaseLock) in the rate window, by time. */
  lockOps: number[] = [];
  /** Lock operations refused by the rate limit. */
  lockRefusals = 0;
  /** Executions refused because too many ran at once. */
  refusals = 0;
  /** Executions scheduled to start at a modelled time so far (names their start events). */
  starts = 0;
  /** Called when the backend stops an execution (time limit): the runtime running it ends its worker. */
  readonly stopHooks = new Set<(execId: string) => void>();
  /**
   * Called after writes land in the spreadsheet: an execution's (at a flush, an own read, or its
   * end) or the host's (ex null). The simulator checks its every-instant invariants here.
   */
  onCommit: ((ex: ExecState | null) => void) | null = null;
  private locks = new Map<string, LockState>();
  private saveTimer: NodeJS.Timeout | null = null;
  private seq = 0;
  private readonly clockFn: () => number;
  /** Real clock: how far a test or the dev server moved time forward. */
  private clockShift = 0;
  private slotsUsed = 0;
  private slotQueue: Array<() => void> = [];

  constructor(options: BackendOptions = {}) {
    const virtual = (options.clock ?? 'virtual') === 'virtual';
    this.opts = {
      timeZone: options.timeZone ?? 'Europe/London',
      mailQuotaPerDay: options.mailQuotaPerDay ?? 100,
      executionTimeLimitMs: options.executionTimeLimitMs ?? 6 * 60e3,
      gmailOpsPerDay: options.gmailOpsPerDay ?? 20000,
      // Modelled time costs nothing real, so the virtual clock charges realistic latency by default.
      latency: options.latency === undefined ? (virtual ? REALISTIC_LATENCY : null) : options.latency,
      latencyScale: options.latencyScale ?? 1,
      url: options.url ?? null,
      owner: options.owner ?? 'host@example.com',
      dataFile: options.dataFile,
      onKill: options.onKill ?? 'discard',
      clock: virtual ? 'virtual' : 'real',
      jitter: options.jitter ?? 0.5,
      // Google publishes no figure; this is on the strict side of what public reports suggest.
      lockRateMax: options.lockRateMax ?? 10,
      lockRateWindowMs: options.lockRateWindowMs ?? 1000,
      maxConcurrent: options.maxConcurrent ?? 30,
      overflow: options.overflow ?? 'queue',
      queueLimit: options.queueLimit ?? Infinity,
      cacheEviction: options.cacheEviction ?? 0,
      propertyOpsPerDay: options.propertyOpsPerDay ?? 50000,
      triggerMsPerDay: options.triggerMsPerDay ?? 90 * 60e3,
      realTimeLimitMs: options.realTimeLimitMs ?? 120e3,
    };
    if (virtual && options.now)
      throw new Error('the virtual clock is moved with advanceTo, not a now() option');
    this.sim = virtual ? new Sim(options.seed ?? 1, Math.round(options.startAt ?? Date.now())) : null;
    const real = options.now ?? Date.now;
    this.clockFn = this.sim ? () => this.sim!.now : () => real() + this.clockShift;
    this.ss = new Spreadsheet(this.opts.timeZone);
    this.mailbox = new Mailbox(this.opts.owner);
    if (this.opts.dataFile && fs.existsSync(this.opts.dataFile)) this.load(this.opts.dataFile);
  }

  now(): number {
    return this.clockFn();
  }

  get virtual(): boolean {
    return this.sim !== null;
  }

  /** Move the clock forward to `t` (a test or the dev server skipping to later). Never back. */
  advanceTo(t: number): void {
    if (this.sim) return this.sim.advanceTo(Math.max(t, this.sim.now));
    const now = this.now();
    if (t > now) this.clockShift += t - now;
  }

  /** Virtual clock: resolves when no execution runs and nothing is scheduled. */
  idle(): Promise<void> {
    return this.sim ? this.sim.idle() : Promise.resolve();
  }

  // ---- executions ------------------------------------------------------------------------

  /**
   * Admit an execution: at most maxConcurrent run at once; past that Google refuses (overflow
   * 'refuse') or, in the gentler model, the execution waits for a slot. Returns false if refused.
   */
  admit(start: (queuedMs: number) => void): boolean {
    if (this.slotsUsed < this.opts.maxConcurrent) {
      this.slotsUsed++;
      start(0);
      return true;
    }
    if (this.opts.overflow === 'refuse' || this.slotQueue.length >= this.opts.queueLimit) {
      this.refusals++;
      return false;
    }
    const since = this.now();
    this.slotQueue.push(() => start(this.now() - since));
    return true;
  }

  private releaseSlot(): void {
    const next = this.slotQueue.shift();
    if (next) next();
    else this.slotsUsed--;
  }

  beginExecution(fn: string, context: ExecutionContext, queuedMs = 0): ExecState {
    const id = `exec-${++this.seq}`;
    let resolveEnded!: (ex: ExecState) => void;
    const startedAt = this.now() - queuedMs;
    const ex: ExecState = {
      id,
      fn,
      context,
      // Time spent queued for a slot counts against the execution, as it does against a request.
      startedAt,
      pending: [],
      calls: {},
      callsInLock: {},
      modelledMs: 0,
      lockWaitMs: 0,
      lockHeldMs: 0,
      locks: new Set(),
      logs: [],
      dead: false,
      seq: 0,
      deadline: startedAt + this.opts.executionTimeLimitMs,
      ended: new Promise((r) => (resolveEnded = r)),
      queuedMs,
    };
    (ex as ExecState & { resolveEnded?: (e: ExecState) => void }).resolveEnded = resolveEnded;
    this.executions.set(id, ex);
    if (this.sim) {
      this.sim.running(id);
      // The 6-minute limit, also for an execution that waits on a lock or sleeps past it.
      ex.cancelDeadline = this.sim.schedule(ex.deadline, `${id}#deadline`, () => this.stop(ex));
    }
    return ex;
  }

  /** A seed for the execution's own randomness (Math.random, Utilities.getUuid): fixed per run. */
  seedOf(execId: string): number | null {
    return this.sim ? hash32(this.sim.seed, execId) : null;
  }

  /**
   * The script side has finished (returned, threw, or was killed). With the virtual clock the
   * end (commit, lock release) is an event of its own, so it lands in modelled-time order.
   */
  finish(execId: string, how: 'returned' | 'threw' | 'killed'): Promise<ExecState | undefined> {
    const ex = this.executions.get(execId);
    if (!ex) return Promise.resolve(undefined);
    ex.dead = true;
    if (!this.sim) {
      this.endExecution(execId, how);
      return ex.ended;
    }
    this.sim.waiting(execId);
    this.sim.schedule(this.sim.now, `${execId}#end`, () => this.endExecution(execId, how));
    return ex.ended;
  }

  /** The execution time limit: Google stops the execution; what it flushed stays, the rest per onKill. */
  private stop(ex: ExecState): void {
    if (!this.executions.has(ex.id) || ex.stoppedBy) return;
    ex.stoppedBy = 'time';
    ex.dead = true;
    this.sim?.waiting(ex.id);
    this.endExecution(ex.id, 'killed');
    for (const hook of this.stopHooks) hook(ex.id);
  }

  /** End of an execution: commit (or on a kill, maybe discard) its writes and release its locks. */
  endExecution(id: string, how: 'returned' | 'threw' | 'killed'): ExecState | undefined {
    const ex = this.executions.get(id);
    if (!ex) return undefined;
    ex.dead = true;
    ex.cancelDeadline?.();
    if (how !== 'killed' || this.opts.onKill === 'commit') this.commit(ex);
    ex.pending = [];
    for (const name of [...ex.locks]) this.releaseLock(ex, name);
    this.executions.delete(id);
    ex.endedAt = this.now();
    if (this.sim) ex.modelledMs = ex.endedAt - ex.startedAt;
    if (ex.context === 'trigger') this.chargeTriggerTime(this.now() - ex.startedAt);
    this.finished.push(ex);
    if (this.finished.length > 5000) this.finished.splice(0, this.finished.length - 5000);
    this.scheduleSave();
    this.releaseSlot();
    (ex as ExecState & { resolveEnded?: (e: ExecState) => void }).resolveEnded?.(ex);
    return ex;
  }

  private commit(ex: ExecState): void {
    if (!ex.pending.length) return;
    const ops = ex.pending;
    ex.pending = [];
    for (const op of ops) this.ss.apply(op);
    this.scheduleSave();
    this.onCommit?.(ex);
  }

  /** One service call from an execution. Throws GasError with Apps Script's text on failure. */
  async handle(execId: string, method: string, args: unknown[]): Promise<unknown> {
    const ex = this.executions.get(execId);
    if (!ex || ex.dead) throw new GasError(ERR.timeLimit);
    ex.calls[method] = (ex.calls[method] ?? 0) + 1;
    if (ex.locks.has('script')) ex.callsInLock[method] = (ex.callsInLock[method] ?? 0) + 1;
    const denied = ex.context === 'simple' ? simpleTriggerDenial(method) : null;
    if (denied) throw new GasError(denied);
    if (this.sim) return this.handleVirtual(ex, method, args);
    this.checkTime(ex);
    const cost = this.cost(ex, method, args);
    if (cost > 0) {
      ex.modelledMs += cost;
      const real = cost * this.opts.latencyScale;
      if (real >= 1) await delay(real);
      this.checkTime(ex);
    }
    const h = this.handlers[method];
    if (!h) throw new GasError(`not emulated: ${method}`);
    this.chargeQuotas(method);
    if (method === 'utilities.sleep') return this.sleepReal(ex, args[0] as number);
    return (h as (ex: ExecState, ...a: unknown[]) => unknown)(ex, ...args);
  }

  /**
   * The call completes at now + its modelled cost (seeded jitter), in modelled-time order with every
   * other execution's calls. A lock that is held keeps the call waiting until it is released or the
   * timeout passes; past the execution's deadline the execution is stopped instead.
   */
  private handleVirtual(ex: ExecState, method: string, args: unknown[]): Promise<unknown> {
    const sim = this.sim!;
    const id = `${ex.id}#${++ex.seq}`;
    const h = this.handlers[method];
    const sleep = method === 'utilities.sleep';
    const base = sleep ? Math.max(0, Number(args[0]) || 0) : this.cost(ex, method, args);
    const jitter = sleep ? 0 : this.opts.jitter * (2 * sim.hashed(id, 'jitter') - 1);
    const cost = Math.round(base * (1 + jitter));
    const due = sim.now + cost;
    sim.waiting(ex.id);
    return new Promise((resolve, reject) => {
      sim.schedule(Math.min(due, ex.deadline), id, () => {
        if (ex.dead) return; // stopped or killed meanwhile: the call is never answered
        if (due > ex.deadline) return this.stop(ex);
        sim.running(ex.id);
        try {
          if (!h) throw new GasError(`not emulated: ${method}`);
          this.chargeQuotas(method);
          if (method === 'lock.acquire') {
            return this.acquireVirtual(ex, id, args[0] as string, args[1] as number, resolve);
          }
          resolve((h as (ex: ExecState, ...a: unknown[]) => unknown)(ex, ...args));
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  private acquireVirtual(
    ex: ExecState,
    callId: string,
    name: string,
    timeoutMs: number,
    resolve: (v: boolean) => void,
  ): void {
    const sim = this.sim!;
    const l = this.lockState(name);
    if (l.holder === ex.id || l.holder === null) {
      if (l.holder === null) this.grant(ex, name);
      return resolve(true);
    }
    if (timeoutMs <= 0) return resolve(false);
    sim.waiting(ex.id);
    const started = sim.now;
    const due = started + timeoutMs;
    const waiter: LockWaiter = {
      exec: ex.id,
      grant: (ok) => {
        waiter.cancel();
        ex.lockWaitMs += sim.now - started;
        sim.running(ex.id);
        resolve(ok);
      },
      cancel: sim.schedule(Math.min(due, ex.deadline), `${callId}#timeout`, () => {
        l.waiters = l.waiters.filter((w) => w !== waiter);
        if (due > ex.deadline) return this.stop(ex);
        ex.lockWaitMs += sim.now - started;
        sim.running(ex.id);
        resolve(false);
      }),
    };
    l.waiters.push(waiter);
  }

  /**
   * How far an execution's Apps Script clock runs ahead of the real one (real clock only): with
   * latencyScale < 1 each call sleeps only a fraction of its modelled time, but the script's clock
   * (and its 6-minute limit) counts all of it, so time budgets in the script behave as on Google.
   */
  skewOf(execId: string): number {
    if (this.sim) return 0;
    const ex = this.executions.get(execId);
    const scale = this.opts.latencyScale;
    return ex && scale < 1 ? ex.modelledMs * (1 - scale) : 0;
  }

  private elapsed(ex: ExecState): number {
    return this.now() - ex.startedAt + this.skewOf(ex.id);
  }

  private checkTime(ex: ExecState): void {
    if (this.elapsed(ex) > this.opts.executionTimeLimitMs) {
      ex.dead = true;
      throw new GasError(ERR.timeLimit);
    }
  }

  private async sleepReal(ex: ExecState, ms: number): Promise<void> {
    const until = Math.min(ms, Math.max(0, this.opts.executionTimeLimitMs - this.elapsed(ex) + 5));
    await delay(until);
    this.checkTime(ex);
  }

  private cost(ex: ExecState, method: string, args: unknown[]): number {
    const m = this.opts.latency;
    if (!m) return 0;
    const base = m.methods[method] ?? m.methods[method.split('.')[0]] ?? m.default;
    let cells = 0;
    const ref = args[0] as RangeRef | undefined;
    if (method.startsWith('range.') && ref && typeof ref === 'object' && 'numRows' in ref) {
      cells = ref.numRows * ref.numCols;
    }
    if (method === 'flush') {
      for (const op of ex.pending) if (op.kind === 'setValues') cells += op.ref.numRows * op.ref.numCols;
    }
    return base + cells * m.perCell;
  }

  // ---- locks -----------------------------------------------------------------------------

  /** LockService's rate limit: too many lock operations in a short time fail with Google's text. */
  private countLockOp(): void {
    const now = this.now();
    const window = this.opts.lockRateWindowMs;
    while (this.lockOps.length && this.lockOps[0] <= now - window) this.lockOps.shift();
    if (this.lockOps.length >= this.opts.lockRateMax) {
      this.lockRefusals++;
      throw new GasError(ERR.lockRate);
    }
    this.lockOps.push(now);
    this.lockOpsTotal++;
  }

  /** Every lock operation counted so far (benchmarks report them per sign-up). */
  lockOpsTotal = 0;

  private lockState(name: string): LockState {
    let l = this.locks.get(name);
    if (!l) {
      l = { holder: null, waiters: [] };
      this.locks.set(name, l);
    }
    return l;
  }

  private grant(ex: ExecState, name: string): void {
    this.lockState(name).holder = ex.id;
    ex.locks.add(name);
    if (name === 'script') ex.lockSince = this.now();
  }

  private acquire(ex: ExecState, name: string, timeoutMs: number): Promise<boolean> | boolean {
    const l = this.lockState(name);
    if (l.holder === ex.id) return true;
    if (l.holder === null) {
      this.grant(ex, name);
      return true;
    }
    if (timeoutMs <= 0) return false;
    const started = Date.now();
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        l.waiters = l.waiters.filter((w) => w !== waiter);
        waiter.grant(false);
      }, timeoutMs);
      const waiter: LockWaiter = {
        exec: ex.id,
        grant: (ok: boolean) => {
          clearTimeout(timer);
          ex.lockWaitMs += Date.now() - started;
          resolve(ok);
        },
        cancel: () => clearTimeout(timer),
      };
      l.waiters.push(waiter);
    });
  }

  private releaseLock(ex: ExecState, name: string): void {
    const l = this.lockState(name);
    if (l.holder !== ex.id) return;
    ex.locks.delete(name);
    if (name === 'script' && ex.lockSince !== undefined) {
      ex.lockHeldMs += this.now() - ex.lockSince;
      ex.lockSince = undefined;
    }
    l.holder = null;
    l.waiters = l.waiters.filter((w) => {
      const alive = this.executions.get(w.exec);
      if (!alive || alive.dead) w.cancel();
      return alive && !alive.dead;
    });
    if (!l.waiters.length) return;
    // Google promises no order among waiters: the virtual clock picks one by seed, real time is FIFO.
    const i = this.sim ? Math.floor(this.sim.random() * l.waiters.length) : 0;
    const [next] = l.waiters.splice(i, 1);
    this.grant(this.executions.get(next.exec)!, name);
    next.grant(true);
  }

  lockHolder(name = 'script'): string | null {
    return this.locks.get(name)?.holder ?? null;
  }

  // ---- mail quota ------------------------------------------------------------------------

  mailRemaining(): number {
    const now = this.now();
    if (this.quota.mailWindowStart && now - this.quota.mailWindowStart >= DAY) {
      this.quota = { ...this.quota, mailUsed: 0, mailWindowStart: 0 };
    }
    return Math.max(0, this.opts.mailQuotaPerDay - this.quota.mailUsed);
  }

  private chargeMail(recipients: number): void {
    if (this.mailRemaining() < recipients) throw new GasError(ERR.mailQuota);
    if (!this.quota.mailWindowStart) this.quota.mailWindowStart = this.now();
    this.quota.mailUsed += recipients;
  }

  /**
   * Gmail read/write operations per day (20,000 on a consumer account). Counted: searches, thread and
   * message fetches, labels, replies; not the getters of a fetched message (they read what was fetched).
   */
  private chargeGmail(method: string): void {
    if (!method.startsWith('gmail.') || method === 'gmail.message.get') return;
    const now = this.now();
    if (!this.quota.gmailWindowStart || now - this.quota.gmailWindowStart >= DAY)
      this.quota = { ...this.quota, gmailUsed: 0, gmailWindowStart: now };
    if ((this.quota.gmailUsed ?? 0) >= this.opts.gmailOpsPerDay) throw new GasError(ERR.gmailQuota);
    this.quota.gmailUsed = (this.quota.gmailUsed ?? 0) + 1;
  }

  /** The per-call quotas and rates: Gmail operations, property reads and writes, lock operations. */
  private chargeQuotas(method: string): void {
    this.chargeGmail(method);
    if (method.startsWith('props.')) this.chargeProps();
    if (method === 'lock.acquire' || method === 'lock.release') this.countLockOp();
  }

  /** Properties reads and writes per day (50,000 on a consumer account). */
  private chargeProps(): void {
    const now = this.now();
    if (!this.quota.propsWindowStart || now - this.quota.propsWindowStart >= DAY)
      this.quota = { ...this.quota, propsUsed: 0, propsWindowStart: now };
    if ((this.quota.propsUsed ?? 0) >= this.opts.propertyOpsPerDay) throw new GasError(ERR.propsQuota);
    this.quota.propsUsed = (this.quota.propsUsed ?? 0) + 1;
  }

  /** Trigger run time per day (90 minutes on a consumer account): spent, a trigger fails at start. */
  private chargeTriggerTime(ms: number): void {
    const now = this.now();
    if (!this.quota.triggerWindowStart || now - this.quota.triggerWindowStart >= DAY)
      this.quota = { ...this.quota, triggerMsUsed: 0, triggerWindowStart: now };
    this.quota.triggerMsUsed = (this.quota.triggerMsUsed ?? 0) + ms;
  }

  /** Whether a trigger may start: false once today's trigger run time is spent. */
  triggerTimeLeft(): boolean {
    const now = this.now();
    if (this.quota.triggerWindowStart && now - this.quota.triggerWindowStart >= DAY) return true;
    return (this.quota.triggerMsUsed ?? 0) < this.opts.triggerMsPerDay;
  }

  // ---- handlers --------------------------------------------------------------------------

  private readAs(ex: ExecState, ref: RangeRef, mode: 'values' | 'display' | 'formulas') {
    this.commit(ex); // an execution's own read flushes its pending writes first
    return this.ss.read(this.ss.checkRange(ref), mode);
  }

  /** Rows and columns this execution's unflushed inserts and appends will add to a sheet. */
  private pendingGrowth(ex: ExecState, sheetId: number): { rows: number; cols: number } {
    let rows = 0;
    let cols = 0;
    for (const op of ex.pending) {
      if (op.kind === 'insertRowsAfter' && op.sheetId === sheetId) rows += op.count;
      if (op.kind === 'appendRow' && op.sheetId === sheetId) {
        rows += 1;
        cols = Math.max(cols, op.values.length);
      }
    }
    return { rows, cols };
  }

  private queue(ex: ExecState, op: WriteOp): void {
    this.ss.checkWrite(op);
    ex.pending.push(op);
  }

  private format(ex: ExecState, sheetId: number, apply: (s: ReturnType<Spreadsheet['sheet']>) => void) {
    this.ss.sheet(sheetId);
    ex.pending.push({ kind: 'format', sheetId, apply });
  }

  private sendMail(m: Omit<SentMail, 'id' | 'at'>): SentMail {
    for (const [k, v] of Object.entries({
      to: m.to,
      subject: m.subject,
      name: m.name,
      replyTo: m.replyTo,
      cc: m.cc,
    })) {
      // Stricter than Google on purpose: header injection must be visible in tests.
      if (typeof v === 'string' && /[\r\n]/.test(v)) throw new GasError(`Invalid argument: ${k}`);
    }
    if (!m.to && !m.cc && !m.bcc) throw new GasError('Failed to send email: no recipient');
    if (m.subject.length > 250) throw new GasError('Invalid argument: subject');
    const recipients = [m.to, m.cc, m.bcc]
      .filter(Boolean)
      .join(',')
      .split(',')
      .filter((s) => s.trim()).length;
    // Each address in a comma list is a recipient, counted against the day's quota one by one.
    if (recipients > 50) throw new GasError('Limit Exceeded: Email Recipients Per Message.');
    if (bytes(m.body ?? '') > MAX_BODY || bytes(m.htmlBody ?? '') > MAX_BODY)
      throw new GasError('Limit Exceeded: Email Body Size.');
    this.chargeMail(recipients);
    const sent: SentMail = { id: `mail-${this.mail.length + 1}`, at: this.now(), ...m };
    this.mail.push(sent);
    this.scheduleSave();
    return sent;
  }

  /**
   * GmailMessage.reply answers that message's sender (its Reply-To when set); GmailThread.reply answers the
   * thread's last message, even when that is the owner's own (then it goes to the owner, as on Gmail).
   * The replyTo option only sets the Reply-To of the answer.
   */
  private gmailReply(target: MailMessage, body: string, o: Record<string, unknown> = {}, execId?: string) {
    const threadId = target.threadId;
    const to = target.replyTo || target.from;
    const subject = /^re:/i.test(target.subject) ? target.subject : `Re: ${target.subject}`;
    const sent = this.sendMail({
      via: 'GmailApp',
      execId,
      to,
      subject,
      body,
      htmlBody: o.htmlBody as string | undefined,
      name: o.name as string | undefined,
      replyTo: o.replyTo as string | undefined,
      attachments: o.attachments as SentMail['attachments'],
      threadId,
    });
    this.mailbox.deliver(
      {
        from: `${String(o.name ?? '')} <${this.opts.owner}>`.trim(),
        to,
        subject,
        plainBody: body,
        sent: true,
        date: this.now(),
        // As Gmail's replies do: the answer names the message it answers.
        headers: { 'In-Reply-To': this.mailbox.header(target, 'Message-ID') },
      },
      { threadId },
    );
    return sent.id;
  }

  readonly handlers: Record<string, (ex: ExecState, ...args: never[]) => unknown> = {
    // Spreadsheet
    'ss.get': () => ({ id: 'spreadsheet-1', name: this.ss.name }),
    'ss.getId': () => 'spreadsheet-1',
    'ss.getName': () => this.ss.name,
    'ss.getUrl': () => 'http://localhost/sheets',
    'ss.getTimeZone': () => this.ss.timeZone,
    'ss.getSheets': () => this.ss.sheets.map((s) => ({ id: s.id, name: s.name })),
    'ss.getSheetByName': (_ex, name: string) => {
      const s = this.ss.byName(name);
      return s ? { id: s.id, name: s.name } : null;
    },
    'ss.insertSheet': (ex, name: string, index?: number) => {
      this.commit(ex);
      const s = this.ss.insertSheet(name, index);
      this.scheduleSave();
      return { id: s.id, name: s.name };
    },
    'ss.deleteSheet': (ex, id: number) => {
      this.commit(ex);
      this.ss.deleteSheet(id);
    },
    'ss.toast': (_ex, message: string, title: string) => {
      this.toasts.push({ at: this.now(), message: String(message), title: String(title ?? '') });
    },
    'sheet.getName': (_ex, id: number) => this.ss.sheet(id).name,
    'sheet.setName': (ex, id: number, name: string) => {
      this.commit(ex);
      if (this.ss.byName(name) && this.ss.byName(name)!.id !== id) {
        throw new GasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
      }
      this.ss.sheet(id).name = name;
    },
    'sheet.getLastRow': (ex, id: number) => {
      this.commit(ex);
      return this.ss.lastRow(this.ss.sheet(id));
    },
    'sheet.getLastColumn': (ex, id: number) => {
      this.commit(ex);
      return this.ss.lastColumn(this.ss.sheet(id));
    },
    'sheet.getMaxRows': (ex, id: number) => {
      this.commit(ex);
      return this.ss.sheet(id).maxRows;
    },
    'sheet.getMaxColumns': (ex, id: number) => {
      this.commit(ex);
      return this.ss.sheet(id).maxColumns;
    },
    'sheet.getFrozenRows': (ex, id: number) => {
      this.commit(ex);
      return this.ss.sheet(id).frozenRows;
    },
    // getRange is not a read: it must not flush. Its bounds count this execution's pending inserts.
    'sheet.getRange': (ex, id: number, row: number, col: number, numRows = 1, numCols = 1) =>
      this.ss.checkRange({ sheetId: id, row, col, numRows, numCols }, this.pendingGrowth(ex, id)),
    'sheet.getRangeA1': (ex, id: number, a1: string) => {
      const s = this.ss.sheet(id);
      const grow = this.pendingGrowth(ex, id);
      return this.ss.checkRange(
        { sheetId: id, ...parseA1(a1, s.maxRows + grow.rows, s.maxColumns + grow.cols) },
        grow,
      );
    },
    'sheet.getDataRange': (ex, id: number) => {
      this.commit(ex);
      const s = this.ss.sheet(id);
      return {
        sheetId: id,
        row: 1,
        col: 1,
        numRows: Math.max(1, this.ss.lastRow(s)),
        numCols: Math.max(1, this.ss.lastColumn(s)),
      };
    },
    'sheet.appendRow': (ex, id: number, values: unknown[]) => {
      this.ss.sheet(id);
      if (!Array.isArray(values)) throw new GasError('Invalid argument: rowContents');
      this.queue(ex, { kind: 'appendRow', sheetId: id, values });
    },
    'sheet.insertRowsAfter': (ex, id: number, after: number, count: number) => {
      this.ss.sheet(id);
      this.queue(ex, { kind: 'insertRowsAfter', sheetId: id, after, count });
    },
    'sheet.deleteRows': (ex, id: number, row: number, count: number) => {
      ex.pending.push({ kind: 'deleteRows', sheetId: id, row, count });
    },
    'sheet.setFrozenRows': (ex, id: number, n: number) => this.format(ex, id, (s) => (s.frozenRows = n)),
    'sheet.hideColumns': (ex, id: number, col: number, n = 1) =>
      this.format(ex, id, (s) => {
        for (let c = col; c < col + n; c++) if (!s.hiddenColumns.includes(c)) s.hiddenColumns.push(c);
      }),
    'sheet.showColumns': (ex, id: number, col: number, n = 1) =>
      this.format(ex, id, (s) => (s.hiddenColumns = s.hiddenColumns.filter((c) => c < col || c >= col + n))),
    'sheet.isColumnHiddenByUser': (ex, id: number, col: number) => {
      this.commit(ex);
      return this.ss.sheet(id).hiddenColumns.includes(col);
    },
    'sheet.setColumnWidth': (ex, id: number, col: number, w: number) =>
      this.format(ex, id, (s) => (s.columnWidths[col] = w)),
    'sheet.protect': (ex, id: number, description: string) =>
      this.format(ex, id, (s) => (s.protectedDescription = description || 'protected')),
    'sheet.clear': (ex, id: number) => {
      const s = this.ss.sheet(id);
      ex.pending.push({
        kind: 'clear',
        ref: { sheetId: id, row: 1, col: 1, numRows: s.maxRows, numCols: s.maxColumns },
      });
    },
    'range.getValues': (ex, ref: RangeRef) => this.readAs(ex, ref, 'values'),
    'range.getValue': (ex, ref: RangeRef) =>
      this.readAs(ex, { ...ref, numRows: 1, numCols: 1 }, 'values')[0][0],
    'range.getDisplayValues': (ex, ref: RangeRef) => this.readAs(ex, ref, 'display'),
    'range.getDisplayValue': (ex, ref: RangeRef) =>
      this.readAs(ex, { ...ref, numRows: 1, numCols: 1 }, 'display')[0][0],
    'range.getFormulas': (ex, ref: RangeRef) => this.readAs(ex, ref, 'formulas'),
    'range.setValues': (ex, ref: RangeRef, values: unknown[][]) =>
      this.queue(ex, { kind: 'setValues', ref, values }),
    'range.setValue': (ex, ref: RangeRef, value: unknown) =>
      this.queue(ex, {
        kind: 'setValues',
        ref,
        values: Array.from({ length: ref.numRows }, () => Array.from({ length: ref.numCols }, () => value)),
      }),
    'range.clearContent': (ex, ref: RangeRef) => ex.pending.push({ kind: 'clear', ref }),
    'range.setNumberFormat': (ex, ref: RangeRef, fmt: string) =>
      this.format(ex, ref.sheetId, (s) => {
        for (let c = ref.col; c < ref.col + ref.numCols; c++) s.columnFormats[c] = fmt;
      }),
    'range.setNote': (ex, ref: RangeRef, note: string) =>
      this.format(ex, ref.sheetId, (s) => {
        const key = `${ref.row},${ref.col}`;
        if (note) s.notes[key] = String(note);
        else delete s.notes[key];
      }),
    'range.getNote': (ex, ref: RangeRef) => {
      this.commit(ex);
      return this.ss.sheet(ref.sheetId).notes[`${ref.row},${ref.col}`] ?? '';
    },
    // Pure presentation: recorded nowhere, but real calls (counted and charged).
    'range.style': () => undefined,
    flush: (ex) => this.commit(ex),

    // Locks
    'lock.acquire': (ex, name: string, timeoutMs: number) => this.acquire(ex, name, timeoutMs),
    'lock.release': (ex, name: string) => this.releaseLock(ex, name),
    'lock.has': (ex, name: string) => ex.locks.has(name),

    // Properties
    'props.get': (_ex, store: string, key: string) => this.store(store)[key] ?? null,
    'props.getAll': (_ex, store: string) => ({ ...this.store(store) }),
    'props.keys': (_ex, store: string) => Object.keys(this.store(store)),
    'props.set': (_ex, store: string, key: string, value: string) =>
      this.setProps(store, { [key]: value }, false),
    'props.setAll': (_ex, store: string, values: Record<string, string>, deleteOthers: boolean) =>
      this.setProps(store, values, deleteOthers),
    'props.delete': (_ex, store: string, key: string) => {
      delete this.store(store)[key];
      this.scheduleSave();
    },
    'props.deleteAll': (_ex, store: string) => {
      const s = this.store(store);
      for (const k of Object.keys(s)) delete s[k];
      this.scheduleSave();
    },

    // Cache
    'cache.get': (_ex, key: string) => this.cacheGet(key),
    'cache.getAll': (_ex, keys: string[]) => {
      const out: Record<string, string> = {};
      for (const k of keys) {
        const v = this.cacheGet(k);
        if (v !== null) out[k] = v;
      }
      return out;
    },
    'cache.put': (_ex, key: string, value: string, ttl?: number) => this.cachePut(key, value, ttl),
    'cache.putAll': (_ex, values: Record<string, string>, ttl?: number) => {
      for (const [k, v] of Object.entries(values)) this.cachePut(k, v, ttl);
    },
    'cache.remove': (_ex, key: string) => void this.cache.delete(key),
    'cache.removeAll': (_ex, keys: string[]) => keys.forEach((k) => this.cache.delete(k)),

    // Mail
    'mail.send': (ex, m: Omit<SentMail, 'id' | 'at' | 'via'>) =>
      void this.sendMail({ ...m, via: 'MailApp', execId: ex.id }),
    'mail.quota': () => this.mailRemaining(),

    // Gmail
    'gmail.search': (_ex, query: string, start = 0, max = 500) => {
      if (max > 500) throw new GasError('Argument max cannot exceed 500.');
      return this.mailbox
        .search(String(query), this.now())
        .slice(start, start + max)
        .map((t) => t.id);
    },
    'gmail.getThreadById': (_ex, id: string) => (this.mailbox.threads.some((t) => t.id === id) ? id : null),
    'gmail.getMessageById': (_ex, id: string) => (this.mailbox.messages.some((m) => m.id === id) ? id : null),
    'gmail.thread.messages': (_ex, id: string) => [...this.mailbox.thread(id).messageIds],
    'gmail.thread.subject': (_ex, id: string) =>
      this.mailbox.message(this.mailbox.thread(id).messageIds[0]).subject,
    'gmail.thread.labels': (_ex, id: string) => [...this.mailbox.thread(id).labels],
    'gmail.thread.addLabel': (_ex, id: string, label: string) => {
      if (!this.mailbox.labels.includes(label)) throw new GasError('Invalid argument: label');
      const t = this.mailbox.thread(id);
      if (!t.labels.includes(label)) t.labels.push(label);
      this.scheduleSave();
    },
    'gmail.label.addToThreads': (_ex, label: string, ids: string[]) => {
      if (!this.mailbox.labels.includes(label)) throw new GasError('Invalid argument: label');
      // GmailLabel.addToThreads takes at most 100 threads per call.
      if (ids.length > 100) throw new GasError('Invalid argument: threads');
      for (const id of ids) {
        const t = this.mailbox.thread(id);
        if (!t.labels.includes(label)) t.labels.push(label);
      }
      this.scheduleSave();
    },
    'gmail.getAliases': () => [],
    'gmail.thread.removeLabel': (_ex, id: string, label: string) => {
      const t = this.mailbox.thread(id);
      t.labels = t.labels.filter((l) => l !== label);
      this.scheduleSave();
    },
    'gmail.thread.markRead': (_ex, id: string) => {
      this.mailbox.thread(id).messageIds.forEach((m) => (this.mailbox.message(m).unread = false));
      this.scheduleSave();
    },
    'gmail.thread.moveToArchive': (_ex, id: string) => {
      this.mailbox.thread(id).messageIds.forEach((m) => (this.mailbox.message(m).inInbox = false));
      this.scheduleSave();
    },
    'gmail.thread.reply': (ex, id: string, body: string, options?: Record<string, unknown>) => {
      const ids = this.mailbox.thread(id).messageIds;
      void this.gmailReply(this.mailbox.message(ids[ids.length - 1]), body, options, ex.id);
    },
    'gmail.message.get': (_ex, id: string, field: keyof MailMessage | 'header' | 'raw', header?: string) => {
      const m = this.mailbox.message(id);
      const faults = this.messageFaults.get(id) ?? 0;
      if (faults > 0) {
        this.messageFaults.set(id, faults - 1);
        throw new GasError("We're sorry, a server error occurred. Please wait a bit and try again.");
      }
      if (field === 'header') return this.mailbox.header(m, String(header));
      if (field === 'raw') return rawContent(m);
      if (field === 'date') return new Date(m.date);
      if (field === 'htmlBody') return m.htmlBody ?? escapeHtml(m.plainBody).replace(/\n/g, '<br>');
      // An HTML-only message: Gmail gives its text with the tags stripped (quotes lose their '>' marks).
      if (field === 'plainBody' && !m.plainBody && m.htmlBody) return htmlAsGmailText(m.htmlBody);
      if (field === 'replyTo') return m.replyTo ?? '';
      return m[field];
    },
    'gmail.message.markRead': (_ex, id: string) => {
      this.mailbox.message(id).unread = false;
      this.scheduleSave();
    },
    'gmail.message.reply': (ex, id: string, body: string, options?: Record<string, unknown>) =>
      void this.gmailReply(this.mailbox.message(id), body, options, ex.id),
    'gmail.getUserLabelByName': (_ex, name: string) => (this.mailbox.labels.includes(name) ? name : null),
    'gmail.createLabel': (_ex, name: string) => {
      if (!this.mailbox.labels.includes(name)) this.mailbox.labels.push(name);
      this.scheduleSave();
      return name;
    },
    'gmail.sendEmail': (ex, m: Omit<SentMail, 'id' | 'at' | 'via'>) => {
      this.sendMail({ ...m, via: 'GmailApp', execId: ex.id });
      this.mailbox.deliver({
        from: this.opts.owner,
        to: m.to,
        subject: m.subject,
        plainBody: m.body,
        sent: true,
        date: this.now(),
      });
    },

    // Triggers and script
    'triggers.create': (_ex, spec: Omit<TriggerSpec, 'id'>) => {
      if (this.triggers.length >= MAX_TRIGGERS) throw new GasError(ERR.tooManyTriggers);
      const id = `trigger-${this.now()}-${this.triggers.length + 1}`;
      const every = (spec.everyMinutes ?? 0) * 60e3 + (spec.everyHours ?? 0) * 3600e3;
      this.triggers.push({ ...spec, id, nextRunAt: spec.at ?? (every ? this.now() + every : undefined) });
      this.scheduleSave();
      return id;
    },
    'triggers.list': () => this.triggers.map((t) => ({ ...t })),
    'triggers.delete': (_ex, id: string) => {
      this.triggers = this.triggers.filter((t) => t.id !== id);
      this.scheduleSave();
    },
    'script.url': () => this.opts.url,
    'session.scriptTimeZone': () => this.opts.timeZone,
    'session.effectiveUser': () => this.opts.owner,
    'session.activeUser': (ex) => (hasUi(ex) ? this.opts.owner : ''),
    'ui.check': (ex) => {
      if (!hasUi(ex)) throw new GasError(ERR.noUi);
    },
    'ui.menu': (ex, name: string, items: Array<{ caption: string; fn: string } | null>) => {
      if (!hasUi(ex)) throw new GasError(ERR.noUi);
      this.menus[name] = items;
      this.scheduleSave();
    },
    'ui.alert': (ex, message: string) => {
      if (!hasUi(ex)) throw new GasError(ERR.noUi);
      ex.logs.push(`[alert] ${message}`);
      return 'OK';
    },
    // The wait itself is the call's cost (handle): modelled time, or real time in the dev server.
    'utilities.sleep': () => undefined,
    log: (ex, line: string) => void ex.logs.push(String(line)),
  };

  private store(name: string): Record<string, string> {
    if (name === 'script') return this.scriptProperties;
    if (name === 'user') return this.userProperties;
    if (name === 'document') return this.documentProperties;
    throw new GasError(`not emulated: properties store ${name}`);
  }

  private setProps(store: string, values: Record<string, string>, deleteOthers: boolean): void {
    const s = this.store(store);
    const next = deleteOthers ? {} : { ...s };
    for (const [k, v] of Object.entries(values)) {
      const str = String(v);
      if (bytes(str) > MAX_PROPERTY_VALUE) throw new GasError('Argument too large: value');
      next[k] = str;
    }
    // The limits are in bytes: a value in Greek or emoji takes two to four per character.
    const total = Object.entries(next).reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0);
    if (total > MAX_PROPERTY_STORE) {
      throw new GasError(
        'You have exceeded the property storage quota. Please remove some properties and try again.',
      );
    }
    for (const k of Object.keys(s)) delete s[k];
    Object.assign(s, next);
    this.scheduleSave();
  }

  private cacheGet(key: string): string | null {
    const e = this.cache.get(key);
    if (!e) return null;
    // Best effort, as Google's is: an entry may be gone before it expires (seeded, virtual clock).
    if (this.sim && this.opts.cacheEviction > 0 && this.sim.random() < this.opts.cacheEviction) {
      this.cache.delete(key);
      return null;
    }
    if (e.expiresAt <= this.now()) {
      this.cache.delete(key);
      return null;
    }
    return e.value;
  }

  private cachePut(key: string, value: string, ttl = 600): void {
    if (String(key).length > 250) throw new GasError('Argument too large: key');
    if (bytes(String(value)) > 100 * 1024) throw new GasError('Argument too large: value');
    const secs = Math.min(21600, Math.max(1, Number(ttl)));
    this.cache.set(key, { value: String(value), expiresAt: this.now() + secs * 1000 });
  }

  // ---- host actions (the human side, not an execution) -----------------------------------

  /** Values as the host sees them in the sheet (display strings). */
  sheetValues(name: string): string[][] {
    const s = this.ss.byName(name);
    if (!s) throw new Error(`no sheet named ${name}`);
    const lr = this.ss.lastRow(s);
    const lc = this.ss.lastColumn(s);
    if (!lr || !lc) return [];
    return this.ss.read({ sheetId: s.id, row: 1, col: 1, numRows: lr, numCols: lc }, 'display') as string[][];
  }

  /** Typed values, for tests. */
  sheetRaw(name: string): unknown[][] {
    const s = this.ss.byName(name);
    if (!s) throw new Error(`no sheet named ${name}`);
    const lr = this.ss.lastRow(s);
    const lc = this.ss.lastColumn(s);
    if (!lr || !lc) return [];
    return this.ss.read({ sheetId: s.id, row: 1, col: 1, numRows: lr, numCols: lc }, 'values');
  }

  /** A host typing into cells: applied at once, parsed as typed. Returns the edited range. */
  hostEdit(sheetName: string, a1: string, values: unknown[][]): RangeRef {
    const s = this.ss.byName(sheetName);
    if (!s) throw new Error(`no sheet named ${sheetName}`);
    const ref = this.ss.checkRange({ sheetId: s.id, ...parseA1(a1, s.maxRows, s.maxColumns) });
    const op: WriteOp = { kind: 'setValues', ref, values };
    this.ss.checkWrite(op);
    this.ss.apply(op);
    this.scheduleSave();
    this.onCommit?.(null);
    return ref;
  }

  /** Deliver an inbound email to the host's mailbox. */
  /** Fault injection for tests: the next `times` reads of this message fail, as Gmail's do now and then. */
  readonly messageFaults = new Map<string, number>();

  deliverMail(...[input, opts]: Parameters<Mailbox['deliver']>): MailMessage {
    // Gmail stamps mail with its arrival time: the backend's clock (tests move it).
    const m = this.mailbox.deliver({ date: this.now(), ...input }, opts);
    this.scheduleSave();
    return m;
  }

  // ---- persistence -----------------------------------------------------------------------

  snapshot(): State {
    const now = this.now();
    return {
      spreadsheet: this.ss.toJSON(),
      scriptProperties: this.scriptProperties,
      userProperties: this.userProperties,
      documentProperties: this.documentProperties,
      cache: Object.fromEntries([...this.cache].filter(([, e]) => e.expiresAt > now)),
      mail: this.mail,
      mailbox: this.mailbox.toJSON(),
      triggers: this.triggers,
      quota: this.quota,
      menus: this.menus,
      toasts: this.toasts.slice(-50),
    };
  }

  private load(file: string): void {
    const st = JSON.parse(fs.readFileSync(file, 'utf8')) as State;
    this.ss = Spreadsheet.fromJSON(st.spreadsheet);
    this.scriptProperties = st.scriptProperties;
    this.userProperties = st.userProperties;
    this.documentProperties = st.documentProperties;
    this.cache = new Map(Object.entries(st.cache));
    this.mail = st.mail;
    this.mailbox = Mailbox.fromJSON(st.mailbox);
    this.triggers = st.triggers;
    this.quota = st.quota;
    this.menus = st.menus ?? {};
    this.toasts = st.toasts ?? [];
  }

  /** Write state atomically: a temp file, fsync, rename. A crash leaves the old file or the new one. */
  saveNow(): void {
    const file = this.opts.dataFile;
    this.dirty = false;
    if (!file) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(this.snapshot()));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }

  /** Changes not yet on disk (the dev server saves before it answers). */
  dirty = false;

  private scheduleSave(): void {
    this.dirty = true;
    if (!this.opts.dataFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.saveNow(), 200);
    this.saveTimer.unref?.();
  }
}

/** The editor and simple triggers (which a person's action in the editor starts) have a UI. */
const hasUi = (ex: ExecState) => ex.context === 'editor' || ex.context === 'simple';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function rawContent(m: MailMessage): string {
  const headers = {
    From: m.from,
    To: m.to,
    Subject: m.subject,
    Date: new Date(m.date).toUTCString(),
    ...m.headers,
  };
  const lines = Object.entries(headers).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}`),
  );
  return `${lines.join('\r\n')}\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${m.plainBody}`;
}

/** What Gmail's getPlainBody gives for a message with only an HTML part: the text, tags dropped. */
function htmlAsGmailText(html: string): string {
  return html
    .replace(/<(style|script|head)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|blockquote|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
