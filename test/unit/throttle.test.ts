/** The throttle's policy and its estimate of new sign-ups (pure). */
import {
  GLOBAL_SLOTS,
  estimateSignups,
  globalSlotKey,
  mailboxCounterKey,
  throttleVerdict,
} from '../../src/core/throttle';

describe('throttle', () => {
  test('verdicts: the 6th try of one mailbox, and new guests past 200 a minute, wait', () => {
    expect(throttleVerdict(4, 199)).toBe('ok');
    expect(throttleVerdict(5, 0)).toBe('mailbox');
    expect(throttleVerdict(0, 200)).toBe('everyone');
  });

  test('the estimate from marked slots stays within 10% around the limit', () => {
    const minute = 29_000_000;
    for (const n of [50, 100, 200, 300]) {
      const marked = new Set(
        Array.from({ length: n }, (_, i) => globalSlotKey(`guest${i}@example.com`, minute)),
      );
      const estimate = estimateSignups(marked.size);
      expect(Math.abs(estimate - n) / n).toBeLessThan(0.1);
    }
    expect(estimateSignups(0)).toBe(0);
    expect(estimateSignups(GLOBAL_SLOTS)).toBe(Infinity);
  });

  test('keys: short enough for the cache (250 characters) for the longest address, and per minute', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(185)}.com`;
    expect(mailboxCounterKey(long, 29_000_000).length).toBeLessThan(40);
    expect(mailboxCounterKey('ada@gmail.com', 1)).not.toBe(mailboxCounterKey('ada@gmail.com', 2));
    expect(globalSlotKey('ada@gmail.com', 1)).toBe(globalSlotKey('ada@gmail.com', 1));
  });
});
