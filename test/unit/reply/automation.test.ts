import { isAutomated } from '../../../src/core/reply/automation';
import { OWN, msg } from './messages';

describe('isAutomated', () => {
  const base = msg({ plainBody: 'yes' });
  test('headers', () => {
    expect(isAutomated({ ...base, headers: { 'auto-submitted': 'no' } }, OWN)).toBeNull();
    expect(isAutomated({ ...base, headers: { 'auto-submitted': 'auto-generated' } }, OWN)).toBe(
      'auto-reply (Auto-Submitted: auto-generated)',
    );
    expect(isAutomated({ ...base, headers: { 'x-autoreply': 'yes' } }, OWN)).toBe('auto-reply (X-Autoreply)');
    expect(isAutomated({ ...base, headers: { 'x-autorespond': '' } }, OWN)).toBe(
      'auto-reply (X-Autorespond)',
    );
    expect(isAutomated({ ...base, headers: { precedence: 'list' } }, OWN)).toBe(
      'mailing list (Precedence: list)',
    );
    expect(isAutomated({ ...base, headers: { precedence: 'auto_reply' } }, OWN)).toContain('auto-reply');
    expect(isAutomated({ ...base, headers: { precedence: 'first-class' } }, OWN)).toBeNull();
    expect(isAutomated({ ...base, headers: { 'list-unsubscribe': '<mailto:u@x.example>' } }, OWN)).toBe(
      'mailing list (List-Unsubscribe)',
    );
    expect(isAutomated({ ...base, headers: { 'return-path': '<>' } }, OWN)).toContain('bounce');
    expect(
      isAutomated(
        { ...base, headers: { 'content-type': 'multipart/report; report-type="disposition-notification"' } },
        OWN,
      ),
    ).toContain('read receipt');
  });

  test('subjects', () => {
    for (const subject of [
      'Auto: Dinner',
      'Out of Office: Dinner',
      'Undeliverable: Dinner',
      'Mail Delivery Failed: returning message to sender',
      '=?UTF-8?Q?Automatic_reply:_Dinner?=',
    ]) {
      expect(isAutomated({ ...base, subject }, OWN)).not.toBeNull();
    }
    expect(isAutomated({ ...base, subject: 'Re: Automatic reply: Dinner' }, OWN)).toBeNull();
    expect(isAutomated({ ...base, subject: 'Re: Out of office party' }, OWN)).toBeNull();
  });

  test('senders', () => {
    for (const from of [
      'postmaster@example.com',
      'noreply@example.com',
      'do-not-reply@x.example',
      'bounces+123@x.example',
      'DoNotReply <donotreply@x.example>',
    ]) {
      expect(isAutomated({ ...base, from }, OWN)).not.toBeNull();
    }
    expect(isAutomated({ ...base, from: 'Noreen <noreen@example.com>' }, OWN)).toBeNull();
  });

  test('own addresses: case, plus tags and Gmail dots', () => {
    expect(isAutomated({ ...base, from: 'HOST@Gmail.com' }, OWN)).toContain('own mail');
    expect(isAutomated({ ...base, from: 'Host <h.o.s.t+rsvp@googlemail.com>' }, OWN)).toContain('own mail');
    expect(isAutomated({ ...base, from: 'host@gmail.com' }, ['Host+RSVP@gmail.com'])).toContain('own mail');
    expect(isAutomated({ ...base, from: 'hostess@gmail.com' }, OWN)).toBeNull();
    expect(isAutomated({ ...base, from: 'host@example.com' }, OWN)).toBeNull();
    expect(isAutomated({ ...base, from: 'h.ost@example.com' }, ['host@example.com'])).toBeNull();
  });
});
