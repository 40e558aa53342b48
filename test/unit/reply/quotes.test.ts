import { classifyIntent } from '../../../src/core/reply/intent';
import { replyText } from '../../../src/core/reply/quotes';

describe('replyText', () => {
  test('plain body wins; HTML is used when it is empty', () => {
    expect(replyText('Yes', '<p>No</p>')).toBe('Yes');
    expect(replyText('  \n', '<p>No</p>')).toBe('No');
  });

  test('signatures and device footers', () => {
    expect(replyText('Yes\n--\nAda', '')).toBe('Yes');
    expect(replyText('Yes\n--- not a signature\nAda', '')).toBe('Yes\n--- not a signature\nAda');
    expect(replyText('Yes\n\nSent from my Galaxy', '')).toBe('Yes');
    expect(replyText('Yes\n\nVon meinem iPhone gesendet', '')).toBe('Yes');
  });

  test('an "On …" sentence is not a quote header', () => {
    expect(replyText('On Saturday I will be there, wrote it in my diary.\nSee you', '')).toBe(
      'On Saturday I will be there, wrote it in my diary.\nSee you',
    );
  });

  // Catastrophic backtracking would run for hours on these; the parse is linear and takes
  // milliseconds. No clock is read (a loaded machine must not fail it): only the jest timeout bounds it.
  test('long and hostile input gets an answer (no catastrophic backtracking)', () => {
    const line = 'On ' + 'a, '.repeat(30000);
    expect(replyText(`Yes\n${line}\n${'From: x\n'.repeat(2000)}`, '')).toMatch(/^Yes/);
    expect(typeof replyText('', '<div ' + 'a="'.repeat(20000) + '<'.repeat(20000))).toBe('string');
    expect(classifyIntent('yes '.repeat(20000)).intent).toBe('yes');
  }, 60000);
});
