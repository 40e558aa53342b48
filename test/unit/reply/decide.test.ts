/** decideReply on whole messages: real reply or not, who sent it, its own text, what it asks for. */
import { decideReply } from '../../../src/core/reply/decide';
import { type InboundMessage, type ReplyDecision } from '../../../src/core/reply/types';
import { OWN, ada, msg } from './messages';

const GMAIL_QUOTE_HEADER = 'On Mon, 3 Nov 2026 at 10:02, Host <host+rsvp@gmail.com> wrote:';
const INVITE_QUOTED = [
  "> You're invited to Dinner at Ada's on Saturday 14 November, 7pm.",
  '> Reply to this email to RSVP: "yes" to come, "cancel" if you can\'t make it.',
  "> Is there anything you can't eat? Tell us!",
  '>',
  '> Host',
].join('\n');

interface Case {
  name: string;
  msg: InboundMessage;
  action: ReplyDecision['action'];
  sender: { name: string; email: string } | undefined;
  reason: string;
  text?: string;
}

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
