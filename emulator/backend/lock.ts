/**
 * LockService: named locks held by executions, their waiters, and Google's rate limit on lock
 * operations. A lock is released by releaseLock or when its execution ends.
 */
import type { Backend } from './core';
import { ERR, GasError } from './errors';
import type { ExecState, Handlers } from './types';

interface LockWaiter {
  exec: string;
  grant: (ok: boolean) => void;
  cancel: () => void;
}

interface LockState {
  holder: string | null;
  waiters: LockWaiter[];
}

export class Locks {
  /** Lock operations (tryLock, waitLock, releaseLock) in the rate window, by time. */
  ops: number[] = [];
  /** Lock operations refused by the rate limit. */
  refusals = 0;
  /** Every lock operation counted so far (benchmarks report them per sign-up). */
  total = 0;
  private table = new Map<string, LockState>();

  constructor(private readonly b: Backend) {}

  handlers(): Handlers {
    return {
      'lock.acquire': (ex, name: string, timeoutMs: number) => this.acquire(ex, name, timeoutMs),
      'lock.release': (ex, name: string) => this.release(ex, name),
      'lock.has': (ex, name: string) => ex.locks.has(name),
      // getDocumentLock() is null "if called from a standalone script or webapp" (LockService reference).
      'lock.document': (ex) => ex.context !== 'webapp',
    };
  }

  /** LockService's rate limit: too many lock operations in a short time fail with Google's text. */
  countOp(): void {
    const now = this.b.now();
    const window = this.b.opts.lockRateWindowMs;
    while (this.ops.length && this.ops[0] <= now - window) this.ops.shift();
    if (this.ops.length >= this.b.opts.lockRateMax) {
      this.refusals++;
      throw new GasError(ERR.lockRate);
    }
    this.ops.push(now);
    this.total++;
  }

  holder(name: string): string | null {
    return this.table.get(name)?.holder ?? null;
  }

  private state(name: string): LockState {
    let l = this.table.get(name);
    if (!l) {
      l = { holder: null, waiters: [] };
      this.table.set(name, l);
    }
    return l;
  }

  private grant(ex: ExecState, name: string): void {
    this.state(name).holder = ex.id;
    ex.locks.add(name);
    if (name === 'script') ex.lockSince = this.b.now();
  }

  /** Real clock: a held lock is waited for in real time, first come first served. */
  private acquire(ex: ExecState, name: string, timeoutMs: number): Promise<boolean> | boolean {
    const l = this.state(name);
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

  /**
   * Virtual clock: a held lock keeps the call waiting in modelled time until it is released or the
   * timeout passes; past the execution's deadline the execution is stopped instead.
   */
  acquireVirtual(
    ex: ExecState,
    callId: string,
    name: string,
    timeoutMs: number,
    resolve: (v: boolean) => void,
  ): void {
    const sim = this.b.sim!;
    const l = this.state(name);
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
        if (due > ex.deadline) return this.b.stop(ex);
        ex.lockWaitMs += sim.now - started;
        sim.running(ex.id);
        resolve(false);
      }),
    };
    l.waiters.push(waiter);
  }

  release(ex: ExecState, name: string): void {
    const l = this.state(name);
    if (l.holder !== ex.id) return;
    ex.locks.delete(name);
    if (name === 'script' && ex.lockSince !== undefined) {
      ex.lockHeldMs += this.b.now() - ex.lockSince;
      ex.lockSince = undefined;
    }
    l.holder = null;
    l.waiters = l.waiters.filter((w) => {
      const alive = this.b.executions.get(w.exec);
      if (!alive || alive.dead) w.cancel();
      return alive && !alive.dead;
    });
    if (!l.waiters.length) return;
    // Google promises no order among waiters: the virtual clock picks one by seed, real time is FIFO.
    const i = this.b.sim ? Math.floor(this.b.sim.random() * l.waiters.length) : 0;
    const [next] = l.waiters.splice(i, 1);
    this.grant(this.b.executions.get(next.exec)!, name);
    next.grant(true);
  }
}
