/** The deployment check's pure verdicts, on the answers the emulator cannot produce end to end. */
import { pollCost, readBackVerdict, triggerRunsVerdict, webAppVerdict } from '../../src/core/checks';
import { afterTerm } from '../../src/core/reply/search';

const NOW = Date.UTC(2026, 5, 10, 12);
const drain = [{ fn: 'sendQueuedEmails', label: 'sending queued emails', everyMinutes: 10 }];

describe('deployment check verdicts', () => {
  test("triggers' last runs: a failed run, a run that never finished, a late trigger each fail; a fresh success passes", () => {
    const v = (r: Parameters<typeof triggerRunsVerdict>[1]['x']) =>
      triggerRunsVerdict(drain, { sendQueuedEmails: r }, NOW);
    expect(v({ start: NOW - 60e3, end: NOW - 59e3, ok: true }).result).toBe('pass');
    expect(
      v({
        start: NOW - 60e3,
        end: NOW - 59e3,
        ok: false,
        error: 'Service invoked too many times for one day: email.',
      }),
    ).toMatchObject({
      result: 'fail',
      observed: expect.stringMatching(/failed 59 s ago: Service invoked too many times/),
    });
    expect(v({ start: NOW - 20 * 60e3 })).toMatchObject({
      result: 'fail',
      observed: expect.stringMatching(/never finished/),
    });
    expect(v({ start: NOW - 2 * 60e3 }).result).toBe('pass');
    expect(v({ start: NOW - 60 * 60e3, end: NOW - 59 * 60e3, ok: true })).toMatchObject({
      result: 'fail',
      observed: expect.stringMatching(/expected every 10 min/),
    });
    expect(v(null).result).toBe('could not check');
  });

  test('read back: a property another execution did not see, or a row not seen whole, fails', () => {
    const row = { result: 'pending', observed: 'token chkabc written' };
    expect(readBackVerdict('chkabc', 'chkabc', row).result).toBe('pass');
    expect(readBackVerdict('chkabc', null, row)).toMatchObject({
      result: 'fail',
      observed: expect.stringMatching(/not seen \(missing\)/),
    });
    expect(
      readBackVerdict('chkabc', 'chkabc', { result: '', observed: 'token chkabc written' }),
    ).toMatchObject({
      result: 'fail',
      observed: expect.stringMatching(/not seen whole/),
    });
  });

  test('the web app: /dev URL, a sign-in page instead of the JSON, an error', () => {
    expect(webAppVerdict('https://script.google.com/macros/s/x/dev', null).result).toBe('fail');
    expect(webAppVerdict('https://x/exec', { code: 200, body: '<html>Sign in</html>' })).toMatchObject({
      result: 'fail',
      todo: expect.stringMatching(/Anyone/),
    });
    expect(webAppVerdict('https://x/exec', { error: 'Address unavailable' }).result).toBe('fail');
    expect(webAppVerdict('https://x/exec', { code: 200, body: '{"open":true}' }).result).toBe('pass');
  });

  test('poll cost: counted getters make a busy inbox slow the poll; the date form looks a day back', () => {
    const base = { getterMs: 60, gettersPerMessage: 18, threads: 20, messages: 40, interval: 1 };
    expect(pollCost({ ...base, getterMs: 3 })).toMatchObject({ perMessage: 0, perPoll: 22, minMinutes: 5 });
    expect(pollCost(base)).toMatchObject({ perMessage: 18, perPoll: 742, minMinutes: 30 });
    expect(afterTerm(NOW, 'epoch')).toBe(`after:${NOW / 1000}`);
    expect(afterTerm(NOW, 'date')).toBe('after:2026/06/09');
  });
});
