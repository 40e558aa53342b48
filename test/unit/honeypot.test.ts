/** The honeypot's rule (src/core/honeypot.ts) and the contrast formula the browser tests use. */
import { MIN_FILL_MS, checkStamp, isBot } from '../../src/core/honeypot';
import { contrast } from '../browser/contrast';

describe('honeypot rule', () => {
  const now = 1_780_000_000_000;
  test.each([
    ['', 'missing'],
    ['   ', 'missing'],
    ['abc', 'unreadable'],
    ['-1', 'unreadable'],
    ['1e12', 'unreadable'],
    [String(now + 3600e3), 'future'],
    [String(now + 1000), 'fast'],
    [String(now - MIN_FILL_MS + 1), 'fast'],
    [String(now - MIN_FILL_MS), 'ok'],
    [String(now - 86400e3), 'ok'],
  ])('stamp %j is %s', (stamp, want) => {
    expect(checkStamp(stamp, now)).toBe(want);
  });

  test('only both signals together make a bot', () => {
    const slow = String(now - 10e3);
    expect(isBot('http://spam', '', now)).toBe(true);
    expect(isBot('http://spam', String(now), now)).toBe(true);
    expect(isBot('http://spam', slow, now)).toBe(false); // autofill on a page read for 10 s
    expect(isBot(' \t', '', now)).toBe(false); // whitespace is not an answer
    expect(isBot('', String(now), now)).toBe(false); // fast, but the trap is empty
  });
});

describe('contrast ratio', () => {
  test('matches WCAG 2 reference values', () => {
    expect(contrast('rgb(0, 0, 0)', 'rgb(255, 255, 255)')).toBeCloseTo(21, 5);
    expect(contrast('rgb(255, 255, 255)', 'rgb(255, 255, 255)')).toBe(1);
    // #767676 on white is the classic 4.54:1.
    expect(contrast('rgb(118, 118, 118)', 'rgb(255, 255, 255)')).toBeCloseTo(4.54, 2);
    // The figure: the old error red #b3261e on dark mode's #121212.
    expect(contrast('rgb(179, 38, 30)', 'rgb(18, 18, 18)')).toBeCloseTo(2.87, 2);
    expect(() => contrast('rgba(0, 0, 0, 0.5)', 'rgb(255, 255, 255)')).toThrow(/not opaque/);
  });
});
