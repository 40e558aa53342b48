/**
 * One worker thread = one script-side process. Each `run` message is one execution in a fresh
 * vm context holding only Apps Script's globals (no require, process, Buffer, setTimeout), so a
 * Node-only API in the bundle fails here as it would on Google. Service calls block on Atomics
 * until the backend answers on the port: synchronous, as Apps Script's are.
 */
import { parentPort, workerData, receiveMessageOnPort, MessagePort } from 'worker_threads';
import * as vm from 'vm';
import { scopeChecker } from './scopes';
import { createServices } from './services';
import { Prng } from './sim';

export interface RunMessage {
  type: 'run';
  execId: string;
  fn: string;
  /** Arguments as JSON, parsed inside the context so they belong to its realm. */
  argsJson: string;
  /** Event objects that need live service objects (onEdit's range). */
  editEvent?: { sheet: { id: number; name: string }; ref: import('./spreadsheet').RangeRef };
  codeKey: string;
  code?: string;
  files?: Record<string, string>;
  timeoutMs: number;
  /** Real clock: the backend's clock minus the real one (the script's Date follows the backend's). */
  clockOffsetMs: number;
  /** Virtual clock: the modelled time at the start; each reply then carries the time it completed. */
  virtualNow?: number;
  /** Seed for the script's Math.random and Utilities.getUuid (virtual clock), null for real randomness. */
  seed?: number | null;
}

export interface DoneMessage {
  type: 'done';
  execId: string;
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
  logs: string[];
  /** Wake-ups with no reply that the execution waited through (see rpc). */
  emptyWakes?: number;
}

const { signal, port } = workerData as { signal: SharedArrayBuffer; port: MessagePort };
const flag = new Int32Array(signal);

let script: vm.Script | null = null;
let version = '';
let files: Record<string, string> = {};

const IMPORT_SRC = `(function () {
  function conv(x) {
    if (x === null || typeof x !== 'object') return x;
    if (Object.prototype.toString.call(x) === '[object Date]') return new Date(x.getTime());
    if (Array.isArray(x)) { var a = []; for (var i = 0; i < x.length; i++) a.push(conv(x[i])); return a; }
    var o = {}; for (var k in x) o[k] = conv(x[k]); return o;
  }
  return {
    conv: conv,
    err: function (m) { var e = new Error(m); e.name = 'Exception'; return e; },
  };
})()`;

/** The script's clock: `now()` gives the time in ms (the backend's clock, see run). */
const SHIFT_CLOCK_SRC = `(function (now) {
  var Real = Date;
  function ShiftedDate() {
    if (!(this instanceof ShiftedDate)) return new Real(now()).toString();
    var a = arguments;
    return a.length ? new (Function.prototype.bind.apply(Real, [null].concat([].slice.call(a))))() : new Real(now());
  }
  ShiftedDate.now = function () { return now(); };
  ShiftedDate.UTC = Real.UTC;
  ShiftedDate.parse = Real.parse;
  ShiftedDate.prototype = Real.prototype;
  globalThis.Date = ShiftedDate;
})`;

type Reply = {
  ok: boolean;
  value?: unknown;
  error?: string;
  skew?: number;
  seq?: number;
  now?: number;
  /** The execution was killed: this call and every later one fail at once. */
  abort?: boolean;
};

/** Set when the current execution was killed: the script unwinds without reaching the backend. */
let aborted = false;

/** Service calls made by this worker: each carries its number, and its reply echoes it. */
let calls = 0;
/** Wake-ups that found the counter unchanged and no reply, in this execution. */
let emptyWakes = 0;

/**
 * The reply to call `seq`, if it has arrived. Replies to earlier calls are dropped: one can be left over
 * when an execution was cut off by its time limit while it waited.
 */
function takeReply(seq: number): Reply | undefined {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const r = m.message as Reply;
    if (r.seq === seq) return r;
  }
  return undefined;
}

function run(msg: RunMessage): DoneMessage {
  emptyWakes = 0;
  aborted = false;
  if (msg.code !== undefined) {
    script = new vm.Script(msg.code, { filename: 'Code.js' });
    version = msg.codeKey;
    files = msg.files ?? {};
  }
  if (!script || version !== msg.codeKey) throw new Error('worker has no code for this version');
  const logs: string[] = [];
  const ctx = vm.createContext({});
  let skew = 0;
  const offset = msg.clockOffsetMs ?? 0;
  // Virtual clock: time stands still while the script computes and moves with each reply.
  let virtualNow = msg.virtualNow;
  // Real clock: the backend's clock plus the modelled time not really slept.
  const now = () => (virtualNow !== undefined ? virtualNow : Date.now() + offset + skew);
  vm.runInContext(SHIFT_CLOCK_SRC, ctx)(now);
  const prng = msg.seed === null || msg.seed === undefined ? null : new Prng(msg.seed);
  if (prng) vm.runInContext('Math', ctx).random = () => prng.random();
  const realm = vm.runInContext(IMPORT_SRC, ctx) as {
    conv: (x: unknown) => unknown;
    err: (m: string) => Error;
  };
  const denied = scopeChecker(files['appsscript.json']);
  const rpc = (method: string, ...args: unknown[]): unknown => {
    if (aborted) throw realm.err('Exceeded maximum execution time');
    const refusal = denied?.(method);
    if (refusal) throw realm.err(refusal);
    const seq = ++calls;
    let seen = Atomics.load(flag, 0);
    port.postMessage({ execId: msg.execId, method, args, seq });
    let reply: Reply | undefined;
    for (;;) {
      // Waits only while the counter is unchanged, so no reply is missed. A wake-up with no reply
      // happens (V8 woke a waiter with the counter unchanged on a busy CI machine): wait again.
      if (Atomics.wait(flag, 0, seen) === 'ok' && Atomics.load(flag, 0) === seen) emptyWakes++;
      seen = Atomics.load(flag, 0);
      if ((reply = takeReply(seq))) break;
    }
    if (reply.abort) aborted = true;
    if (typeof reply.skew === 'number') skew = reply.skew;
    if (typeof reply.now === 'number') virtualNow = reply.now;
    if (!reply.ok) throw realm.err(reply.error ?? 'Unknown error');
    return realm.conv(reply.value);
  };
  const makeFunction = (...a: string[]) => vm.runInContext('Function', ctx)(...a);
  const services = createServices({
    rpc,
    files,
    makeFunction,
    logs,
    error: realm.err,
    toRealm: realm.conv,
    uuid: prng ? () => prng.uuid() : undefined,
    now,
  });
  Object.assign(ctx, services.globals);
  try {
    script.runInContext(ctx);
    const entry = (ctx as Record<string, unknown>)[msg.fn];
    if (typeof entry !== 'function') {
      throw realm.err(`Script function not found: ${msg.fn}`);
    }
    const args = vm.runInContext(`JSON.parse(${JSON.stringify(msg.argsJson)})`, ctx) as unknown[];
    if (msg.editEvent && args[0] && typeof args[0] === 'object') {
      const e = args[0] as Record<string, unknown>;
      e.range = services.makeRange(msg.editEvent.ref, msg.editEvent.sheet);
      e.source = services.makeSpreadsheet();
    }
    (ctx as Record<string, unknown>).__entry = entry;
    (ctx as Record<string, unknown>).__args = args;
    const result = vm.runInContext('__entry.apply(null, __args)', ctx, { timeout: msg.timeoutMs });
    return { type: 'done', execId: msg.execId, ok: true, result: exportResult(result), logs, emptyWakes };
  } catch (e) {
    const err = e as Error;
    const timedOut = /Script execution timed out/.test(String(err?.message));
    return {
      type: 'done',
      execId: msg.execId,
      ok: false,
      error: {
        name: timedOut ? 'Exception' : String(err?.name ?? 'Error'),
        message: timedOut ? 'Exceeded maximum execution time' : String(err?.message ?? err),
        stack: err?.stack,
      },
      logs,
      emptyWakes,
    };
  }
}

/** HtmlOutput and TextOutput become plain descriptions; anything else goes as JSON. */
function exportResult(r: unknown): unknown {
  if (r && typeof r === 'object' && '__kind' in r) {
    const o = r as { __kind: string; __state: Record<string, unknown> };
    return { __kind: o.__kind, ...o.__state };
  }
  if (r === undefined) return undefined;
  return JSON.parse(JSON.stringify(r) ?? 'null');
}

parentPort!.on('message', (msg: RunMessage) => {
  let done: DoneMessage;
  try {
    done = run(msg);
  } catch (e) {
    done = {
      type: 'done',
      execId: msg.execId,
      ok: false,
      error: { name: 'Error', message: String(e) },
      logs: [],
    };
  }
  parentPort!.postMessage(done);
});
