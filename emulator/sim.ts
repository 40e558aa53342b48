/**
 * Deterministic simulation in modelled time (the FoundationDB / TigerBeetle way of testing).
 *
 * Executions run for real in worker threads, but the backend completes their service calls in
 * modelled-time order: the clock moves only when no execution is running script code (each is
 * waiting on a call, or finished), and then the earliest pending event fires. Ties are broken by a
 * hash of the seed and the event's name, never by which thread happened to be faster, and every
 * random choice (a lock waiter, a cache eviction) is drawn while an event fires, in event order.
 * So the same seed gives the same interleaving and the same result on an idle or a loaded machine.
 */

export interface SimEvent {
  at: number;
  key: number;
  id: string;
  fire: () => void;
  state: 'pending' | 'fired' | 'cancelled';
}

/** FNV-1a over the parts, then a murmur finalizer: a well-mixed 32-bit value. */
export function hash32(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  const s = parts.join('\u0001');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small, fast, seedable PRNG (sfc32). */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = hash32('a', seed);
    this.b = hash32('b', seed);
    this.c = hash32('c', seed);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }
  /** A uint32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** In [0, 1). */
  random(): number {
    return this.next() / 4294967296;
  }
  /** A v4-shaped UUID. */
  uuid(): string {
    const hex = Array.from({ length: 4 }, () => this.next().toString(16).padStart(8, '0')).join('');
    const v = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${v}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

const before = (x: SimEvent, y: SimEvent) =>
  x.at !== y.at ? x.at < y.at : x.key !== y.key ? x.key < y.key : x.id < y.id;

export class Sim {
  now: number;
  readonly seed: number;
  private readonly rng: Prng;
  private heap: SimEvent[] = [];
  /** Scheduled events not yet fired or cancelled. */
  private live = 0;
  /** Executions running script code right now: the clock waits for them. */
  private readonly computing = new Set<string>();
  private kicked = false;
  private idleWaiters: Array<() => void> = [];
  /** Events fired so far (a cheap fingerprint of the run, and a progress counter). */
  fired = 0;

  constructor(seed: number, startAt: number) {
    this.seed = seed >>> 0;
    this.now = startAt;
    this.rng = new Prng(this.seed);
  }

  /** A random number drawn in event order. Call it only while an event fires. */
  random(): number {
    return this.rng.random();
  }

  /** A value in [0, 1) that depends only on the seed and the name: usable at any moment. */
  hashed(...parts: Array<string | number>): number {
    return hash32(this.seed, ...parts) / 4294967296;
  }

  /** Schedule `fire` at modelled time `at` under a name unique in this run. Returns a cancel function. */
  schedule(at: number, id: string, fire: () => void): () => void {
    const e: SimEvent = {
      at: Math.max(at, this.now),
      key: hash32(this.seed, id),
      id,
      fire,
      state: 'pending',
    };
    this.push(e);
    this.live++;
    this.kick();
    return () => {
      if (e.state !== 'pending') return;
      e.state = 'cancelled';
      this.live--;
    };
  }

  /** An execution starts (or resumes) running script code. */
  running(execId: string): void {
    this.computing.add(execId);
  }

  /** An execution waits on the backend, or has ended. */
  waiting(execId: string): void {
    this.computing.delete(execId);
    this.kick();
  }

  isRunning(execId: string): boolean {
    return this.computing.has(execId);
  }

  get busy(): boolean {
    return this.computing.size > 0 || this.live > 0;
  }

  /** Resolves once nothing runs and no event is pending. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Move the clock forward while nothing is pending (a test skipping to later). */
  advanceTo(t: number): void {
    if (t < this.now) throw new Error(`the modelled clock cannot go back (${t} < ${this.now})`);
    this.now = Math.round(t);
  }

  /**
   * Step once the current turn's synchronous work is done (a microtask: every registration of this
   * turn is in by then). When the step may run does not matter for determinism: it only ever
   * fires events while no execution is running.
   */
  kick(): void {
    if (this.kicked) return;
    this.kicked = true;
    queueMicrotask(() => this.step());
  }

  private step(): void {
    this.kicked = false;
    while (this.computing.size === 0) {
      const e = this.pop();
      if (!e) break;
      if (e.state !== 'pending') continue;
      e.state = 'fired';
      this.live--;
      if (e.at > this.now) this.now = e.at;
      this.fired++;
      e.fire();
    }
    if (!this.busy && this.idleWaiters.length) {
      const ws = this.idleWaiters;
      this.idleWaiters = [];
      ws.forEach((w) => w());
    }
  }

  // A binary heap ordered by (at, key, id).
  private push(e: SimEvent): void {
    const h = this.heap;
    h.push(e);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): SimEvent | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
