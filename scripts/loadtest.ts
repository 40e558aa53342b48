/**
 * npm run loadtest -- <web app URL> [--n 100] [--concurrency 30] [--event-capacity K]
 *                     [--domain example.com] [--retry-ms 1000] [--answers file.json]
 *
 * Fires N sign-ups at once (at most `concurrency` in flight) at a deployed /exec in JSON mode, each
 * with its own test address loadtest-<run>-<i>@<domain> (not loadtest+…: the product gives one seat
 * per mailbox and a +tag names the same mailbox, so those would all be one guest), retrying refused requests as the form does
 * (busy, HTTP 429/503, a dropped connection: 4 tries, waits of 1, 2, 4 s jittered ±50%). Then it
 * checks from the answers alone: at most K told "confirmed" (K: --event-capacity, or the seats left
 * before the run, from GET ?format=json), waitlist positions 1..W with no gap or repeat, and every
 * request one final answer. Prints p50/p95/max answer time, refusals and retries; exits 1 on any
 * violation. `--answers file` checks a saved answer set instead (the checker's negative control).
 * Run it against a COPY of your sheet (README, "Load-test a test copy"), never a real event.
 */
import * as fs from 'fs';

export interface Answer {
  i: number;
  email: string;
  /** The final answer's status ('confirmed', 'waitlisted', ...), or null when none came. */
  status: string | null;
  position?: number;
  tries: number;
  /** Tries refused (busy, 429, 503) or dropped. */
  refused: number;
  ms: number;
  error?: string;
}

const RETRY_TRIES = 4;
const CONFIRMED = new Set(['confirmed', 'already-confirmed']);
const WAITLISTED = new Set(['waitlisted', 'already-waitlisted']);

/** The violations an answer set shows (empty: none). Pure, so a fabricated set can prove it catches. */
export function checkAnswers(answers: readonly Answer[], capacity: number): string[] {
  const v: string[] = [];
  const confirmed = answers.filter((a) => a.status && CONFIRMED.has(a.status));
  if (confirmed.length > capacity)
    v.push(`oversold: ${confirmed.length} told "confirmed", capacity ${capacity}`);
  const positions = answers
    .filter((a) => a.status && WAITLISTED.has(a.status))
    .map((a) => a.position)
    .sort((a, b) => Number(a) - Number(b));
  const queued = answers.filter((a) => a.status === 'queued').length;
  const seen = new Set<number>();
  for (const p of positions) {
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1)
      v.push(`a waitlist answer without a position (${p})`);
    else if (seen.has(p)) v.push(`waitlist position ${p} given twice`);
    else seen.add(p);
  }
  // Requests answered "queued" get their result by email: their positions may be the missing ones.
  const w = positions.length;
  const missing: number[] = [];
  for (let p = 1; p <= w; p++) if (!seen.has(p)) missing.push(p);
  if (missing.length > queued)
    v.push(`waitlist positions have a gap: ${missing.slice(0, 10).join(', ')} missing of 1..${w}`);
  const beyond = [...seen].filter((p) => p > w + queued);
  if (beyond.length) v.push(`waitlist positions past ${w + queued}: ${beyond.slice(0, 10).join(', ')}`);
  const ids = new Map<number, number>();
  for (const a of answers) ids.set(a.i, (ids.get(a.i) ?? 0) + 1);
  for (const [i, n] of ids) if (n !== 1) v.push(`request ${i} has ${n} final answers`);
  for (const a of answers)
    if (!a.status) v.push(`request ${a.i} (${a.email}) got no answer: ${a.error ?? ''}`);
  return v;
}

export interface Options {
  url: string;
  n: number;
  concurrency: number;
  capacity?: number;
  domain: string;
  retryMs: number;
  run: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One sign-up as the form's script sends it, retried as the form retries. */
async function signUp(o: Options, i: number): Promise<Answer> {
  const email = `loadtest-${o.run}-${i}@${o.domain}`;
  const body = new URLSearchParams({ name: `Load test ${i}`, email, format: 'json' }).toString();
  const t0 = Date.now();
  let refused = 0;
  let error = '';
  for (let n = 0; n < RETRY_TRIES; n++) {
    let retry = false;
    try {
      const r = await fetch(o.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'follow',
      });
      const text = await r.text();
      if (r.status === 429 || r.status === 503) {
        retry = true;
        error = `HTTP ${r.status}`;
      } else {
        let a: { status?: string; position?: number } | null = null;
        try {
          a = JSON.parse(text) as { status?: string; position?: number };
        } catch {
          a = null;
        }
        if (a?.status === 'busy') {
          retry = true;
          error = 'busy';
        } else if (a?.status)
          return {
            i,
            email,
            status: a.status,
            position: a.position,
            tries: n + 1,
            refused,
            ms: Date.now() - t0,
          };
        else
          return {
            i,
            email,
            status: null,
            tries: n + 1,
            refused,
            ms: Date.now() - t0,
            error: `HTTP ${r.status}: ${text.slice(0, 120)}`,
          };
      }
    } catch (e) {
      retry = true;
      error = `dropped: ${String((e as Error)?.message ?? e)}`;
    }
    if (retry) refused++;
    // The form's waits: base, 2×base, 4×base, each jittered ±50% so a crowd spreads out.
    if (n + 1 < RETRY_TRIES) await sleep(o.retryMs * 2 ** n * (0.5 + Math.random()));
  }
  // Refused four times: the form tells the guest it is still busy and nothing was written, a final
  // answer. Dropped four times: the guest cannot know whether it went through: no answer.
  return {
    i,
    email,
    status: error.startsWith('dropped') ? null : 'refused',
    tries: RETRY_TRIES,
    refused,
    ms: Date.now() - t0,
    error,
  };
}

export async function fire(o: Options): Promise<Answer[]> {
  const out: Answer[] = [];
  let next = 0;
  const worker = async () => {
    while (next < o.n) {
      const i = next++;
      out.push(await signUp(o, i));
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.n) }, worker));
  return out.sort((a, b) => a.i - b.i);
}

/** Seats left before the run, from the web app's state (one read, no write). */
export async function seatsLeft(url: string): Promise<number> {
  const r = await fetch(`${url}${url.includes('?') ? '&' : '?'}format=json`);
  const s = (await r.json()) as { seatsLeft?: number; open?: boolean };
  if (typeof s.seatsLeft !== 'number')
    throw new Error(`the web app did not say its seats left: ${JSON.stringify(s)}`);
  return s.seatsLeft;
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export function report(
  answers: readonly Answer[],
  capacity: number,
): { lines: string[]; violations: string[] } {
  const by = new Map<string, number>();
  for (const a of answers) by.set(a.status ?? 'no answer', (by.get(a.status ?? 'no answer') ?? 0) + 1);
  const ms = answers.map((a) => a.ms);
  const violations = checkAnswers(answers, capacity);
  const lines = [
    `requests: ${answers.length}; capacity checked: ${capacity}`,
    `answers: ${[...by].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `answer time: p50 ${pct(ms, 50)} ms, p95 ${pct(ms, 95)} ms, max ${pct(ms, 100)} ms`,
    `refusals (busy, 429, 503, dropped): ${answers.reduce((s, a) => s + a.refused, 0)}; ` +
      `retries: ${answers.reduce((s, a) => s + a.tries - 1, 0)}`,
    violations.length ? `VIOLATIONS (${violations.length}):` : 'no violations',
    ...violations.map((v) => `  ${v}`),
  ];
  return { lines, violations };
}

function parse(argv: string[]) {
  const flags: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags[argv[i].slice(2)] = argv[++i] ?? '';
    else rest.push(argv[i]);
  }
  return { flags, rest };
}

async function main(): Promise<number> {
  const { flags, rest } = parse(process.argv.slice(2));
  const num = (k: string, d: number) => {
    const v = flags[k] === undefined ? d : Number(flags[k]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${k} must be a number`);
    return v;
  };
  if (flags.answers !== undefined) {
    const answers = JSON.parse(fs.readFileSync(flags.answers, 'utf8')) as Answer[];
    const r = report(answers, num('event-capacity', Infinity));
    console.log(r.lines.join('\n'));
    return r.violations.length ? 1 : 0;
  }
  const url = rest[0];
  if (!url || !/^https?:\/\//.test(url)) {
    console.error(
      'usage: npm run loadtest -- <web app URL> [--n 100] [--concurrency 30] [--event-capacity K] [--domain example.com]',
    );
    return 2;
  }
  const o: Options = {
    url,
    n: num('n', 100),
    concurrency: Math.max(1, num('concurrency', 30)),
    domain: flags.domain ?? 'example.com',
    retryMs: num('retry-ms', 1000),
    run: flags.run ?? Date.now().toString(36),
  };
  const capacity = flags['event-capacity'] !== undefined ? num('event-capacity', 0) : await seatsLeft(url);
  console.log(`run ${o.run}: ${o.n} sign-ups as loadtest-${o.run}-<i>@${o.domain}, ${o.concurrency} at once`);
  const answers = await fire(o);
  if (flags.save) fs.writeFileSync(flags.save, JSON.stringify(answers, null, 1));
  const r = report(answers, capacity);
  console.log(r.lines.join('\n'));
  return r.violations.length ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(String((e as Error)?.message ?? e));
      process.exit(2);
    },
  );
}
