/** Size warnings (issue 24): the 10-million-cell limit and the keeper's read time, before either hurts. */
import { sizeWarnings } from '../../src/core/capacity-warnings';

const base = { cells: 200_000, guests: 500, log: 2_000, lockWaitMs: 20_000 };

test('a small event: no warning', () => {
  expect(sizeWarnings(base)).toEqual([]);
  // Well under both thresholds: 20,000 guests and 20,000 Log rows.
  expect(sizeWarnings({ ...base, guests: 20_000, log: 20_000 })).toEqual([]);
});

test('at 80% of the 10 million cells the host is told, with what to do', () => {
  const [w] = sizeWarnings({ ...base, cells: 8_300_000 });
  expect(w).toMatch(
    /^The spreadsheet holds 8\.3 million of Google's 10 million cells: .*sign-ups fail\. Copy old Log and Outbox rows/,
  );
});

test('a list long enough that the 10-minute run reads for seconds in the lock is warned about, with the figures', () => {
  const [w] = sizeWarnings({ ...base, guests: 100_000, log: 25_000 });
  expect(w).toMatch(
    /^With 100,000 rows in Guests and 25,000 in the Log, the 10-minute run reads for about 23\.8 s, 11\.0 s of it while sign-ups wait whenever it changes a row \(a guest waits at most 20 s before being told "busy"\)/,
  );
  // Sign-ups read a few cells whatever the list: 40,000 guests and a short Log, no warning.
  expect(sizeWarnings({ ...base, guests: 40_000, log: 1_000 })).toEqual([]);
  // A very long Log alone makes the 10-minute run slow.
  expect(sizeWarnings({ ...base, guests: 1_000, log: 900_000 })).toHaveLength(1);
});
