/**
 * npm run loadtest -- <web app URL> [--n 100] [--concurrency 30] [--event-capacity K]
 *                     [--domain example.com] [--retry-ms 1000] [--run ID]
 *
 * Fires N sign-ups at a deployed /exec in JSON mode, `concurrency` at a time, with test addresses
 * loadtest-<run>-<i>@<domain> (never real people; not
 * "loadtest+…": every "+tag" of one mailbox is one guest here, so they would all be the same person), retrying a refused request as the form does
 * (4 tries, waits of 1, 2 and 4 × retry-ms, jittered ±50%), then checks the answers (check.ts),
 * prints the figures and exits 1 on any violation. Run it against a COPY of your sheet.
 */
import { Answer, Verdict, checkAnswers } from './loadtest/check';

export interface LoadOptions {
  url: string;
  n: number;
  concurrency: number;
  capacity: number | null;
  domain: string;
  retryMs: number;
  run: string;
}

const TRIES = 4;

async function signUp(o: LoadOptions, i: number): Promise<Answer> {
  const started = Date.now();
  const body = new URLSearchParams({
    name: `Load test ${i}`,
    email: `loadtest-${o.run}-${i}@${o.domain}`,
    format: 'json',
  }).toString();
  let refusals = 0;
  for (let t = 1; ; t++) {
    let retry = false;
    let error = '';
    try {
      // Apps Script answers a POST with a redirect to the result: fetch follows it (as a GET).
      const res = await fetch(o.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      if (res.status === 429 || res.status === 503) retry = true;
      else {
        const text = await res.text();
        const a = JSON.parse(text) as { status?: string; position?: number | null };
        if (a.status === 'busy') retry = true;
        else
          return {
            i,
            status: String(a.status),
            position: a.position ?? null,
            tries: t,
            ms: Date.now() - started,
            refusals,
          };
      }
    } catch (e) {
      // A dropped connection: the request may or may not have landed; the form retries it too
      // (a duplicate is answered "already …", which the check reports).
      retry = true;
      error = (e as Error).message;
    }
    refusals++;
    if (!retry || t >= TRIES)
      return {
        i,
        status: 'error',
        tries: t,
        ms: Date.now() - started,
        refusals,
        error: error || 'refused every try',
      };
    const wait = o.retryMs * 2 ** (t - 1) * (0.5 + Math.random());
    await new Promise((r) => setTimeout(r, wait));
  }
}

export async function loadTest(o: LoadOptions): Promise<{ answers: Answer[]; verdict: Verdict }> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async () => {
    while (next < o.n) answers.push(await signUp(o, next++));
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.n) }, worker));
  return { answers, verdict: checkAnswers(o.n, answers, o.capacity) };
}

export function report(o: LoadOptions, v: Verdict): string {
  const statuses = Object.entries(v.counts)
    .map(([s, k]) => `${s} ${k}`)
    .join(', ');
  return [
    `${o.n} sign-ups to ${o.url} (${o.concurrency} at a time, run ${o.run})`,
    `answers: ${statuses}`,
    ...(v.firstPosition > 1
      ? [`waitlist positions started at ${v.firstPosition}: others were already waiting`]
      : []),
    `answer time: p50 ${v.p50} ms, p95 ${v.p95} ms, max ${v.max} ms`,
    `refusals ${v.refusals}, retries ${v.retries}` +
      (v.counts.error
        ? `; ${v.counts.error} gave up after ${TRIES} tries (a guest would be told to try again later)`
        : ''),
    v.violations.length
      ? `VIOLATIONS (${v.violations.length}):\n  ${v.violations.join('\n  ')}`
      : 'no violations',
    `To remove the test guests: filter Guests by Email containing "loadtest-${o.run}-", delete those rows, then RSVP → Recount and repair.`,
  ].join('\n');
}

export function parseArgs(argv: string[]): LoadOptions | string {
  const url = argv.find((a) => !a.startsWith('--'));
  const opt = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (!url || !/^https?:\/\//.test(url))
    return 'usage: npm run loadtest -- <web app URL> [--n 100] [--concurrency 30] [--event-capacity K] [--domain example.com] [--retry-ms 1000]';
  const num = (name: string, dflt: number) => {
    const v = opt(name);
    return v === undefined ? dflt : Number(v);
  };
  const o: LoadOptions = {
    url,
    n: num('n', 100),
    concurrency: num('concurrency', 30),
    capacity: opt('event-capacity') === undefined ? null : Number(opt('event-capacity')),
    domain: opt('domain') ?? 'example.com',
    retryMs: num('retry-ms', 1000),
    run: opt('run') ?? Date.now().toString(36),
  };
  if (
    ![o.n, o.concurrency, o.retryMs].every((x) => Number.isInteger(x) && x > 0) ||
    (o.capacity !== null && !(o.capacity >= 0))
  )
    return '--n, --concurrency and --retry-ms must be whole numbers above 0, --event-capacity 0 or more';
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(o.domain)) return `--domain "${o.domain}" is not a domain`;
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (typeof o === 'string') {
    console.error(o);
    process.exit(2);
  }
  const { verdict } = await loadTest(o);
  console.log(report(o, verdict));
  process.exit(verdict.violations.length ? 1 : 0);
}

if (require.main === module) void main();
