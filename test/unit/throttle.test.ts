/** The throttle's policy and its estimate of new sign-ups (pure). */
import {
  GLOBAL_SLOTS,
  estimateSignups,
  globalSlotKey,
  mailboxCounterKey,
  throttleMessage,
  throttleVerdict,
} from '../../src/core/throttle';
import { parseStamp } from '../../src/core/honeypot';

describe('throttle', () => {
  test('verdicts: the 6th try of one mailbox; a page past 4 new guests; unsigned posts past 200 a minute', () => {
    expect(throttleVerdict(4, { unsigned: 199 })).toBe('ok');
    expect(throttleVerdict(5, { unsigned: 0 })).toBe('mailbox');
    expect(throttleVerdict(5, { page: 0 })).toBe('mailbox');
    expect(throttleVerdict(0, { unsigned: 200 })).toBe('unsigned');
    expect(throttleVerdict(0, { page: 3 })).toBe('ok');
    expect(throttleVerdict(0, { page: 4 })).toBe('page');
    // A signed page is never held up by how many others signed up this minute.
    expect(throttleVerdict(0, { page: 0 })).toBe('ok');
    expect(throttleMessage('page')).toMatch(/reload/);
    expect(throttleMessage('mailbox')).toBe(throttleMessage('unsigned'));
  });

  test('stamps: signed and bare ones read; anything else is unreadable', () => {
    expect(parseStamp('1700000000000')).toEqual({ ms: 1700000000000, nonce: '', sig: '' });
    expect(parseStamp('1700000000000.abcdef0123456789.AbCdEf0123456789-_xyzw')).toEqual({
      ms: 1700000000000,
      nonce: 'abcdef0123456789',
      sig: 'AbCdEf0123456789-_xyzw',
    });
    for (const bad of ['', 'x', '17.', '1700000000000.short.sig', '1700000000000.abcdef0123456789.<script>'])
      expect(parseStamp(bad)).toBeNull();
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
