/** Cancel by reply trusts only Gmail's own Authentication-Results, for the sender's own domain. */
import { rawHeaders, senderAuthenticated } from '../../../src/core/reply/auth';

const raw = (...headers: string[]) =>
  `${headers.join('\r\n')}\r\n\r\nbody: Authentication-Results: mx.google.com; dmarc=pass header.from=example.com`;
const check = (r: string, email = 'ada@example.com') => senderAuthenticated(rawHeaders(r), email);

describe('senderAuthenticated', () => {
  test.each([
    [
      'dmarc pass for the From domain',
      'mx.google.com; dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com',
      true,
    ],
    [
      'dkim pass, header.i at the domain',
      'mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=s1 header.b=x',
      true,
    ],
    ['dkim pass, header.d', 'mx.google.com; dkim=pass header.d=example.com', true],
    [
      'spf pass, mailfrom at the domain',
      'mx.google.com; spf=pass (google.com: domain of ada@example.com designates 1.2.3.4 as permitted sender) smtp.mailfrom=ada@example.com',
      true,
    ],
    [
      'dmarc fail',
      'mx.google.com; dkim=fail header.i=@example.com; spf=softfail smtp.mailfrom=ada@example.com; dmarc=fail header.from=example.com',
      false,
    ],
    [
      'a pass for another domain',
      'mx.google.com; dkim=pass header.i=@mailer.example.net; spf=pass smtp.mailfrom=bounce@mailer.example.net',
      false,
    ],
    ['a subdomain is not the domain', 'mx.google.com; dkim=pass header.d=evil.example.com', false],
    ['results not stamped by Gmail', 'mx.evil.example; dmarc=pass header.from=example.com', false],
    [
      '"pass" only inside a comment',
      'mx.google.com; dmarc=fail (dmarc=pass header.from=example.com) header.from=example.com',
      false,
    ],
  ])('%s', (_name, value, ok) => {
    expect(
      check(
        raw(
          'Delivered-To: host+rsvp@example.com',
          `Authentication-Results: ${value}`,
          'From: Ada <ada@example.com>',
        ),
      ).ok,
    ).toBe(ok);
  });

  test("only the topmost Authentication-Results counts (a sender can only add headers below Gmail's)", () => {
    const r = raw(
      'Authentication-Results: mx.google.com; dmarc=fail header.from=example.com',
      'From: Ada <ada@example.com>',
      'Authentication-Results: mx.google.com; dmarc=pass header.from=example.com',
    );
    expect(check(r)).toMatchObject({ ok: false, why: expect.stringMatching(/no pass for example.com/) });
  });

  test('no header, and a header only in the body, are not evidence', () => {
    expect(check(raw('From: Ada <ada@example.com>'))).toEqual({
      ok: false,
      why: 'no Authentication-Results header',
    });
  });

  test('the domain comparison ignores case', () => {
    expect(
      check(
        raw('Authentication-Results: mx.google.com; dmarc=pass header.from=Example.COM'),
        'ada@EXAMPLE.com',
      ).ok,
    ).toBe(true);
  });
});
