/** One sign-up, one mailbox, one recipient: address checks, mailbox equivalence, invisible characters. */
import { mailboxKey, normalizeEmail } from '../../src/core/email';
import { parseNameAndEmail } from '../../src/core/paste';
import { parseSender } from '../../src/core/reply/sender';
import { checkSignup } from '../../src/core/signup';
import { greetingName, oneLine } from '../../src/core/text';

const refused = (raw: string) => {
  const r = normalizeEmail(raw);
  return r.ok ? `accepted as ${r.email}` : r.message;
};

describe('normalizeEmail: one plain address, checked as stored', () => {
  test.each([
    ['quoted local part hiding a list', '"victim@x.com,attacker"@example.com'],
    ['quoted local part with a semicolon', '"a;b"@example.com'],
    ['quoted local part, harmless inside', '"ada"@example.com'],
    ['comma list', 'ada@example.com,eve@example.com'],
    ['comma list with a space', 'ada@example.com, eve@example.com'],
    ['semicolon list', 'ada@example.com;eve@example.com'],
    ['angle brackets inside', 'ada@example.com>eve@example.com'],
    ['backslash escape', 'ada\\@x@example.com'],
    ['route / group syntax', 'list:ada@example.com;'],
  ])('%s is refused with a one-address message', (_what, raw) => {
    expect(refused(raw)).toMatch(/one plain email address|space/);
  });

  test.each([
    ['zero-width space', 'ada\u200b@example.com'],
    ['right-to-left override', 'ada\u202e@example.com'],
    ['soft hyphen', 'ad\u00ada@example.com'],
    ['NUL', 'ada\u0000@example.com'],
    ['escape character', 'ada\u001b@example.com'],
    ['Braille blank', 'ada\u2800@example.com'],
    ['Hangul filler', 'ada\u3164@example.com'],
    ['zero-width joiner', 'a\u200dda@example.com'],
  ])('%s is refused as an invisible character', (_what, raw) => {
    expect(refused(raw)).toMatch(/invisible character/);
  });

  test('line and paragraph separators and the BOM count as spaces (JavaScript and mail servers alike)', () => {
    expect(refused('ada\u2028@example.com')).toMatch(/space/);
    expect(refused('a\ufeffda@example.com')).toMatch(/space/);
  });

  test('domains mail cannot reach, and code points no address holds, are refused (isemail, validator.js, python-email-validator)', () => {
    const typo = "That doesn't look like an email address: check for typos.";
    for (const raw of [
      'test@-iana.org',
      'test@iana-.com',
      'a@b_c.com',
      'my@\uFF0Eleadingfwdot.com',
      'me@xn--0.tld',
      'z@co.c',
      'a@b.c1',
      'x\uD800y@example.com',
      'a\uE000@example.com',
      'a@exam\u0378ple.com',
    ])
      expect([raw, refused(raw)]).toEqual([raw, typo]);
    for (const raw of ['ok@bücher.de', 'ok@xn--bcher-kva.de', 'ok@example.xn--p1ai', 'üser@例え.jp'])
      expect(normalizeEmail(raw).ok).toBe(true);
  });

  test('an address pasted with its display name is the address inside; the name fills an empty name field', () => {
    expect(checkSignup('', 'My Name <me@example.org>')).toEqual({
      ok: true,
      name: 'My Name',
      email: 'me@example.org',
    });
    expect(checkSignup('Ada', '"Name" <Me@Example.org>')).toEqual({
      ok: true,
      name: 'Ada',
      email: 'me@example.org',
    });
    // Still one address: a pasted list is refused, and so is a bad address inside the brackets.
    expect(checkSignup('Ada', 'A <a@example.org>, B <b@example.org>')).toMatchObject({ ok: false });
    expect(checkSignup('Ada', 'A <a@-bad.org>')).toMatchObject({ ok: false });
  });

  test('ordinary addresses are still accepted and stored as typed (normalized)', () => {
    expect(normalizeEmail(' Ada+RSVP@Example.com ')).toEqual({ ok: true, email: 'ada+rsvp@example.com' });
    expect(normalizeEmail("o'brien@example.ie")).toEqual({ ok: true, email: "o'brien@example.ie" });
    expect(normalizeEmail('a.da@gmail.com')).toEqual({ ok: true, email: 'a.da@gmail.com' });
    expect(normalizeEmail('zoë@bücher.de')).toEqual({ ok: true, email: 'zoë@bücher.de' });
    expect(normalizeEmail('<mailto:ada@example.com>'.replace('<mailto:', 'mailto:<'))).toEqual({
      ok: true,
      email: 'ada@example.com',
    });
  });

  test('every lane refuses the same addresses: form, reply sender, import', () => {
    const bad = '"victim@x.com,attacker"@example.com';
    expect(checkSignup('Eve', bad)).toMatchObject({ ok: false });
    expect(parseSender(`Eve <${bad}>`, '')).toBeNull();
    expect(parseSender('Eve <eve\u200b@example.com>', '')).toBeNull();
    expect(parseNameAndEmail(`Eve <${bad}>`)).toHaveProperty('problem');
    expect(parseNameAndEmail('Eve <ada@example.com;eve@example.com>')).toHaveProperty('problem');
  });
});

describe('mailboxKey: one seat per mailbox', () => {
  test('Gmail ignores dots and plus tags, and googlemail.com is gmail.com', () => {
    const ada = mailboxKey('ada@gmail.com');
    for (const v of ['ada+1@gmail.com', 'a.da@gmail.com', 'ada@googlemail.com', 'A.D.A+x+y@GoogleMail.com'])
      expect([v, mailboxKey(v)]).toEqual([v, ada]);
    expect(mailboxKey('adam@gmail.com')).not.toBe(ada);
  });

  test('other domains: the plus tag is ignored, dots are not', () => {
    expect(mailboxKey('ada+rsvp@example.com')).toBe(mailboxKey('ada@example.com'));
    expect(mailboxKey('a.da@example.com')).not.toBe(mailboxKey('ada@example.com'));
    expect(mailboxKey('ada@example.org')).not.toBe(mailboxKey('ada@example.com'));
    // A local part that is only a tag keeps it (there is no base mailbox to fall back to).
    expect(mailboxKey('+1@example.com')).toBe('+1@example.com');
  });

  test('IDN domains: Unicode, xn-- and full-width spellings are one domain', () => {
    const key = mailboxKey('zoë@bücher.de');
    expect(mailboxKey('zoë@xn--bcher-kva.de')).toBe(key);
    expect(mailboxKey('ZOË@BÜCHER.DE')).toBe(key);
    expect(mailboxKey('zoe\u0308@bu\u0308cher.de')).toBe(key);
    expect(mailboxKey('zoë@ｂüｃｈｅｒ.de')).toBe(key);
  });

  test('rows written before (lower-cased, as typed) get the same key as a new sign-up', () => {
    expect(mailboxKey(' Ada.Lovelace@Gmail.com ')).toBe(mailboxKey('adalovelace+party@gmail.com'));
  });
});

describe('names: invisible and format characters removed', () => {
  test.each([
    ['zero-width space', 'A\u200bda', 'Ada'],
    ['bidi override', 'Bob\u202egnp.exe', 'Bobgnp.exe'],
    ['bidi isolate', '\u2066Ada\u2069', 'Ada'],
    ['soft hyphen and BOM', 'Ad\u00ada\ufeff', 'Ada'],
    ['control characters', 'Ada\u0007\u001b Lovelace', 'Ada Lovelace'],
    ['Braille blank as a space', 'Ada\u2800Lovelace', 'Ada Lovelace'],
    ['Hangul fillers as spaces', 'Ada\u3164\u115fLovelace', 'Ada Lovelace'],
    ['tag characters', 'Ada\u{e0041}\u{e0042}', 'Ada'],
    ['zero-width joiner between Latin letters', 'pay\u200dpal', 'paypal'],
  ])('%s', (_what, raw, clean) => {
    expect(oneLine(raw)).toBe(clean);
  });

  test('joiners stay where a script or an emoji needs them', () => {
    expect(oneLine('👩\u200d💻 Ada')).toBe('👩\u200d💻 Ada');
    expect(oneLine('می\u200cخواهم')).toBe('می\u200cخواهم');
  });

  test('a name that is only invisible characters is empty, and the form asks for a name', () => {
    expect(oneLine('\u200b\u200e\u2800\u3164 \u202e')).toBe('');
    expect(checkSignup('\u200b\u2800\u3164', 'ada@example.com')).toEqual({
      ok: false,
      errors: { name: 'Please enter your name.' },
    });
  });

  test('a reply sender whose display name is only invisible characters has no name', () => {
    expect(parseSender('"\u200b\u2800" <ada@example.com>', '')).toEqual({
      name: '',
      email: 'ada@example.com',
    });
  });
});

describe('greetingName: only a plausible first name goes after "Hi"', () => {
  test.each([
    ['Ada Lovelace', 'Ada'],
    ['  José  Núñez', 'José'],
    ['李小龙', '李小龙'],
    ["O'Brien", "O'Brien"],
    ['Jean-Luc Picard', 'Jean-Luc'],
    ['Ada, Countess', 'Ada'],
    ['Dr. Grace Hopper', 'Dr.'],
  ])('%s → %s', (name, first) => {
    expect(greetingName(name)).toBe(first);
  });

  test.each([
    [
      'Braille-blank sentence with a link',
      'there!\u2800Your\u2800seat\u2800needs\u2800a\u2800deposit:\u2800pay\u2800at\u2800https://evil.example/pay',
    ],
    ['Hangul-filler sentence', 'Pay\u3164at\u3164evil.example'],
    ['a URL', 'https://evil.example/pay'],
    ['a bare domain', 'evil.example'],
    ['a domain with a path', 'evil.example/pay'],
    ['www', 'www.evil.example'],
    ['an email address', 'ada@example.com'],
    ['a domain hidden with a zero-width space', 'evil\u200b.example'],
    ['a full-width dot', 'evil．example'],
    ['a phone number', '+1-800-555-0100'],
    ['a link after an ordinary first word', 'Ada see evil.example/pay'],
    ['over 30 letters', 'A'.repeat(31)],
    ['empty after cleaning', '\u200b\u2800'],
  ])('%s → none ("Hi there,")', (_what, name) => {
    expect(greetingName(name)).toBeNull();
  });
});
