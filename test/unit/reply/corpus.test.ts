/**
 * Public reply shapes (test/corpus, with their sources and licences) planted around our own emails: only
 * what the guest wrote may decide. The dangerous outcomes, a yes or a cancel taken from our quoted text
 * and a neutral reply acted on, must be 0; every shape is reported, the held-out part separately.
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { formatDate } from '../../../emulator/dates';
import { decideReply } from '../../../src/core/reply/decide';
import { NO_OWN_TEXT, OwnText, ownTextIndex } from '../../../src/core/reply/own-text';
import { htmlToText } from '../../../src/core/reply/html-text';
import { classify } from '../../../src/core/reply/intent';
import { EventSettings } from '../../../src/core/settings';
import { RenderedEmail, render } from '../../../src/messenger/templates';
import { OWN, msg } from './messages';

const CORPUS = join(__dirname, '../../corpus');
const headers: { source: string; header: string; heldOut: boolean; topPostedOnly: boolean }[] = JSON.parse(
  readFileSync(join(CORPUS, 'reply-headers.json'), 'utf8'),
);

const settings: EventSettings = {
  eventName: 'Winter Social',
  startsAt: new Date('2027-01-15T18:00:00Z'),
  endsAt: null,
  closesAt: null,
  timeZone: 'Europe/Warsaw',
  location: 'The Hall, 12 Main Street',
  details: 'Dinner is served at 19:30. Bring a friend if plus-ones are on.',
  capacity: 10,
  claimWindowHours: 24,
  replyTo: '',
  hostName: 'Sam',
  offerExpiry: 'cancel',
  replyCheckMinutes: 5,
  reminders: [],
  quietHours: null,
  largestParty: 4,
  smallerFirst: true,
  hostEditMail: true,
};
const URL = 'https://script.google.com/macros/s/abc/exec';
const guest = {
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  token: '0b6c7d43-2f7e-4c8a-9f3e-5d1c2b3a4e5f',
  position: 2,
  status: 'confirmed',
  offerExpires: new Date('2027-01-10T18:00:00Z'),
};
const ours: Record<string, RenderedEmail> = Object.fromEntries(
  (['invited', 'confirmed', 'waitlisted', 'offered'] as const).map((k) => [
    k,
    render(k, { ...guest, status: k === 'invited' ? 'pending' : k }, settings, URL, formatDate, {}),
  ]),
);
/** What the poller indexes for a thread: our bodies (plain and HTML) and subjects. */
const ownOf = (e: RenderedEmail): OwnText => ownTextIndex([e.subject, e.body, htmlToText(e.htmlBody)]);

type Want = 'review' | 'request' | 'cancel';
const MESSAGES: { name: string; text: string; want: Want; party?: number }[] = [
  { name: 'neutral', text: 'Thanks for organising!', want: 'review' },
  { name: 'yes', text: "Yes, I'll be there!", want: 'request' },
  { name: 'cancel', text: "Sorry, I can't make it.", want: 'cancel' },
  { name: '+2', text: '+2', want: 'request', party: 3 },
];

const quote = (body: string, prefix = '> ') =>
  body
    .split('\n')
    .map((l) => `${prefix}${l}`.trimEnd())
    .join('\n');
/** Re-wrapped at 40 columns, as a client that wraps quoted text does. */
const rewrap = (body: string) =>
  body
    .split('\n')
    .flatMap((l) => {
      const out: string[] = [];
      let cur = '';
      for (const w of l.split(' ')) {
        if (cur && (cur + ' ' + w).length > 40) {
          out.push(cur);
          cur = w;
        } else cur = cur ? `${cur} ${w}` : w;
      }
      return [...out, cur];
    })
    .join('\n');

const SHAPES: { name: string; top?: boolean; plant: (m: string, h: string, body: string) => string }[] = [
  { name: 'top, quoted', top: true, plant: (m, h, b) => `${m}\n\n${h}\n\n${quote(b)}` },
  { name: 'top, unquoted', top: true, plant: (m, h, b) => `${m}\n\n${h}\n\n${b}` },
  { name: 'top, no blank line', top: true, plant: (m, h, b) => `${m}\n${h}\n${quote(b)}` },
  { name: 'top, re-wrapped', top: true, plant: (m, h, b) => `${m}\n\n${h}\n${quote(rewrap(b))}` },
  { name: 'top, unquoted re-wrapped', top: true, plant: (m, h, b) => `${m}\n\n${h}\n${rewrap(b)}` },
  { name: 'bottom, quoted', plant: (m, h, b) => `${h}\n${quote(b)}\n\n${m}` },
  {
    name: 'inline',
    plant: (m, h, b) => {
      const [first, ...rest] = b.split('\n\n');
      return `${h}\n${quote(first)}\n\n${m}\n\n${quote(rest.join('\n\n'))}`;
    },
  },
];

interface Tally {
  right: number;
  wrong: number;
  dangerous: string[];
}
const tally = (): Tally => ({ right: 0, wrong: 0, dangerous: [] });

function judge(
  t: Tally,
  label: string,
  want: (typeof MESSAGES)[number],
  plain: string,
  html: string,
  own: OwnText,
) {
  const d = decideReply(msg({ plainBody: plain, htmlBody: html }), OWN, own);
  const ok = d.action === want.want && (want.party === undefined || d.party === want.party);
  if (ok) t.right++;
  else {
    t.wrong++;
    if (process.env.CORPUS_DEBUG && t.wrong < 4) console.log(label, want.name, d, plain);
  }
  // Dangerous: an action the guest did not write (a yes or cancel they did not say, or a wrong party).
  const acted = d.action === 'request' || d.action === 'cancel';
  if (acted && (d.action !== want.want || (want.party !== undefined && d.party !== want.party)))
    t.dangerous.push(
      `${label}: ${want.name} → ${d.action}${d.party ? ` party ${d.party}` : ''} (${d.reason})`,
    );
  if (acted && want.want === 'review') t.dangerous.push(`${label}: neutral acted on`);
}

function runPlain(own: (e: RenderedEmail) => OwnText, heldOut: boolean) {
  const byShape: Record<string, Tally> = {};
  const all = tally();
  for (const h of headers.filter((x) => x.heldOut === heldOut))
    for (const [kind, email] of Object.entries(ours))
      // A separator or a header block (Outlook's "From:/Sent:") comes from clients that only top-post.
      for (const shape of SHAPES.filter((x) => x.top || !h.topPostedOnly))
        for (const m of MESSAGES) {
          const t = (byShape[shape.name] ??= tally());
          const label = `${h.source} | ${kind} | ${shape.name}`;
          const body = shape.plant(m.text, h.header, email.body);
          judge(t, label, m, body, '', own(email));
          judge(all, label, m, body, '', own(email));
        }
  return { byShape, all };
}

function report(title: string, r: ReturnType<typeof runPlain>) {
  const rows = Object.entries(r.byShape).map(
    ([s, t]) => `  ${s.padEnd(26)} right ${t.right}, wrong ${t.wrong}, dangerous ${t.dangerous.length}`,
  );
  console.log(
    `${title}: right ${r.all.right}, wrong ${r.all.wrong}, dangerous ${r.all.dangerous.length}\n${rows.join('\n')}`,
  );
}

describe('public reply shapes around our own emails', () => {
  test.each([
    ['tuned', false],
    ['held out', true],
  ])('%s shapes: no action from our quoted text, and the guest’s own answer taken', (title, heldOut) => {
    const r = runPlain(ownOf, heldOut as boolean);
    report(`${title} (what we sent is known)`, r);
    expect(r.all.dangerous).toEqual([]);
    expect(r.all.wrong).toBe(0);
  });

  test('header recognition alone (what we sent unknown): quoted shapes are never acted on wrongly', () => {
    const r = runPlain(() => NO_OWN_TEXT, false);
    const held = runPlain(() => NO_OWN_TEXT, true);
    report('header only, tuned', r);
    report('header only, held out', held);
    // Without our text, a header nobody lists above an unquoted copy can't be told from the guest's words;
    // the '>'-quoted shapes must still hold.
    const quotedDanger = [...r.all.dangerous, ...held.all.dangerous].filter((d) => !/unquoted/.test(d));
    expect(quotedDanger).toEqual([]);
  });

  test('HTML replies from Gmail, Outlook, Apple Mail, Thunderbird and others', () => {
    const files = readdirSync(join(CORPUS, 'html')).filter((f) => f.endsWith('.html'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const t = tally();
    for (const f of files) {
      const fixture = readFileSync(join(CORPUS, 'html', f), 'utf8');
      for (const [kind, email] of Object.entries(ours))
        for (const m of MESSAGES) {
          const inner = email.htmlBody.replace(/^[\s\S]*?<body[^>]*>|<\/body>[\s\S]*$/gi, '');
          const html = fixture.replace('Hi. I am fine.', m.text).replace('Hello! How are you?', inner);
          expect(html).not.toBe(fixture);
          // Gmail's plain body of an HTML reply: the text with no quote marks.
          judge(t, `${f} | ${kind}`, m, htmlToText(html), html, ownOf(email));
          judge(t, `${f} | ${kind} (no plain part)`, m, '', html, ownOf(email));
        }
    }
    console.log(`HTML: right ${t.right}, wrong ${t.wrong}, dangerous ${t.dangerous.length}`);
    expect(t.dangerous).toEqual([]);
    expect(t.wrong).toBe(0);
  });

  test("negative control: the same harness, reading the whole body as the guest's, finds the leaks", () => {
    // With no quote handling at all, our quoted "please cancel" and "reply yes" decide: the tally must say so.
    const t = tally();
    for (const [kind, email] of Object.entries(ours)) {
      const body = `Thanks for organising!\n\n${headers[0].header}\n\n${email.body}`;
      const c = classify(body);
      const d = { action: c.intent === 'yes' ? 'request' : c.intent, reason: c.reason };
      if (d.action !== 'review') t.dangerous.push(`${kind}: neutral → ${d.action} (${d.reason})`);
    }
    expect(t.dangerous.length).toBeGreaterThan(0);
    // And the real parser, on the same bodies, takes no action.
    for (const email of Object.values(ours)) {
      const body = `Thanks for organising!\n\n${headers[0].header}\n\n${email.body}`;
      expect(decideReply(msg({ plainBody: body }), OWN, NO_OWN_TEXT).action).toBe('review');
    }
  });
});
