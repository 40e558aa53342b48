/**
 * `npm run simulate -- --seeds N [--seed S] [--naive] [--mutant] [--no-parties] [--big-list G] [--rounds R] [--jobs J] [--verbose]`
 * `--big-list G`: G guests already on the list at the start of each seed (issue 24).
 *
 * Runs the randomized multi-lane workload (scripts/sim/workload.ts) over seeds S, S+1, … on the
 * virtual clock and checks every invariant as it goes. Prints one line per failing seed with the
 * command that replays it, then `seeds: N, violations: V, digest: <hash of every final state>`;
 * the same seeds give the same digest on any machine. Exit code 1 when V > 0 (the naive negative
 * control reports its share of failing seeds and exits 0 when it found violations, 1 when not).
 * `--no-parties`: Largest party 1 in every seed, and a digest of the sheets without what parties
 * add, comparable with a build from before parties (see SimConfig.parties).
 */
import * as crypto from 'crypto';
import { closeWorkers } from '../emulator/runtime';
import { SimOutcome, simulate } from './sim/workload';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const naive = args.includes('--naive');
/**
 * The other negative controls (SimConfig.mutant): `--mutant` puts issue 22's dropped emails back into
 * the bundle; `--mutant stale-index` makes the keeper trust an Index read minutes ago (issue 24).
 */
const mutantArg = opt('mutant');
const mutant = args.includes('--mutant')
  ? mutantArg === 'stale-index'
    ? ('stale-index' as const)
    : ('lane-replaces-mail' as const)
  : undefined;
const verbose = args.includes('--verbose');
const parties = !args.includes('--no-parties');
const first = Number(opt('seed') ?? 1);
const seeds = Number(opt('seeds') ?? (opt('seed') ? 1 : 20));
const rounds = opt('rounds') ? Number(opt('rounds')) : undefined;
const jobs = Math.max(1, Number(opt('jobs') ?? 2));
/** Issue 24: guests already on the list when each seed starts (SimConfig.bigList). */
const bigList = Number(opt('big-list') ?? 0);

async function main(): Promise<void> {
  const started = Date.now();
  const outcomes: SimOutcome[] = new Array(seeds);
  let next = 0;
  // Seeds are independent simulations: a few at once keep both cores busy (worker threads run the
  // scripts, this thread the schedulers). Each is deterministic whatever runs beside it.
  const worker = async () => {
    for (let i = next++; i < seeds; i = next++) {
      const seed = first + i;
      const o = await simulate({ seed, naive, rounds, parties, mutant, bigList });
      outcomes[i] = o;
      if (o.violations.length) {
        console.log(
          `seed ${seed}: ${o.violations.length} violation(s), first: ${o.violations[0]}\n` +
            `  replay: npm run simulate -- --seed ${seed}${naive ? ' --naive' : ''}${mutant ? ` --mutant ${mutant}` : ''}${rounds ? ` --rounds ${rounds}` : ''}${parties ? '' : ' --no-parties'}${bigList ? ` --big-list ${bigList}` : ''} --verbose`,
        );
      }
      if (verbose) {
        console.log(o.trail.join('\n'));
        console.log(`stats: ${JSON.stringify(o.stats)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, seeds) }, worker));
  const failing = outcomes.filter((o) => o.violations.length).length;
  const oversold = outcomes.filter((o) => o.violations.some((v) => /over the cap/.test(v))).length;
  const violations = outcomes.reduce((n, o) => n + o.violations.length, 0);
  const digest = crypto
    .createHash('sha256')
    .update(outcomes.map((o) => `${o.seed}:${o.digest}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (naive) {
    console.log(
      `naive claim (negative control): ${failing} of ${seeds} seeds with violations (${((100 * failing) / seeds).toFixed(0)}%), ` +
        `${oversold} of them oversold the cap, ${secs} s`,
    );
  }
  console.log(`seeds: ${seeds}, violations: ${violations}, digest: ${digest}`);
  if (!naive) console.error(`(${secs} s, seeds ${first}..${first + seeds - 1})`);
  await closeWorkers();
  process.exit(naive ? (failing > 0 ? 0 : 1) : violations > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
