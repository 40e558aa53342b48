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

describe('automated mail the host need not review (issue 27)', () => {
  const base = msg({ plainBody: 'yes' });
  test.each([
    [
      { headers: { 'content-type': 'multipart/report; report-type=feedback-report; boundary="x"' } },
      'spam complaint (feedback report, ARF)',
    ],
    [{ from: 'Postmaster <post_master@mail.example.org>' }, 'bounce (from post_master@mail.example.org)'],
    [{ from: 'postmaster-noc@example.net' }, 'bounce (from postmaster-noc@example.net)'],
    [{ from: 'Mail Delivery System <mailer_daemon@example.net>' }, 'bounce (from mailer_daemon@example.net)'],
    [{ from: 'friends-owner@lists.example.org' }, 'mailing list robot (friends-owner@lists.example.org)'],
    [{ from: 'owner-friends@lists.example.org' }, 'mailing list robot (owner-friends@lists.example.org)'],
    [{ from: 'LISTSERV <listserv@lists.example.edu>' }, 'mailing list robot (listserv@lists.example.edu)'],
    [{ from: 'friends-request@lists.example.org' }, 'mailing list robot (friends-request@lists.example.org)'],
    [{ subject: 'Re: Please confirm your email address to get through' }, 'challenge-response filter'],
    [{ subject: 'Your message to ada@example.com requires confirmation' }, 'challenge-response filter'],
    [{ subject: 'Sender verification required' }, 'challenge-response filter'],
  ])('%o → %s', (over, want) => {
    expect(isAutomated({ ...base, ...over }, OWN)).toContain(want);
  });

  test('people stay people: a guest whose address or subject only looks alike', () => {
    for (const over of [
      { from: 'Ada Admin <ada-admin@example.com>' },
      { from: 'Owen Owner <owen.owner@example.com>' },
      { subject: 'Re: You’re invited: Gala' },
      { subject: 'Confirmed! See you there' },
      { subject: 'Re: A seat opened up: claim it for Gala' },
    ])
      expect(isAutomated({ ...base, ...over }, OWN)).toBeNull();
  });
});
