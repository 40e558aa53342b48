/** Size warnings (issue 24): the 10-million-cell limit and the keeper's read time, before either hurts. */
import { sizeWarnings } from '../../src/core/capacity-warnings';

const base = { cells: 200_000, guests: 500, log: 2_000, lockWaitMs: 20_000 };

test('a small event: no warning', () => {
  expect(sizeWarnings(base)).toEqual([]);
  // Just under both thresholds: 20,000 guests and 20,000 Log rows.
  expect(sizeWarnings({ ...base, guests: 20_000, log: 20_000 })).toEqual([]);
});

test('at 80% of the 10 million cells the host is told, with what to do', () => {
  const [w] = sizeWarnings({ ...base, cells: 8_300_000 });
  expect(w).toMatch(
    /^The spreadsheet holds 8\.3 million of Google's 10 million cells: .*sign-ups fail\. Copy old Log and Outbox rows/,
  );
});

test('a list long enough that each sign-up reads for seconds in the lock is warned about, with the figures', () => {
  const [w] = sizeWarnings({ ...base, guests: 25_000, log: 25_000 });
  expect(w).toMatch(
    /^With 25,000 rows in Guests and 25,000 in the Log, each sign-up reads for about 2\.8 s and the 10-minute run for about 4\.5 s while others wait \(a guest waits at most 20 s before being told "busy"\)/,
  );
  // A long Log alone makes the 10-minute run slow.
  expect(sizeWarnings({ ...base, guests: 1_000, log: 150_000 })).toHaveLength(1);
});
