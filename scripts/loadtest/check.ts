/**
 * What a load test can prove from the answers alone (no access to the sheet): no more confirmations
 * than seats, waitlist positions 1..W with no repeats and no gaps (except where an answer was only
 * "queued", whose place the guest learns by email), and one final answer per request. Pure.
 */

export interface Answer {
  /** Which request (0-based). */
  i: number;
  /** The JSON `status` of the final answer, or 'error' when none could be read. */
  status: string;
  position?: number | null;
  /** How many times this request was sent (1 = no retry). */
  tries: number;
  /** From the first send to the final answer. */
  ms: number;
  /** Refusals seen on the way: HTTP 429/503, `busy`, a dropped connection. */
  refusals: number;
  error?: string;
}

export interface Verdict {
  violations: string[];
  counts: Record<string, number>;
  /** The first waitlist position answered (1 unless people were already waiting). */
  firstPosition: number;
  confirmed: number;
  waitlisted: number;
  refusals: number;
  retries: number;
  p50: number;
  p95: number;
  max: number;
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;

export function checkAnswers(n: number, answers: readonly Answer[], capacity: number | null): Verdict {
  const violations: string[] = [];
  const byRequest = new Map<number, number>();
  for (const a of answers) byRequest.set(a.i, (byRequest.get(a.i) ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    const k = byRequest.get(i) ?? 0;
    if (k !== 1) violations.push(`request ${i} got ${k} final answers (expected exactly 1)`);
  }
  const counts: Record<string, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  const confirmed = counts.confirmed ?? 0;
  if (capacity !== null && confirmed > capacity)
    violations.push(`oversold: ${confirmed} guests were told "confirmed" for ${capacity} seats`);
  const positions = answers
    .filter((a) => a.status === 'waitlisted')
    .map((a) => a.position)
    .filter((p): p is number => typeof p === 'number');
  const waitlisted = answers.filter((a) => a.status === 'waitlisted').length;
  if (positions.length !== waitlisted)
    violations.push(`${waitlisted - positions.length} waitlisted answer(s) without a position`);
  const seen = new Set<number>();
  for (const p of positions) {
    if (seen.has(p)) violations.push(`waitlist position ${p} was given twice`);
    seen.add(p);
  }
  // A "queued" answer holds a place the guest is told by email: it may account for a missing position.
  // On an event that already had a waitlist the run's positions start later: they must still be one
  // run with no gaps (from 1 on a fresh copy).
  const queued = counts.queued ?? 0;
  const top = positions.length ? Math.max(...positions) : 0;
  const first = positions.length ? Math.min(...positions) : 1;
  const missing = [];
  for (let p = first; p <= top; p++) if (!seen.has(p)) missing.push(p);
  if (missing.length > queued)
    violations.push(`waitlist positions have gaps: ${missing.slice(0, 10).join(', ')} missing`);
  if (positions.some((p) => p < 1 || !Number.isInteger(p)))
    violations.push('a waitlist position is not 1, 2, 3, …');
  for (const a of answers)
    if (a.status.startsWith('already'))
      violations.push(`request ${a.i}: a new address was told "${a.status}"`);
  if (n > 0 && (counts.error ?? 0) === n)
    violations.push("no request got an answer: is the URL the web app's /exec?");
  const times = answers.map((a) => a.ms).sort((x, y) => x - y);
  return {
    violations,
    counts,
    firstPosition: first,
    confirmed,
    waitlisted,
    refusals: answers.reduce((s, a) => s + a.refusals, 0),
    retries: answers.reduce((s, a) => s + a.tries - 1, 0),
    p50: pct(times, 50),
    p95: pct(times, 95),
    max: times.at(-1) ?? 0,
  };
}
