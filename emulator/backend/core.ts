/**
 * The backend: everything Google holds for one spreadsheet-bound script. One per spreadsheet.
 *
 * Executions (worker threads) call into it with `handle(execId, method, args)`; each call is one
 * service round trip. The backend counts calls, charges the latency model, enforces quotas and the
 * execution time limit, buffers spreadsheet writes per execution and owns the locks. What each
 * call does is in the file of its service (spreadsheet.ts, lock.ts, properties.ts, cache.ts,
 * mail.ts, gmail.ts, script.ts, utilities.ts); this file holds the executions, the clock, the
 * host's own actions and persistence.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GasError, RangeRef, Spreadsheet, WriteOp, parseA1, passesValidation } from '../spreadsheet';
import { toCell } from '../cells';
import { Mailbox, MailMessage } from '../gmail';
import { Sim, hash32 } from '../sim';
import { simpleTriggerDenial, ungrantedDenial } from '../scopes';
import { cacheHandlers } from './cache';
import { ERR } from './errors';
import { chargeGmail, gmailHandlers } from './gmail';
import { Locks } from './lock';
import { mailHandlers, mailRemaining } from './mail';
import { BackendOptions, ResolvedOptions, resolveOptions } from './options';
import { chargeProps, propertiesHandlers } from './properties';
import { chargeTriggerTime, scriptHandlers, triggerTimeLeft } from './script';
import { spreadsheetHandlers } from './spreadsheet';
import type { ExecState, ExecutionContext, Handlers, Quota, SentMail, State, TriggerSpec } from './types';
import { utilitiesHandlers } from './utilities';
import {
  FetchParams,
  FetchResponse,
  WebAppRequest,
  fetchAnswer,
  urlFetchHandlers,
  webAppRequest,
} from './urlfetch';

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Where the virtual clock starts unless told: a fixed instant (Monday 2 November 2026, 10:00 in London,
 * outside quiet hours), so what a test sees never depends on the time of day it runs.
 */
export const VIRTUAL_START = Date.UTC(2026, 10, 2, 10, 0);

const RANGE_READS = new Set([
  'range.getValues',
  'range.getValue',
  'range.getDisplayValues',
  'range.getDisplayValue',
  'range.getFormulas',
  'range.getNotes',
  'range.getBackgrounds',
  'range.getDataValidations',
]);

/** A cell a formula depends on, when it is read, costs this fraction of a cell sent. */
const FORMULA_CELL_FACTOR = 0.005;
/** A cell a TextFinder scans costs this fraction of a cell sent. */
const SCAN_CELL_FACTOR = 0.1;

/** Cells a range read returns (0 for any other call). */
function cellsRead(method: string, args: unknown[]): number {
  const ref = args[0] as RangeRef | undefined;
  return RANGE_READS.has(method) && ref && typeof ref === 'object' && 'numRows' in ref
    ? ref.numRows * ref.numCols
    : 0;
}

/** A value the Sheets UI refuses (data validation): what a person typing sees, and nothing changes. */
export class InvalidEntryError extends Error {
  constructor(readonly helpText: string) {
    super(`There was a problem: ${helpText}`);
  }
}

export class Backend {
  readonly opts: ResolvedOptions;
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
  /** Sidebars and dialogs the script showed (getUi().showSidebar / showModalDialog), newest last. */
  /** The last 20 sidebars and dialogs shown; `seq` counts every one ever shown (the buffer drops old ones). */
  panels: Array<{ seq: number; at: number; kind: 'sidebar' | 'dialog'; title: string; html: string }> = [];
  panelSeq = 0;
  /** How the host answers the next dialogs that ask (YES, NO…): a test scripts them; none left: closed. */
  alertAnswers: string[] = [];
  quota: Quota = { mailUsed: 0, mailWindowStart: 0, gmailUsed: 0, gmailWindowStart: 0 };
  readonly executions = new Map<string, ExecState>();
  /** Finished executions' counters, kept for benchmarks and tests. */
  readonly finished: ExecState[] = [];
  /** The modelled-time scheduler (virtual clock), or null in real time. */
  readonly sim: Sim | null;
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
  /** Called as each service call takes effect (tests: a host action at an exact point of a script). */
  onCall: ((ex: ExecState, method: string, args: unknown[]) => void) | null = null;
  /** Fault injection for tests: the next `times` reads of this message fail, as Gmail's do now and then. */
  readonly messageFaults = new Map<string, number>();
  /** Changes not yet on disk (the dev server saves before it answers). */
  dirty = false;
  readonly locks = new Locks(this);
  /** Every service call the backend serves, by method name, from the services' files. */
  readonly handlers: Handlers = {
    ...spreadsheetHandlers(this),
    ...this.locks.handlers(),
    ...propertiesHandlers(this),
    ...cacheHandlers(this),
    ...mailHandlers(this),
    ...gmailHandlers(this),
    ...scriptHandlers(this),
    ...utilitiesHandlers(),
    ...urlFetchHandlers(this),
  };
  /**
   * Set by the runtime: run the web app for a UrlFetchApp call to its URL, and call `done` with the
   * answer when that execution ends (synchronously in its end event under the virtual clock).
   */
  webApp: ((req: WebAppRequest, done: (r: FetchResponse) => void) => void) | null = null;
  /** The manifest's OAuth scopes (set by the runtime), less ungrantedScopes: what calls may use. */
  manifestScopes: string[] | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private seq = 0;
  private readonly clockFn: () => number;
  /** Real clock: how far a test or the dev server moved time forward. */
  private clockShift = 0;
  private slotsUsed = 0;
  private slotQueue: Array<() => void> = [];

  constructor(options: BackendOptions = {}) {
    const virtual = (options.clock ?? 'virtual') === 'virtual';
    this.opts = resolveOptions(options, virtual);
    if (virtual && options.now)
      throw new Error('the virtual clock is moved with advanceTo, not a now() option');
    this.sim = virtual ? new Sim(options.seed ?? 1, Math.round(options.startAt ?? VIRTUAL_START)) : null;
    const real = options.now ?? Date.now;
    this.clockFn = this.sim ? () => this.sim!.now : () => real() + this.clockShift;
    this.ss = new Spreadsheet(this.opts.timeZone);
    this.ss.locale = this.opts.locale;
    this.mailbox = new Mailbox(this.opts.owner);
    if (this.opts.dataFile && fs.existsSync(this.opts.dataFile)) this.load(this.opts.dataFile);
    this.mailbox.model = {
      afterEpoch: this.opts.gmailAfterEpoch,
      authResultsAt: this.opts.gmailAuthResultsAt,
    };
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

  // ---- quotas and locks, as the runtime, bench and tests read them -----------------------

  /** Lock operations refused by the rate limit. */
  get lockRefusals(): number {
    return this.locks.refusals;
  }

  /** Every lock operation counted so far (benchmarks report them per sign-up). */
  get lockOpsTotal(): number {
    return this.locks.total;
  }

  lockHolder(name = 'script'): string | null {
    return this.locks.holder(name);
  }

  mailRemaining(): number {
    return mailRemaining(this);
  }

  /** Whether a trigger may start: false once today's trigger run time is spent. */
  triggerTimeLeft(): boolean {
    return triggerTimeLeft(this);
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
      trace: [],
      cellsReadInLock: 0,
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
  stop(ex: ExecState): void {
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
    for (const name of [...ex.locks]) this.locks.release(ex, name);
    this.executions.delete(id);
    ex.endedAt = this.now();
    if (this.sim) ex.modelledMs = ex.endedAt - ex.startedAt;
    if (ex.context === 'trigger') chargeTriggerTime(this, this.now() - ex.startedAt);
    this.finished.push(ex);
    if (this.finished.length > 5000) this.finished.splice(0, this.finished.length - 5000);
    this.scheduleSave();
    this.releaseSlot();
    (ex as ExecState & { resolveEnded?: (e: ExecState) => void }).resolveEnded?.(ex);
    ex.onEnd?.(ex);
    return ex;
  }

  /**
   * Apply an execution's buffered writes (at a flush, its own read, or its end). Service files call
   * it too: a read or a structural change sees the execution's own writes first.
   */
  commit(ex: ExecState): void {
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
    if (ex.locks.has('script')) {
      ex.callsInLock[method] = (ex.callsInLock[method] ?? 0) + 1;
      ex.cellsReadInLock += cellsRead(method, args);
    }
    ex.trace.push(`${ex.locks.has('script') ? 'L ' : '  '}${this.traceLine(ex, method, args)}`);
    const denied =
      ex.context === 'simple'
        ? simpleTriggerDenial(method)
        : this.opts.ungrantedScopes.length
          ? ungrantedDenial(method, this.grantedScopes())
          : null;
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
    this.onCall?.(ex, method, args);
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
          if (method === 'urlfetch.fetch') return this.fetchVirtual(ex, args, resolve, reject);
          if (method === 'lock.acquire') {
            return this.locks.acquireVirtual(ex, id, args[0] as string, args[1] as number, resolve);
          }
          this.onCall?.(ex, method, args);
          resolve((h as (ex: ExecState, ...a: unknown[]) => unknown)(ex, ...args));
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  /**
   * A fetch of the web app under the virtual clock: the fetching execution waits (the clock may move)
   * while the web app's execution runs, and resumes in that execution's end event.
   */
  private fetchVirtual(
    ex: ExecState,
    args: unknown[],
    resolve: (v: unknown) => void,
    reject: (e: unknown) => void,
  ): void {
    const sim = this.sim!;
    const [url, p] = args as [string, FetchParams | undefined];
    const req = webAppRequest(this, url, p);
    if (!this.webApp) throw new GasError(ERR.unreachable(url));
    sim.waiting(ex.id);
    this.webApp(req, (r) => {
      if (ex.dead) return;
      sim.running(ex.id);
      try {
        resolve(fetchAnswer(url, p, r));
      } catch (e) {
        reject(e);
      }
    });
  }

  /** The scopes the host granted: the manifest's, less the ones left unticked (ungrantedScopes). */
  grantedScopes(): string[] {
    const un = new Set(this.opts.ungrantedScopes);
    return (this.manifestScopes ?? []).filter((s) => !un.has(s));
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
    // Modelled: a getter that counts as a Gmail operation is a round trip too.
    const getterTrip = method === 'gmail.message.get' && this.opts.gmailGettersCount;
    const base = getterTrip
      ? m.methods.gmail
      : (m.methods[method] ?? m.methods[method.split('.')[0]] ?? m.default);
    let cells = 0;
    const ref = args[0] as RangeRef | undefined;
    if (method.startsWith('range.') && ref && typeof ref === 'object' && 'numRows' in ref) {
      cells = ref.numRows * ref.numCols;
      // Reading the value of a formula that aggregates other cells: Sheets recalculates it
      // server-side, far cheaper per cell than sending cells (an assumption, stated in
      // docs/apps-script-facts.md). Its text (getFormulas) needs no recalculation.
      if (method === 'range.getValues' || method === 'range.getDisplayValues' || method === 'range.getValue')
        cells += this.ss.formulaCells(ref) * FORMULA_CELL_FACTOR;
    }
    if (method === 'range.findAll') cells *= SCAN_CELL_FACTOR;
    if (method === 'flush') {
      for (const op of ex.pending) if (op.kind === 'setValues') cells += op.ref.numRows * op.ref.numCols;
    }
    return base + cells * m.perCell;
  }

  /** One line of the trace: the call, the range it touches (A1 on its sheet) and its modelled cost. */
  private traceLine(ex: ExecState, method: string, args: unknown[]): string {
    const ref = args[0] as RangeRef | undefined;
    const where =
      ref && typeof ref === 'object' && 'numRows' in ref
        ? ` ${this.ss.sheets.find((s) => s.id === ref.sheetId)?.name ?? '?'}!R${ref.row}C${ref.col}:${ref.numRows}x${ref.numCols}`
        : '';
    return `${method}${where} ${Math.round(this.cost(ex, method, args))} ms`;
  }

  /** The per-call quotas and rates: Gmail operations, property reads and writes, lock operations. */
  private chargeQuotas(method: string): void {
    chargeGmail(this, method);
    if (method.startsWith('props.')) chargeProps(this);
    if (method === 'lock.acquire' || method === 'lock.release') this.locks.countOp();
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
  /**
   * A host typing or pasting into the sheet, as the Sheets UI applies it. A value that fails a
   * refusing data validation rule throws InvalidEntryError (Sheets shows "There was a problem" with
   * the rule's help text) and nothing changes.
   */
  hostEdit(sheetName: string, a1: string, values: unknown[][]): RangeRef {
    const s = this.ss.byName(sheetName);
    if (!s) throw new Error(`no sheet named ${sheetName}`);
    const ref = this.ss.checkRange({ sheetId: s.id, ...parseA1(a1, s.maxRows, s.maxColumns) });
    const op: WriteOp = { kind: 'setValues', ref, values };
    this.ss.checkWrite(op);
    // What a person types must pass the cells' data validation: a refused value changes nothing.
    values.forEach((row, i) =>
      row.forEach((v, j) => {
        const rule = s.validations?.[`${ref.row + i},${ref.col + j}`];
        if (
          rule &&
          !rule.allowInvalid &&
          !passesValidation(rule, toCell(v, this.ss.timeZone, this.ss.locale).v)
        )
          throw new InvalidEntryError(
            rule.helpText || 'The data you entered in this cell violates its data validation rules.',
          );
      }),
    );
    this.ss.apply(op);
    this.scheduleSave();
    this.onCommit?.(null);
    return ref;
  }

  /** A host deleting whole rows in the UI (Sheets' "Delete row"): applied at once. */
  hostDeleteRows(sheetName: string, row: number, count: number): void {
    const s = this.ss.byName(sheetName);
    if (!s) throw new Error(`no sheet named ${sheetName}`);
    if (row < 1 || count < 1 || row + count - 1 > s.maxRows)
      throw new Error(`no rows ${row}..${row + count - 1}`);
    this.ss.apply({ kind: 'deleteRows', sheetId: s.id, row, count });
    this.scheduleSave();
    this.onCommit?.(null);
  }

  /** A host inserting blank rows below row `after` in the UI ("Insert 1 row below"): applied at once. */
  hostInsertRows(sheetName: string, after: number, count: number): void {
    const s = this.ss.byName(sheetName);
    if (!s) throw new Error(`no sheet named ${sheetName}`);
    if (after < 0 || count < 1 || after > s.maxRows) throw new Error(`no row ${after} to insert below`);
    this.ss.apply({ kind: 'insertRowsAfter', sheetId: s.id, after, count });
    this.scheduleSave();
    this.onCommit?.(null);
  }

  /** Deliver an inbound email to the host's mailbox. */
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

  /** State changed: mark it dirty and save it to the data file within 200 ms. */
  scheduleSave(): void {
    this.dirty = true;
    if (!this.opts.dataFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.saveNow(), 200);
    this.saveTimer.unref?.();
  }
}
