import {
  classifyIntent,
  decideReply,
  decodeEncodedWords,
  isAutomated,
  parseSender,
  replyText,
  type InboundMessage,
  type ReplyDecision,
} from '../../src/core/reply-parse';

const OWN = ['host@gmail.com'];
const GMAIL_QUOTE_HEADER = 'On Mon, 3 Nov 2026 at 10:02, Host <host+rsvp@gmail.com> wrote:';
const INVITE_QUOTED = [
  "> You're invited to Dinner at Ada's on Saturday 14 November, 7pm.",
  '> Reply to this email to RSVP: "yes" to come, "cancel" if you can\'t make it.',
  "> Is there anything you can't eat? Tell us!",
  '>',
  '> Host',
].join('\n');

function msg(over: Partial<InboundMessage>): InboundMessage {
  return {
    id: 'm1',
    from: 'Ada Lovelace <ada@example.com>',
    replyTo: '',
    to: 'host+rsvp@gmail.com',
    subject: 'Re: Dinner at Ada’s',
    plainBody: '',
    htmlBody: '',
    headers: {},
    ...over,
  };
}

interface Case {
  name: string;
  msg: InboundMessage;
  action: ReplyDecision['action'];
  sender: { name: string; email: string } | undefined;
  reason: string;
  text?: string;
}

const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

const corpus: Case[] = [
  {
    name: 'plain "Yes!" with a Gmail quote',
    msg: msg({ plainBody: `Yes!\n\n${GMAIL_QUOTE_HEADER}\n\n${INVITE_QUOTED}\n` }),
    action: 'request',
    sender: ada,
    reason: 'yes',
    text: 'Yes!',
  },
  {
    name: 'Gmail quote header wrapped over two lines',
    msg: msg({
      plainBody: `Count me in, thanks!\n\nOn Mon, 3 Nov 2026 at 10:02, Host Person With A Long Name <\nhost+rsvp@gmail.com> wrote:\n\n${INVITE_QUOTED}\n`,
    }),
    action: 'request',
    sender: ada,
    reason: 'yes: "count me in"',
    text: 'Count me in, thanks!',
  },
  {
    name: 'Outlook top-post with a From:/Sent:/To:/Subject: block',
    msg: msg({
      from: '"Lovelace, Ada" <Ada.Lovelace@Example.COM>',
      plainBody: [
        'Hi,',
        '',
        "I'll be there.",
        '',
        'Ada',
        '',
        'From: Host <host+rsvp@gmail.com>',
        'Sent: Monday, November 3, 2026 10:02 AM',
        'To: Ada Lovelace <ada.lovelace@example.com>',
        'Subject: Dinner at Ada’s',
        '',
        'You\'re invited. Reply "cancel" if you can\'t make it.',
      ].join('\r\n'),
    }),
    action: 'request',
    sender: { name: 'Lovelace, Ada', email: 'ada.lovelace@example.com' },
    reason: `yes: "i'll be there"`,
    text: "Hi,\n\nI'll be there.\n\nAda",
  },
  {
    name: 'Outlook top-post with the ____ separator and "Get Outlook for iOS"',
    msg: msg({
      plainBody: [
        'Sorry, I need to cancel.',
        '',
        'Get Outlook for iOS<https://aka.ms/o0ukef>',
        '________________________________',
        'From: Host <host+rsvp@gmail.com>',
        'Sent: Monday, November 3, 2026 10:02:11 AM',
        'Subject: Dinner',
        '',
        'Reply yes to come.',
      ].join('\n'),
    }),
    action: 'cancel',
    sender: ada,
    reason: 'cancel: "cancel"',
    text: 'Sorry, I need to cancel.',
  },
  {
    name: 'Apple Mail: "Sent from my iPhone" above a ">"-quoted "On … wrote:"',
    msg: msg({
      plainBody: `Yes, see you there\n\nSent from my iPhone\n\n> On 3 Nov 2026, at 10:02, Host <host+rsvp@gmail.com> wrote:\n>\n${INVITE_QUOTED}\n`,
    }),
    action: 'request',
    sender: ada,
    reason: 'yes',
    text: 'Yes, see you there',
  },
  {
    name: 'bottom-posted reply: quote first, answer below',
    msg: msg({
      plainBody: `${GMAIL_QUOTE_HEADER}\n${INVITE_QUOTED}\n\nCount me in!\n\nAda\n`,
    }),
    action: 'request',
    sender: ada,
    reason: 'count me in',
    text: 'Count me in!\n\nAda',
  },
  {
    name: 'interleaved reply: every unquoted line counts',
    msg: msg({
      plainBody: `${GMAIL_QUOTE_HEADER}\n> You're invited to Dinner on Saturday.\nI'll come.\n> Is there anything you can't eat?\nNothing, thanks.\n`,
    }),
    action: 'request',
    sender: ada,
    reason: `yes: "i'll come"`,
    text: "I'll come.\nNothing, thanks.",
  },
  {
    name: 'HTML-only Gmail reply with div.gmail_quote',
    msg: msg({
      htmlBody:
        '<div dir="ltr"><div>Hi Host,</div><div><br></div><div>Absolutely &mdash; I&#39;m in!</div></div><br>' +
        '<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On Mon, 3 Nov 2026 at 10:02, Host &lt;<a href="mailto:host+rsvp@gmail.com">host+rsvp@gmail.com</a>&gt; wrote:<br></div>' +
        '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex"><div dir="ltr">Reply to cancel. <div>Nested <div>divs</div></div></div></blockquote></div>',
    }),
    action: 'request',
    sender: ada,
    reason: 'yes: "absolutely"',
    text: "Hi Host,\n\nAbsolutely — I'm in!",
  },
  {
    name: 'B-encoded UTF-8 display name',
    msg: msg({ from: '=?UTF-8?B?Sm9zw6k=?= <jose@example.com>', plainBody: 'Yes please' }),
    action: 'request',
    sender: { name: 'José', email: 'jose@example.com' },
    reason: 'yes',
  },
  {
    name: 'Q-encoded ISO-8859-1 display name',
    msg: msg({ from: '=?ISO-8859-1?Q?Fran=E7ois?= Dupont <francois@example.fr>', plainBody: 'yep' }),
    action: 'request',
    sender: { name: 'François Dupont', email: 'francois@example.fr' },
    reason: 'yes: "yep"',
  },
  {
    name: 'quoted "Lovelace, Ada"',
    msg: msg({ from: '"Lovelace, Ada" <ada@example.com>', plainBody: 'Yes' }),
    action: 'request',
    sender: { name: 'Lovelace, Ada', email: 'ada@example.com' },
    reason: 'yes',
  },
  {
    name: 'no display name',
    msg: msg({ from: 'Ada@Example.com', plainBody: 'Yes' }),
    action: 'request',
    sender: { name: '', email: 'ada@example.com' },
    reason: 'yes',
  },
  {
    name: 'no display name in From; Reply-To of the same mailbox supplies it',
    msg: msg({ from: 'ada@example.com', replyTo: 'Ada Lovelace <ADA@example.com>', plainBody: 'Yes' }),
    action: 'request',
    sender: ada,
    reason: 'yes',
  },
  {
    name: 'Reply-To of a different mailbox is ignored',
    msg: msg({ replyTo: 'Mallory <mallory@evil.example>', plainBody: 'Yes' }),
    action: 'request',
    sender: ada,
    reason: 'yes',
  },
  {
    name: 'out-of-office (Auto-Submitted: auto-replied)',
    msg: msg({
      subject: 'Re: Dinner',
      headers: { 'auto-submitted': 'auto-replied' },
      plainBody: "I'm out of the office until Monday. Yes, I will reply then.",
    }),
    action: 'ignore',
    sender: ada,
    reason: 'auto-reply (Auto-Submitted: auto-replied)',
  },
  {
    name: 'Outlook OOF, by subject only',
    msg: msg({
      subject: 'Automatic reply: Dinner at Ada’s',
      plainBody: 'I am away, I will be there Monday.',
    }),
    action: 'ignore',
    sender: ada,
    reason: 'auto-reply (subject "Automatic reply:',
  },
  {
    name: 'bounce from mailer-daemon, multipart/report',
    msg: msg({
      from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      subject: 'Delivery Status Notification (Failure)',
      headers: { 'content-type': 'multipart/report; report-type=delivery-status; boundary="000"' },
      plainBody: "Address not found\n\nYour message wasn't delivered to bob@example.com.",
    }),
    action: 'ignore',
    sender: { name: 'Mail Delivery Subsystem', email: 'mailer-daemon@googlemail.com' },
    reason: 'bounce',
  },
  {
    name: 'bounce from mailer-daemon, by sender alone',
    msg: msg({ from: 'MAILER-DAEMON@mx.example.net', subject: 'failure', plainBody: 'yes' }),
    action: 'ignore',
    sender: { name: '', email: 'mailer-daemon@mx.example.net' },
    reason: 'bounce (from mailer-daemon@mx.example.net)',
  },
  {
    name: 'mailing list (List-Id)',
    msg: msg({
      from: 'Ada via Friends <friends@googlegroups.com>',
      headers: { 'list-id': '<friends.googlegroups.com>' },
      plainBody: 'Yes!',
    }),
    action: 'ignore',
    sender: { name: 'Ada via Friends', email: 'friends@googlegroups.com' },
    reason: 'mailing list (List-Id)',
  },
  {
    name: 'Precedence: bulk',
    msg: msg({
      from: 'News <news@shop.example>',
      headers: { precedence: 'bulk' },
      plainBody: 'Yes! 50% off',
    }),
    action: 'ignore',
    sender: { name: 'News', email: 'news@shop.example' },
    reason: 'bulk mail (Precedence: bulk)',
  },
  {
    name: 'no-reply sender',
    msg: msg({ from: 'Calendar <no-reply@calendar.example>', plainBody: 'Accepted' }),
    action: 'ignore',
    sender: { name: 'Calendar', email: 'no-reply@calendar.example' },
    reason: 'no-reply sender',
  },
  {
    name: 'own mail: host+rsvp@gmail.com when host@gmail.com is ours',
    msg: msg({ from: 'Host <host+rsvp@gmail.com>', plainBody: "You're invited. Reply yes." }),
    action: 'ignore',
    sender: { name: 'Host', email: 'host+rsvp@gmail.com' },
    reason: 'own mail',
  },
  {
    name: 'own mail stamped X-RSVP-Auto: 1',
    msg: msg({ headers: { 'x-rsvp-auto': '1' }, plainBody: 'Yes' }),
    action: 'ignore',
    sender: ada,
    reason: 'own mail (X-RSVP-Auto)',
  },
  {
    name: 'Outlook X-Auto-Response-Suppress on ordinary mail is not automated',
    msg: msg({ headers: { 'x-auto-response-suppress': 'All' }, plainBody: 'Yes' }),
    action: 'request',
    sender: ada,
    reason: 'yes',
  },
  {
    name: '"can’t make it" with a curly apostrophe',
    msg: msg({
      plainBody: `So sorry, I can’t make it after all.\n\n${GMAIL_QUOTE_HEADER}\n${INVITE_QUOTED}`,
    }),
    action: 'cancel',
    sender: ada,
    reason: `cancel: "can't make it"`,
  },
  {
    name: '"Unfortunately I won\'t be able to attend"',
    msg: msg({ plainBody: "Unfortunately I won't be able to attend. Have fun!\n\nBest,\nAda" }),
    action: 'cancel',
    sender: ada,
    reason: 'cancel: "unfortunately"',
  },
  {
    name: '"maybe"',
    msg: msg({ plainBody: `Maybe, I'll let you know by Friday.\n\n${GMAIL_QUOTE_HEADER}\n${INVITE_QUOTED}` }),
    action: 'review',
    sender: ada,
    reason: 'ambiguous: "maybe"',
  },
  {
    name: 'a question',
    msg: msg({ plainBody: `Is there parking?\n\n${GMAIL_QUOTE_HEADER}\n${INVITE_QUOTED}` }),
    action: 'review',
    sender: ada,
    reason: 'question: "?"',
  },
  {
    name: '"yes" then a signature with "yes corp" in it',
    msg: msg({ plainBody: 'yes\n-- \nAda\nCEO, yes corp\nCancel anytime at yescorp.example' }),
    action: 'request',
    sender: ada,
    reason: 'yes: "yes"',
    text: 'yes',
  },
  {
    name: '"Yesterday…" is not a yes',
    msg: msg({ plainBody: 'Yesterday I told Bob about your dinner party.\n\nAda' }),
    action: 'review',
    sender: ada,
    reason: 'no clear answer',
  },
  {
    name: 'forwarded invite: the forwarded block is history, the text above decides',
    msg: msg({
      plainBody: [
        "Can't come, sorry - forwarding to my colleague Bob.",
        '',
        '---------- Forwarded message ---------',
        'From: Host <host+rsvp@gmail.com>',
        'Date: Mon, 3 Nov 2026 at 10:02',
        'Subject: Dinner at Ada’s',
        'To: <ada@example.com>',
        '',
        'You are invited. Reply yes to come!',
      ].join('\n'),
    }),
    action: 'cancel',
    sender: ada,
    reason: `cancel: "can't come"`,
    text: "Can't come, sorry - forwarding to my colleague Bob.",
  },
  {
    name: 'forwarded invite with nothing above it',
    msg: msg({
      plainBody:
        '---------- Forwarded message ---------\nFrom: Host <host+rsvp@gmail.com>\n\nReply yes to come!',
    }),
    action: 'review',
    sender: ada,
    reason: 'empty reply',
    text: '',
  },
  {
    name: 'only quoted text: empty reply goes to review',
    msg: msg({ plainBody: `${GMAIL_QUOTE_HEADER}\n${INVITE_QUOTED}\n` }),
    action: 'review',
    sender: ada,
    reason: 'empty reply',
    text: '',
  },
  {
    name: 'yes and cancel together',
    msg: msg({ plainBody: 'Yes, I have to cancel, sorry.' }),
    action: 'review',
    sender: ada,
    reason: 'both yes and cancel',
  },
  {
    name: 'no sender address',
    msg: msg({ from: 'undisclosed-recipients:;', plainBody: 'Yes' }),
    action: 'ignore',
    sender: undefined,
    reason: 'no sender address',
  },
  {
    name: 'French reply with a localized quote header',
    msg: msg({
      plainBody: `Avec plaisir, I'll be there!\n\nLe lun. 3 nov. 2026 à 10:02, Host <host+rsvp@gmail.com> a écrit :\n\n${INVITE_QUOTED}`,
    }),
    action: 'request',
    sender: ada,
    reason: `yes: "i'll be there"`,
    text: "Avec plaisir, I'll be there!",
  },
  {
    name: 'German reply with "Am … schrieb …:"',
    msg: msg({
      plainBody: `Count me in.\n\nAm Mo., 3. Nov. 2026 um 10:02 Uhr schrieb Host <host+rsvp@gmail.com>:\n\n${INVITE_QUOTED}`,
    }),
    action: 'request',
    sender: ada,
    reason: 'count me in',
    text: 'Count me in.',
  },
  {
    name: '-----Original Message----- block',
    msg: msg({
      plainBody:
        'Definitely!\n\n-----Original Message-----\nFrom: Host [mailto:host+rsvp@gmail.com]\nSent: Monday\nSubject: Dinner\n\nReply cancel to cancel.',
    }),
    action: 'request',
    sender: ada,
    reason: 'yes: "definitely"',
    text: 'Definitely!',
  },
];

describe('decideReply corpus', () => {
  test.each(corpus.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const d = decideReply(c.msg, OWN);
    expect({ action: d.action, sender: d.sender }).toEqual({ action: c.action, sender: c.sender });
    expect(d.reason).toContain(c.reason);
    if (c.text !== undefined) expect(d.text).toBe(c.text);
  });
});

describe('parseSender', () => {
  test('forms of From', () => {
    expect(parseSender('Ada Lovelace <ADA@example.com>', '')).toEqual(ada);
    expect(parseSender('"Lovelace, Ada" <ada@example.com>', '')).toEqual({
      name: 'Lovelace, Ada',
      email: 'ada@example.com',
    });
    expect(parseSender('  ada@example.com ', '')).toEqual({ name: '', email: 'ada@example.com' });
    expect(parseSender('<ada@example.com>', '')).toEqual({ name: '', email: 'ada@example.com' });
    expect(parseSender('ada@example.com (Ada Lovelace)', '')).toEqual(ada);
    expect(parseSender('Ada (from work) <ada@example.com>', '')).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
    });
    expect(parseSender('"ada@example.com" <ada@example.com>', '')).toEqual({
      name: '',
      email: 'ada@example.com',
    });
    expect(parseSender('"=?UTF-8?B?Sm9zw6k=?=" <jose@example.com>', '')).toEqual({
      name: 'José',
      email: 'jose@example.com',
    });
    // Not RFC 5322 (an unquoted ':'), still readable.
    expect(parseSender('Dr: Ada <ada@example.com>', '')).toEqual({
      name: 'Dr: Ada',
      email: 'ada@example.com',
    });
  });

  test('no valid address', () => {
    expect(parseSender('', '')).toBeNull();
    expect(parseSender('Ada Lovelace', 'ada@example.com')).toBeNull();
    expect(parseSender('Ada <ada@localhost>', '')).toBeNull();
    expect(parseSender('Ada <ada@@example.com>', '')).toBeNull();
  });

  test('Reply-To only names the same mailbox', () => {
    expect(parseSender('ada@example.com', 'Mallory <mallory@evil.example>')).toEqual({
      name: '',
      email: 'ada@example.com',
    });
    expect(
      parseSender('ada@example.com', 'Mallory <mallory@evil.example>, "Lovelace, Ada" <ada@example.com>'),
    ).toEqual({
      name: 'Lovelace, Ada',
      email: 'ada@example.com',
    });
    expect(parseSender('Ada <ada@example.com>', 'Someone Else <ada@example.com>')).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
    });
  });

  test('control and bidi characters do not survive into the name', () => {
    expect(parseSender('"Ada\u202e evil" <ada@example.com>', '')?.name).toBe('Ada evil');
  });
});

describe('decodeEncodedWords', () => {
  test('B and Q, UTF-8 and ISO-8859-1', () => {
    expect(decodeEncodedWords('=?UTF-8?B?Sm9zw6k=?=')).toBe('José');
    expect(decodeEncodedWords('=?utf-8?q?Jos=C3=A9_Garc=C3=ADa?=')).toBe('José García');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?Fran=E7ois?=')).toBe('François');
    expect(decodeEncodedWords('=?iso-8859-1?b?RnJhbudvaXM=?=')).toBe('François');
    expect(decodeEncodedWords('=?windows-1252?Q?=93Ada=94?=')).toBe('“Ada”');
    expect(decodeEncodedWords('=?UTF-8?B?8J+RjQ==?=')).toBe('👍');
  });

  test('adjacent encoded words join without the whitespace between them; other text keeps it', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?Ada?= =?UTF-8?Q?_Lovelace?=')).toBe('Ada Lovelace');
    expect(decodeEncodedWords('=?UTF-8?B?Sm9z?=\r\n =?UTF-8?B?w6k=?=')).toBe('José');
    // A character split across two words (common though not allowed) is still whole.
    expect(decodeEncodedWords('=?UTF-8?Q?Jos=C3?= =?UTF-8?Q?=A9?=')).toBe('José');
    expect(decodeEncodedWords('Dr. =?UTF-8?Q?Jos=C3=A9?= Garcia')).toBe('Dr. José Garcia');
    expect(decodeEncodedWords('plain text')).toBe('plain text');
  });

  test('unknown charsets and invalid bytes', () => {
    expect(decodeEncodedWords('=?x-unknown?Q?abc?=')).toBe('=?x-unknown?Q?abc?=');
    expect(decodeEncodedWords('=?UTF-8?Q?a=FFb?=')).toBe('a\ufffdb');
    expect(decodeEncodedWords('=?UTF-8?Q?a=C3?=')).toBe('a\ufffd');
  });
});

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

describe('replyText', () => {
  test('plain body wins; HTML is used when it is empty', () => {
    expect(replyText('Yes', '<p>No</p>')).toBe('Yes');
    expect(replyText('  \n', '<p>No</p>')).toBe('No');
  });

  test('HTML: entities, line breaks, scripts and styles, quoted history and signatures', () => {
    const html =
      '<html><head><style>p{color:red}</style><title>x</title></head><body>' +
      '<p>Yes &amp; thanks&nbsp;&#x1F44D;<br>See you</p><!-- <p>hidden</p> -->' +
      '<script>var x = "<p>no</p>";</script>' +
      '<div class="gmail_signature" data-smartmail="gmail_signature"><div>Ada<br>CEO, cancel corp</div></div>' +
      '<div class="moz-cite-prefix">On 03/11/2026 10:02, Host wrote:<br></div>' +
      '<blockquote type="cite"><blockquote>deeper</blockquote>Reply cancel</blockquote>' +
      '<p title="a > b">After</p></body></html>';
    expect(replyText('', html)).toBe('Yes & thanks 👍\nSee you\n\nAfter');
  });

  test('HTML: Outlook web (#divRplyFwdMsg) and Outlook desktop (From:/Sent: block) end the reply', () => {
    const owa =
      '<div>Count me in</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%">' +
      '<div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Host</div><div>Reply cancel to cancel</div>';
    expect(replyText('', owa)).toBe('Count me in');
    const desktop =
      '<div class="WordSection1"><p class="MsoNormal">Yes<o:p></o:p></p>' +
      '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class="MsoNormal"><b>From:</b> Host &lt;host@gmail.com&gt;<br>' +
      '<b>Sent:</b> Monday<br><b>Subject:</b> Dinner</p></div><p>Reply cancel</p></div>';
    expect(replyText('', desktop)).toBe('Yes');
    const old = '<p>Yes</p><div class=OutlookMessageHeader lang=en-us><b>From:</b> Host</div><p>cancel</p>';
    expect(replyText('', old)).toBe('Yes');
  });

  test('HTML: Yahoo quotes and an Apple Mail attribution outside the blockquote', () => {
    expect(
      replyText('', '<div>Sure!</div><div id="yahoo_quoted_123" class="yahoo_quoted">cancel</div>'),
    ).toBe('Sure!');
    expect(
      replyText(
        '',
        '<div>Yes</div><div><br><blockquote type="cite">On 3 Nov 2026, at 10:02, Host &lt;host@gmail.com&gt; wrote:<br><br></blockquote></div>',
      ),
    ).toBe('Yes');
    expect(
      replyText('', '<div>Yes</div><div>On 3 Nov 2026, at 10:02, Host wrote:</div><div>cancel</div>'),
    ).toBe('Yes');
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

describe('classifyIntent', () => {
  const cases: Array<[string, 'yes' | 'cancel' | 'review', string]> = [
    ['Yes', 'yes', 'yes'],
    ['Hi Host,\n\nYes!\n\nThanks', 'yes', 'yes'],
    ['Sure!', 'yes', 'sure'],
    ['Im in!', 'yes', 'im in'],
    ['👍', 'yes', '👍'],
    ['+1', 'yes', '+1'],
    ["Can't make it, sorry\n\nAda Lovelace\n+1 555 123 4567", 'cancel', "can't make it"],
    ['RSVP yes', 'yes', 'rsvp yes'],
    ['Can’t wait, see you there', 'yes', 'see you there'],
    ['No problem, I will be there', 'yes', 'i will be there'],
    ["I'm not attending", 'cancel', 'not attending'],
    ['I can not come', 'cancel', 'can not come'],
    ['cant make it', 'cancel', 'cant make it'],
    ['No, sorry.', 'cancel', 'no, sorry'],
    ['Please remove me from the list', 'cancel', 'please remove me'],
    ['I have to decline', 'cancel', 'i have to decline'],
    ['Count me out', 'cancel', 'count me out'],
    ['not sure I can come', 'review', 'not sure'],
    ['No', 'review', 'no'],
    ['Possibly', 'review', 'possibly'],
    ['Yes I have to cancel', 'review', 'yes + cancel'],
    ['cancellation policy?', 'review', '?'],
    ["I'm in London that week", 'review', ''],
    ['Make sure the wine is cold', 'review', ''],
    ['Yesterday was fun', 'review', ''],
    ['', 'review', ''],
    ['Yes, details at https://example.com/?q=1', 'yes', 'yes'],
  ];
  test.each(cases)('%j → %s', (text, intent, matched) => {
    expect(classifyIntent(text)).toEqual({ intent, matched });
  });
});
