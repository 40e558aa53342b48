import { classifyIntent } from '../../../src/core/reply/intent';
import { NO_OWN_TEXT, ownTextIndex } from '../../../src/core/reply/own-text';
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

describe('replyText: what the guest wrote, above, below or between quotes', () => {
  const header = 'On Dec 15, 2024, at 3:00 PM, John Smith <john@example.com> wrote:';
  test('the guest’s last line right above a header (no blank line between) stays theirs', () => {
    expect(replyText(`Count me in.\nSee you there!\n${header}\n> the invite`, '')).toBe(
      'Count me in.\nSee you there!',
    );
  });
  test('a header wrapped mid-address is one header, whatever line it starts on', () => {
    expect(
      replyText('Yes!\n\nOn Mon, Aug 26, 2019 at 4:37 PM The Host <\nhost@example.com> wrote:\n\n> hi', ''),
    ).toBe('Yes!');
    expect(
      replyText('Op 12 december 2016 19:05 schreef Sam <\nsam@example.com>:\n> Kom je?\n\nJa, graag', ''),
    ).toBe('Ja, graag');
  });
  test('"Hi," above a quote, the answer below it: both are kept', () => {
    expect(replyText(`Hi,\n${header}\n> Can you come?\n\nYes, gladly.`, '')).toBe('Hi,\n\nYes, gladly.');
  });
  test('a sentence that starts like a device footer is not one', () => {
    expect(replyText('Here is another email\n\nSent from my desk, is much easier than my phone.', '')).toBe(
      'Here is another email\n\nSent from my desk, is much easier than my phone.',
    );
    expect(replyText('Yes\n\nSent from my iPhone', '')).toBe('Yes');
  });
  test('a header block that starts with Date: or To:, and a ==== separator, end the reply', () => {
    expect(replyText('Blah\n\nDate: Wed, 16 May 2012 00:15:02 -0600\nTo: sam@example.com\n\nold', '')).toBe(
      'Blah',
    );
    expect(replyText('Blah\n\n====\nold text', '')).toBe('Blah');
  });
});

describe('replyText with what we sent: our words are never the guest’s', () => {
  const ours = ownTextIndex([
    "You're in: Winter Social",
    "Hi Ada,\n\nYou're in! Your seat at Winter Social is confirmed.\n\nIf your plans change, please cancel so someone on the waitlist can have your seat.\n\nCancel my RSVP: https://x.example/exec?action=cancel&t=abc\n\nSam",
  ]);
  test('our email, unquoted under a header nobody lists, is history', () => {
    const body =
      'Thanks for organising!\n\nxyz 5.12.2026 10:00 Sam <sam@example.com> qwerty:\n\nHi Ada,\n\nYou’re in! Your seat at Winter Social is confirmed.\n\nIf your plans change, please cancel so someone on the\nwaitlist can have your seat.\n\nCancel my RSVP\n\nSam';
    expect(replyText(body, '', ours)).toBe('Thanks for organising!');
  });
  test('the guest’s own short answer is kept, even when our email has the same words', () => {
    expect(replyText('Cancel my RSVP', '', ours)).toBe('Cancel my RSVP');
    expect(replyText('Cancel\n\nSam', '', ours)).toBe('Cancel\n\nSam');
  });
  test('without our text, the same unquoted copy is only cut by its header', () => {
    expect(replyText('Yes\n\n' + 'Hi Ada,\n\nPlease cancel so someone can come', '', NO_OWN_TEXT)).toContain(
      'cancel',
    );
  });
});
