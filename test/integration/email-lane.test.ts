/**
 * The email reply lane end to end: real-shaped replies land in the emulator's Gmail, the built bundle's
 * pollReplies (the time trigger's function) reads them, and each ends in the right guest state, the right
 * Replies row and label, and the right answer in the guest's thread, or none.
 */
import { Runtime } from '../../emulator/runtime';
import {
  checkInvariants,
  guests,
  logRows,
  replyRows,
  setSetting,
  setUpRuntime,
  runTrigger,
} from '../helpers';

const REPLY_TO = 'host+rsvp@example.com';

const gmailAuth = (domain: string, verdict: 'pass' | 'fail') =>
  `mx.google.com; dkim=${verdict} header.i=@${domain} header.s=s1 header.b=AbC; ` +
  `spf=${verdict === 'pass' ? 'pass' : 'softfail'} (google.com: domain of someone@${domain} designates 192.0.2.1 as permitted sender) smtp.mailfrom=someone@${domain}; ` +
  `dmarc=${verdict} (p=NONE sp=NONE dis=NONE) header.from=${domain}`;

interface Inbound {
  from: string;
  subject?: string;
  body?: string;
  html?: string;
  headers?: Record<string, string | string[]>;
  replyTo?: string;
  threadId?: string;
  to?: string;
}

function deliver(rt: Runtime, m: Inbound) {
  return rt.backend.deliverMail(
    {
      from: m.from,
      to: m.to ?? REPLY_TO,
      subject: m.subject ?? "Re: You're invited: My event",
      plainBody: m.body ?? '',
      htmlBody: m.html,
      replyTo: m.replyTo,
      headers: m.headers ?? {},
    },
    { threadId: m.threadId },
  );
}

async function poll(rt: Runtime) {
  const r = await runTrigger(rt, 'pollReplies');
  if (!r.ok) throw new Error(`poll failed: ${r.error?.message}\n${r.error?.stack}`);
  return r.result as {
    replies: number;
    handled: number;
    review: number;
    ignored: number;
    retry: number;
    more: boolean;
  };
}

const rowFor = (rt: Runtime, id: string) => replyRows(rt).filter((r) => r.id === id);
const labelsOf = (rt: Runtime, threadId: string) => rt.backend.mailbox.thread(threadId).labels;
const mailTo = (rt: Runtime, email: string) => rt.backend.mail.filter((m) => m.to.includes(email));
const guest = (rt: Runtime, email: string) => guests(rt).find((g) => g.email === email);

const GMAIL_QUOTED_HTML = `<div dir="ltr">Count me in, thanks!</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 23 Nov 2026 at 10:00, Host &lt;${REPLY_TO}&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">You're invited to My event.<br>Can't make it? Cancel any time.<br>Or simply reply "yes" to this email</blockquote></div>`;

const OUTLOOK_TOP_POSTED = `Yes, I'll be there.

Kind regards,
Grace

________________________________
From: Host <${REPLY_TO}>
Sent: Monday, November 23, 2026 10:00 AM
To: Grace Hopper <grace@example.org>
Subject: You're invited: My event

Hi Grace,

You're invited to My event. If you can't make it, no need to answer.
Or simply reply "yes" to this email`;

const APPLE_MAIL = `I'm in!

Sent from my iPhone

> On 23 Nov 2026, at 10:00, Host <${REPLY_TO}> wrote:
>
> You're invited to My event.
> Can't come? Cancel with the link.`;

const BOTTOM_POSTED = `On Mon, Nov 23, 2026 at 10:00 AM Host <${REPLY_TO}> wrote:
> You're invited to My event.
> Or simply reply "yes" to this email

Yes please, see you there.`;

const WITH_SIGNATURE = `Sounds great, count me in.

--
Barbara Liskov
Can't make it to the phone? Email me.`;

describe('email reply lane: corpus', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await setUpRuntime({ capacity: 8 });
  });
  afterAll(() => rt.close());

  test('plain, HTML-only with Gmail quote, Outlook, Apple Mail, bottom-posted, signature, encoded name: all seat requests', async () => {
    const cases = [
      {
        m: deliver(rt, { from: 'Ada Lovelace <ada@example.com>', body: 'Yes, count me in!' }),
        email: 'ada@example.com',
        name: 'Ada Lovelace',
      },
      {
        m: deliver(rt, { from: 'Alan Turing <alan@example.com>', html: GMAIL_QUOTED_HTML }),
        email: 'alan@example.com',
        name: 'Alan Turing',
      },
      {
        m: deliver(rt, { from: '"Hopper, Grace" <grace@example.org>', body: OUTLOOK_TOP_POSTED }),
        email: 'grace@example.org',
        name: 'Hopper, Grace',
      },
      {
        m: deliver(rt, { from: 'Linus <linus@example.net>', body: APPLE_MAIL }),
        email: 'linus@example.net',
        name: 'Linus',
      },
      {
        m: deliver(rt, { from: 'margaret@example.com', body: BOTTOM_POSTED }),
        email: 'margaret@example.com',
        name: '',
      },
      {
        m: deliver(rt, { from: 'Barbara Liskov <barbara@example.com>', body: WITH_SIGNATURE }),
        email: 'barbara@example.com',
        name: 'Barbara Liskov',
      },
      {
        m: deliver(rt, { from: '=?UTF-8?B?Sm9zw6kgTsO6w7Fleg==?= <jose@example.es>', body: 'Sí, yes!' }),
        email: 'jose@example.es',
        name: 'José Núñez',
      },
    ];
    const r = await poll(rt);
    expect(r.handled).toBe(cases.length);
    for (const c of cases) {
      const g = guest(rt, c.email);
      expect({ email: c.email, status: g?.status, name: g?.name, source: g?.source }).toEqual({
        email: c.email,
        status: 'confirmed',
        name: c.name,
        source: 'email',
      });
      expect(rowFor(rt, c.m.id)).toEqual([
        expect.objectContaining({ status: 'handled', result: 'confirmed' }),
      ]);
      expect(labelsOf(rt, c.m.threadId)).toEqual(['RSVP/handled']);
      // The answer: one email, in the guest's own thread, with their cancel link and the reply address.
      const sent = mailTo(rt, c.email);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ via: 'GmailApp', threadId: c.m.threadId, replyTo: REPLY_TO });
      expect(sent[0].body).toContain(`action=cancel&t=${g?.token}`);
    }
    // The quoted "Can't make it? Cancel" in the histories was not read as a cancel.
    expect(replyRows(rt).find((x) => x.from.includes('alan'))?.said).toBe('Count me in, thanks!');
    checkInvariants(rt, 8);
  });

  test('auto-replies, bounces, mailing lists and no-reply senders are ignored without an answer', async () => {
    const before = rt.backend.mail.length;
    const ignored = [
      deliver(rt, {
        from: 'Ken <ken@example.com>',
        subject: "Automatic reply: You're invited: My event",
        body: 'I am out of the office until Monday. Yes, I will reply then.',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
      deliver(rt, {
        from: 'Dennis <dennis@example.com>',
        body: 'Yes! (vacation responder)',
        headers: { 'X-Autoreply': 'yes' },
      }),
      deliver(rt, {
        from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        subject: 'Delivery Status Notification (Failure)',
        body: "Address not found. Your message wasn't delivered to nobody@example.com.",
      }),
      deliver(rt, {
        from: 'Events list <events@lists.example.com>',
        body: 'Yes from the list digest',
        headers: { 'List-Id': '<events.lists.example.com>', Precedence: 'list' },
      }),
      deliver(rt, { from: 'no-reply@service.example.com', body: 'Yes' }),
    ];
    const r = await poll(rt);
    expect(r.ignored).toBe(ignored.length);
    for (const m of ignored) {
      expect(rowFor(rt, m.id)).toEqual([expect.objectContaining({ status: 'ignored' })]);
      expect(labelsOf(rt, m.threadId)).toEqual(['RSVP/ignored']);
    }
    expect(rt.backend.mail.length).toBe(before);
    expect(guests(rt).map((g) => g.email)).not.toEqual(
      expect.arrayContaining(['ken@example.com', 'dennis@example.com']),
    );
  });

  test('"maybe", questions and forwarded invites go to the host for review, unanswered', async () => {
    const before = rt.backend.mail.length;
    const review = [
      deliver(rt, { from: 'Edsger <edsger@example.com>', body: 'Maybe, I will know next week.' }),
      deliver(rt, { from: 'Donald <donald@example.com>', body: 'Can I bring a friend?' }),
      deliver(rt, {
        from: 'Frances <frances@example.com>',
        body: `Thought you would like this one.\n\n---------- Forwarded message ---------\nFrom: Host <${REPLY_TO}>\nDate: Mon, 23 Nov 2026\nSubject: You're invited: My event\n\nOr simply reply "yes" to this email`,
      }),
    ];
    const r = await poll(rt);
    expect(r.review).toBe(review.length);
    for (const m of review) {
      expect(rowFor(rt, m.id)).toEqual([expect.objectContaining({ status: 'review' })]);
      expect(labelsOf(rt, m.threadId)).toEqual(['RSVP/needs-review']);
    }
    expect(rt.backend.mail.length).toBe(before);
    expect(guest(rt, 'edsger@example.com')).toBeUndefined();
  });

  test('"yes" and later "cancel" in one thread: confirmed, then cancelled when Gmail vouches for the sender', async () => {
    const yes = deliver(rt, { from: 'Hedy Lamarr <hedy@example.com>', body: "Yes! I'd love to come." });
    await poll(rt);
    expect(guest(rt, 'hedy@example.com')?.status).toBe('confirmed');
    const cancel = deliver(rt, {
      from: 'Hedy Lamarr <hedy@example.com>',
      body: `So sorry, I can't make it after all.\n\nOn Tue, Hedy wrote:\n> Yes! I'd love to come.`,
      threadId: yes.threadId,
      headers: { 'Authentication-Results': gmailAuth('example.com', 'pass') },
    });
    await poll(rt);
    expect(guest(rt, 'hedy@example.com')?.status).toBe('cancelled');
    expect(rowFor(rt, cancel.id)).toEqual([
      expect.objectContaining({ status: 'handled', result: expect.stringMatching(/^cancelled/) }),
    ]);
    const sent = mailTo(rt, 'hedy@example.com');
    expect(sent.map((m) => m.threadId)).toEqual([yes.threadId, yes.threadId]);
    expect(sent[1].body).toMatch(/is cancelled/);
    // The thread holds our two answers too: they are not read as replies.
    expect(rowFor(rt, yes.id)).toHaveLength(1);
    checkInvariants(rt, 8);
  });

  test('a forged cancel does not cancel: the real guest is sent the cancel link instead', async () => {
    expect(guest(rt, 'ada@example.com')?.status).toBe('confirmed');
    const before = mailTo(rt, 'ada@example.com').length;
    // No Authentication-Results at all, Gmail's own saying fail, and a fake "pass" below Gmail's fail.
    const forged = [
      deliver(rt, { from: 'Ada Lovelace <ada@example.com>', body: 'Please cancel my RSVP.' }),
      deliver(rt, {
        from: 'Ada Lovelace <ada@example.com>',
        body: 'Cancel',
        headers: { 'Authentication-Results': gmailAuth('example.com', 'fail') },
      }),
      deliver(rt, {
        from: 'Ada Lovelace <ada@example.com>',
        body: "Can't make it, cancel please",
        headers: {
          'Authentication-Results': [gmailAuth('example.com', 'fail'), gmailAuth('example.com', 'pass')],
        },
      }),
      deliver(rt, {
        from: 'Ada Lovelace <ada@example.com>',
        body: 'cancel',
        headers: {
          'Authentication-Results': gmailAuth('evil.example', 'pass').replace(
            'mx.google.com',
            'mx.evil.example',
          ),
        },
      }),
    ];
    await poll(rt);
    expect(guest(rt, 'ada@example.com')?.status).toBe('confirmed');
    // One cancel link, for the first; the others are recorded, and not another email each.
    expect(rowFor(rt, forged[0].id)).toEqual([
      expect.objectContaining({ status: 'handled', result: expect.stringMatching(/^cancel link sent/) }),
    ]);
    for (const m of forged.slice(1))
      expect(rowFor(rt, m.id)).toEqual([
        expect.objectContaining({
          status: 'handled',
          result: expect.stringMatching(/^cancel link not sent again: .*in the last 24 hours/),
        }),
      ]);
    const links = mailTo(rt, 'ada@example.com').slice(before);
    expect(links).toHaveLength(1);
    const token = guest(rt, 'ada@example.com')?.token;
    expect(links[0].body).toContain(`action=cancel&t=${token}`);
  });

  test("a Reply-To pointing elsewhere: the seat is the From address's, and the answer goes to it, not to the Reply-To", async () => {
    const m = deliver(rt, {
      from: 'Radia <radia@example.com>',
      replyTo: 'attacker@evil.example',
      body: 'yes',
    });
    await poll(rt);
    expect(guest(rt, 'radia@example.com')?.status).toBe('confirmed');
    expect(mailTo(rt, 'attacker@evil.example')).toHaveLength(0);
    const sent = mailTo(rt, 'radia@example.com');
    expect(sent).toHaveLength(1);
    expect(sent[0].via).toBe('MailApp');
    expect(rowFor(rt, m.id)[0].status).toBe('handled');
  });

  test('a second "yes" gets the guest\'s standing back, and a full event waitlists with the position', async () => {
    const again = deliver(rt, {
      from: 'Ada Lovelace <ada@example.com>',
      body: 'Yes, just checking I am on the list',
    });
    [1, 2].forEach((i) => deliver(rt, { from: `Late ${i} <late${i}@example.com>`, body: 'Yes please' }));
    await poll(rt);
    expect(rowFor(rt, again.id)[0]).toMatchObject({ status: 'handled', result: 'already confirmed' });
    expect(guests(rt).filter((g) => g.email === 'ada@example.com')).toHaveLength(1);
    expect(mailTo(rt, 'ada@example.com').at(-1)).toMatchObject({
      threadId: again.threadId,
      subject: expect.stringMatching(/^Re:/),
    });
    const rows = checkInvariants(rt, 8);
    const held = rows.filter((g) => g.status === 'confirmed').length;
    expect(held).toBe(8);
    const l2 = guest(rt, 'late2@example.com');
    expect(l2?.status).toBe('waitlisted');
    expect(mailTo(rt, 'late2@example.com')[0].body).toContain(`number ${l2?.position} on the waitlist`);
  });

  test('an auto-responder that says "yes" without auto-reply headers cannot start an endless exchange', async () => {
    const first = deliver(rt, { from: 'Bot <bot@example.com>', body: 'Yes, your message was received.' });
    for (let round = 0; round < 6; round++) {
      await poll(rt);
      // The bot answers every message we send it, in the same thread.
      deliver(rt, {
        from: 'Bot <bot@example.com>',
        body: 'Yes, your message was received.',
        threadId: first.threadId,
      });
    }
    await poll(rt);
    const ours = rt.backend.mail.filter((m) => m.threadId === first.threadId);
    expect(ours.length).toBeLessThanOrEqual(3);
    expect(ours.length).toBeGreaterThanOrEqual(2);
    expect(guests(rt).filter((g) => g.email === 'bot@example.com')).toHaveLength(1);
    expect(
      replyRows(rt)
        .filter((r) => r.from.includes('bot@'))
        .at(-1)?.result,
    ).toMatch(/not answered again/);
  });

  test('each message is handled once: polling again changes nothing', async () => {
    const rows = replyRows(rt).length;
    const mail = rt.backend.mail.length;
    const list = JSON.stringify(guests(rt));
    const r = await poll(rt);
    expect(r.replies).toBe(0);
    expect(replyRows(rt).length).toBe(rows);
    expect(rt.backend.mail.length).toBe(mail);
    expect(JSON.stringify(guests(rt))).toBe(list);
    expect(new Set(replyRows(rt).map((x) => x.id)).size).toBe(rows);
  });
});

describe('email reply lane: failures', () => {
  test('a message that cannot be read is retried, then left for review with the error in the Log; the others go on', async () => {
    const rt = await setUpRuntime({ capacity: 5 });
    try {
      const bad = deliver(rt, { from: 'Bad <bad@example.com>', body: 'yes' });
      rt.backend.messageFaults.set(bad.id, 99);
      const good = deliver(rt, { from: 'Good <good@example.com>', body: 'yes' });
      const r1 = await poll(rt);
      expect(r1).toMatchObject({ handled: 1, retry: 1 });
      expect(guest(rt, 'good@example.com')?.status).toBe('confirmed');
      expect(rowFor(rt, good.id)).toHaveLength(1);
      await poll(rt);
      expect(rowFor(rt, bad.id).map((x) => x.status)).toEqual(['retry', 'retry']);
      const r3 = await poll(rt);
      expect(r3.review).toBe(1);
      expect(rowFor(rt, bad.id).map((x) => x.status)).toEqual(['retry', 'retry', 'review']);
      expect(labelsOf(rt, bad.threadId)).toEqual(['RSVP/needs-review']);
      expect(logRows(rt).some((l) => l.detail.includes(`reply ${bad.id} given up`))).toBe(true);
      // Given up for good: later polls leave it alone.
      await poll(rt);
      expect(rowFor(rt, bad.id)).toHaveLength(3);
      expect(guest(rt, 'bad@example.com')).toBeUndefined();
    } finally {
      await rt.close();
    }
  });

  test('a message that fails once is handled on the next poll', async () => {
    const rt = await setUpRuntime({ capacity: 5 });
    try {
      const flaky = deliver(rt, { from: 'Flaky <flaky@example.com>', body: 'yes' });
      rt.backend.messageFaults.set(flaky.id, 1);
      await poll(rt);
      expect(guest(rt, 'flaky@example.com')).toBeUndefined();
      await poll(rt);
      expect(guest(rt, 'flaky@example.com')?.status).toBe('confirmed');
      expect(rowFor(rt, flaky.id).map((x) => x.status)).toEqual(['retry', 'handled']);
      expect(mailTo(rt, 'flaky@example.com')).toHaveLength(1);
    } finally {
      await rt.close();
    }
  });

  test("Gmail's daily quota running out mid-poll: the poll ends cleanly, nothing half-done, the rest next day", async () => {
    const rt = await setUpRuntime({ capacity: 50 });
    try {
      const replies = Array.from({ length: 12 }, (_, i) =>
        deliver(rt, { from: `G${i} <g${i}@example.com>`, body: 'yes' }),
      );
      // Enough for the search and a few thread reads, not for all twelve.
      rt.backend.opts.gmailOpsPerDay = (rt.backend.quota.gmailUsed ?? 0) + 8;
      const r = await runTrigger(rt, 'pollReplies');
      expect(r.ok).toBe(true);
      expect((r.result as { message: string }).message).toMatch(/Gmail's daily quota is used up/);
      expect(replyRows(rt)).toHaveLength(0);
      rt.backend.advanceTo(rt.backend.now() + 86400e3 + 60e3);
      rt.backend.opts.gmailOpsPerDay = 20000;
      await poll(rt);
      for (const m of replies) expect(rowFor(rt, m.id)).toHaveLength(1);
      expect(guests(rt).filter((g) => g.status === 'confirmed')).toHaveLength(12);
    } finally {
      await rt.close();
    }
  });

  test('registration not open: replies wait untouched until Settings are fixed', async () => {
    const rt = await setUpRuntime({ capacity: 5, settings: { 'Event name': '' } });
    try {
      const m = deliver(rt, { from: 'Early <early@example.com>', body: 'yes' });
      const r = await poll(rt);
      expect(r.more).toBe(true);
      expect(replyRows(rt)).toHaveLength(0);
      rt.backend.hostEdit('Settings', 'B2', [['Launch party']]);
      await poll(rt);
      expect(rowFor(rt, m.id)[0].status).toBe('handled');
      expect(guest(rt, 'early@example.com')?.status).toBe('confirmed');
    } finally {
      await rt.close();
    }
  });
});

describe('invites and the reply address', () => {
  test('Send invites: pasted rows and hand-added invited guests get one invite each, with the reply address; a "yes" reply confirms', async () => {
    const rt = await setUpRuntime({ capacity: 5 });
    try {
      rt.backend.hostEdit('Import', 'A2:B3', [
        ['Ada', 'ada@example.com'],
        ['Alan', 'alan@example.com'],
      ]);
      rt.backend.hostEdit('Guests', 'A2:J2', [
        ['hand@example.com', 'Hand', 'invited', '', 'host', '', '', '', '', 'hand-token'],
      ]);
      const first = await rt.run('sendInvites', [], { context: 'editor' });
      // The import's own invites are named as the import's; Send invites counts the others it sent.
      expect(first.result).toMatch(
        /^Import \(the Import sheet's new rows, invited by the import itself\): 2 imported, 2 invited\..* Invites sent to 1 other invited guest\(s\) in Guests who had none yet\.$/,
      );
      const invites = rt.backend.mail.filter((m) => /^You're invited/.test(m.subject));
      expect(invites.map((m) => m.to).sort()).toEqual([
        'ada@example.com',
        'alan@example.com',
        'hand@example.com',
      ]);
      for (const m of invites) {
        expect(m.replyTo).toBe(REPLY_TO);
        expect(m.body).toMatch(/reply "yes" to this email/);
      }
      const again = await rt.run('sendInvites', [], { context: 'editor' });
      expect(again.result).toBe('Every invited guest already has an invite.');
      expect(rt.backend.mail).toHaveLength(3);

      const yes = deliver(rt, { from: 'Ada <ada@example.com>', body: "Yes!\n\n> You're invited" });
      await poll(rt);
      expect(guest(rt, 'ada@example.com')).toMatchObject({ status: 'confirmed', source: 'import' });
      expect(rowFor(rt, yes.id)[0]).toMatchObject({ status: 'handled', result: 'confirmed' });
      checkInvariants(rt, 5);
    } finally {
      await rt.close();
    }
  });

  test('Settings → Reply-to address is the address watched and given as Reply-To', async () => {
    const rt = await setUpRuntime({ capacity: 5, settings: { 'Reply-to address': 'rsvp@party.example' } });
    try {
      const other = deliver(rt, { from: 'Ada <ada@example.com>', body: 'yes' });
      const ours = deliver(rt, { from: 'Alan <alan@example.com>', body: 'yes', to: 'rsvp@party.example' });
      await poll(rt);
      expect(rowFor(rt, other.id)).toEqual([]);
      expect(guest(rt, 'alan@example.com')?.status).toBe('confirmed');
      expect(mailTo(rt, 'alan@example.com')[0].replyTo).toBe('rsvp@party.example');
      expect(rowFor(rt, ours.id)).toHaveLength(1);
    } finally {
      await rt.close();
    }
  });

  test('Turn on email replies installs one poll trigger at the Settings interval (replacing an old one); off removes it', async () => {
    const rt = await setUpRuntime({ capacity: 5, settings: { 'Check replies every (minutes)': 1 } });
    try {
      const polls = () => rt.backend.triggers.filter((t) => t.handlerFunction === 'pollReplies');
      await rt.run('turnOnEmailReplies', [], { context: 'editor' });
      expect(polls()).toEqual([expect.objectContaining({ everyMinutes: 1 })]);
      setSetting(rt, 'Check replies every (minutes)', 7);
      const on = await rt.run('turnOnEmailReplies', [], { context: 'editor' });
      expect(on.result).toMatch(/every 5 minute/);
      expect(polls()).toEqual([expect.objectContaining({ everyMinutes: 5 })]);
      const off = await rt.run('turnOffEmailReplies', [], { context: 'editor' });
      expect(off.result).toBe('Email replies are off.');
      expect(polls()).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});

describe('forged cancel floods', () => {
  const HOUR = 3600e3;

  test('six unverified "cancel"s in one thread send one cancel link; six "yes"es in one thread get at most three of ours', async () => {
    const rt = await setUpRuntime({ capacity: 5 });
    try {
      const yes = deliver(rt, { from: 'Ada <ada@example.com>', body: 'Yes please' });
      await poll(rt);
      expect(mailTo(rt, 'ada@example.com')).toHaveLength(1);
      const forged = Array.from({ length: 6 }, () =>
        deliver(rt, { from: 'Ada <ada@example.com>', body: 'Cancel my RSVP', threadId: yes.threadId }),
      );
      await poll(rt);
      expect(guest(rt, 'ada@example.com')?.status).toBe('confirmed');
      const links = mailTo(rt, 'ada@example.com').filter((m) => /asking to cancel your RSVP/.test(m.body));
      expect(links).toHaveLength(1);
      expect(forged.map((m) => rowFor(rt, m.id)[0].result)).toEqual([
        expect.stringMatching(/^cancel link sent/),
        ...Array(5).fill(expect.stringMatching(/^cancel link not sent/)),
      ]);
      // A "yes" flood in a fresh thread, all read in one poll: our answers there stop at three.
      const first = deliver(rt, { from: 'Bob <bob@example.com>', body: 'yes' });
      for (let i = 0; i < 5; i++)
        deliver(rt, { from: 'Bob <bob@example.com>', body: 'yes!', threadId: first.threadId });
      await poll(rt);
      expect(rt.backend.mail.filter((m) => m.threadId === first.threadId)).toHaveLength(3);
    } finally {
      await rt.close();
    }
  });

  test('one cancel link per guest per day, however the forged replies are spread over threads and polls', async () => {
    const rt = await setUpRuntime({ capacity: 5 });
    const later = (ms: number) => rt.backend.advanceTo(rt.backend.now() + ms);
    try {
      deliver(rt, { from: 'Ada <ada@example.com>', body: 'Yes please' });
      await poll(rt);
      const links = () =>
        mailTo(rt, 'ada@example.com').filter((m) => /asking to cancel your RSVP/.test(m.body));
      for (let i = 0; i < 6; i++) {
        later(HOUR);
        deliver(rt, { from: 'Ada <ada@example.com>', body: "I can't make it, cancel please" });
        await poll(rt);
      }
      expect(links()).toHaveLength(1);
      // A day after the first link, a new one may go.
      later(20 * HOUR);
      deliver(rt, { from: 'Ada <ada@example.com>', body: 'cancel' });
      await poll(rt);
      expect(links()).toHaveLength(2);
      expect(guest(rt, 'ada@example.com')?.status).toBe('confirmed');
      expect(replyRows(rt).filter((r) => /^cancel link not sent again/.test(r.result))).toHaveLength(5);
    } finally {
      await rt.close();
    }
  });
});

describe('the Replies sheet', () => {
  test('shows visible text only: format and control characters in what a reply said are removed', async () => {
    const rt = await setUpRuntime({ capacity: 5 });
    try {
      const m = deliver(rt, {
        from: '"Ev\u202eil\u200b" <eve@example.com>',
        subject: 'Re: invite\u2066 \u0007now',
        body: 'Yes\u200b please\u202e\n\u2800\nsee\u00ad you\u0000',
      });
      await poll(rt);
      const [row] = rowFor(rt, m.id);
      expect(row).toMatchObject({ status: 'handled', said: 'Yes please / see you' });
      expect(row.from).toBe('"Evil" <eve@example.com>');
      const raw = rt.backend.sheetRaw('Replies').slice(1)[0].map(String).join(' ');
      expect(raw).not.toMatch(/[\p{Cf}\p{Cc}\u2800]/u);
      expect(guest(rt, 'eve@example.com')?.name).toBe('Evil');
    } finally {
      await rt.close();
    }
  });
});

describe('"Check replies now" says what each conversation it counted was', () => {
  test('new replies by outcome, and the conversation of only our own mail named as such', async () => {
    const rt = await setUpRuntime({ capacity: 5 });
    try {
      // The deployment check's own thread: mail from the host's address to its reply address.
      rt.backend.deliverMail({
        from: 'Host <host@example.com>',
        to: REPLY_TO,
        subject: 'RSVP deployment check',
        plainBody: 'check',
        sent: true,
      });
      deliver(rt, { from: 'Ada <ada@example.com>', body: 'Yes please!' });
      deliver(rt, { from: 'Bob <bob@example.com>', body: 'Maybe, let me check my calendar' });
      const first = await rt.run('checkRepliesNow', [], { context: 'editor' });
      expect(first.result).toBe(
        '2 new replies in 2 conversations: 1 handled (seats, cancels and answers sent), 1 for you to review ' +
          '(label RSVP/needs-review), 0 ignored (auto-replies, bounces, mailing lists). ' +
          'Also looked at 1 conversation of only our own mail (such as the deployment check).',
      );
      const again = await rt.run('checkRepliesNow', [], { context: 'editor' });
      expect(again.result).toMatch(/^No new replies\./);
    } finally {
      await rt.close();
    }
  });
});
