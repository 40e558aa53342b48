/** Settings → Registration closes at (issue 15), through the built bundle on the virtual clock. */
import { Runtime } from '../../emulator/runtime';
import {
  deliverReply,
  guests,
  htmlOf,
  jsonOf,
  pollReplies,
  repliesRow as rowsOfReply,
  setSetting,
  setUpRuntime,
  sheetRecords,
  signUp,
} from '../helpers';

let rt: Runtime;
afterEach(() => rt?.close());

const row = (email: string) => guests(rt).find((g) => g.email === email)!;
const subjects = (email: string) => rt.backend.mail.filter((m) => m.to === email).map((m) => m.subject);

async function withDeadline(inMs: number) {
  rt = await setUpRuntime({ capacity: 1 });
  const closes = rt.backend.now() + inMs;
  setSetting(rt, 'Registration closes at', new Date(closes));
  await rt.run('recount', [], { context: 'editor' });
  return closes;
}

describe('registration closes at', () => {
  test('the edge: open a minute before (a request takes modelled time), closed from the deadline on (form, JSON state, sign-up)', async () => {
    const closes = await withDeadline(3600e3);
    expect(
      jsonOf(
        await rt.postForm({ name: 'Ann', email: 'ann@example.com', format: 'json' }, { at: closes - 60e3 }),
      ),
    ).toMatchObject({
      status: 'confirmed',
    });
    rt.backend.advanceTo(closes);
    expect(jsonOf(await signUp(rt, 'Bob', 'bob@example.com'))).toMatchObject({
      status: 'closed',
      message: 'Registration has closed.',
    });
    expect(row('bob@example.com')).toBeUndefined();
    expect(jsonOf(await rt.web('GET', { format: 'json' }))).toMatchObject({
      open: false,
      closed: true,
      message: 'Registration for My event has closed.',
    });
    const page = htmlOf(await rt.web('GET'));
    expect(page).toContain('Registration for My event has closed.');
    expect(page).not.toContain('<form');
    // Someone already signed up still gets their standing.
    expect(jsonOf(await signUp(rt, 'Ann', 'ann@example.com'))).toMatchObject({ status: 'already-confirmed' });
  });

  test('after it no seat is offered, imports say so, and those waiting are told once', async () => {
    const closes = await withDeadline(3600e3);
    for (const n of ['ann', 'bob', 'cy']) await signUp(rt, n, `${n}@example.com`);
    rt.backend.advanceTo(closes + 60e3);
    await rt.postForm({ action: 'cancel', t: row('ann@example.com').token, format: 'json' });
    expect(row('bob@example.com')).toMatchObject({ status: 'waitlisted', position: 1 }); // the seat stays free
    await rt.hostEdit('Import', 'A2:B2', [['Dee', 'dee@example.com']]);
    await rt.run('importPending', [], { context: 'editor' });
    expect(sheetRecords(rt, 'Import')[0].Result).toBe('registration has closed');
    // The 10-minute run tells each guest still waiting, once, however often it runs.
    await rt.runDueTriggers(closes + 10 * 60e3);
    await rt.runDueTriggers(closes + 20 * 60e3);
    await rt.run('recount', [], { context: 'editor' });
    for (const e of ['bob@example.com', 'cy@example.com'])
      expect(subjects(e).filter((s) => s === 'Registration has closed: My event')).toHaveLength(1);
    expect(subjects('ann@example.com')).not.toContain('Registration has closed: My event');
  });

  test('a typo in the deadline is refused by the cell; on an older sheet without the rule it is flagged and pauses registration', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    // The cell has a date picker: Sheets refuses text that is no date, and nothing changes.
    expect(() => setSetting(rt, 'Registration closes at', 'next friday')).toThrow(/Pick a date and time/);
    expect(jsonOf(await signUp(rt, 'Ann', 'ann@example.com'))).toMatchObject({ status: 'confirmed' });
    // A sheet set up before the rules existed (or one the host removed) takes the text.
    rt.backend.ss.byName('Settings')!.validations = {};
    setSetting(rt, 'Registration closes at', 'next friday');
    await signUp(rt, 'Ann', 'ann@example.com'); // (her answer is already-confirmed either way)
    expect(jsonOf(await signUp(rt, 'Bea', 'bea@example.com'))).toMatchObject({ status: 'closed' });
    await rt.run('recount', [], { context: 'editor' });
    const s = rt.backend.ss.byName('Settings')!;
    const r = rt.backend.sheetRaw('Settings').findIndex((x) => x[0] === 'Registration closes at') + 1;
    expect(s.notes[`${r},2`]).toMatch(/^RSVP: Registration closes at is not a date and time/);
  });
});

describe('email replies after registration closed', () => {
  const PASS =
    'mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b=AbC; spf=pass smtp.mailfrom=ann@example.com; dmarc=pass (p=NONE) header.from=example.com';
  const reply = (from: string, body: string, extra: { threadId?: string; auth?: boolean } = {}) =>
    deliverReply(rt, from, body, { threadId: extra.threadId, authResults: extra.auth ? PASS : undefined });
  const poll = () => pollReplies(rt);
  const repliesRow = (id: string) => rowsOfReply(rt, id);

  test('a "yes" gets one polite answer in its thread, no seat, nothing for the host to do; polling again sends nothing more', async () => {
    const closes = await withDeadline(3600e3);
    setSetting(rt, 'Reply-to address', 'host+rsvp@example.com');
    await rt.run('turnOnEmailReplies', [], { context: 'editor' });
    rt.backend.advanceTo(closes + 60e3);
    const m = reply('Dee Smith <dee@example.com>', 'Yes please, count me in!');
    await poll();
    const sent = rt.backend.mail.filter((x) => x.to.includes('dee@example.com'));
    expect(sent).toHaveLength(1);
    expect(sent[0].threadId).toBe(m.threadId);
    expect(sent[0].body).toContain('Hi Dee,');
    expect(sent[0].body).toContain("Registration for My event has closed, so we can't add you to the list");
    expect(row('dee@example.com')).toBeUndefined();
    expect(repliesRow(m.id)).toEqual([['handled', 'closed: told registration has closed']]);
    await poll();
    rt.backend.advanceTo(closes + 20 * 60e3);
    await rt.runDueTriggers();
    await poll();
    expect(rt.backend.mail.filter((x) => x.to.includes('dee@example.com'))).toHaveLength(1);
  });

  test('a guest with a seat who says "yes" hears their standing; a verified "cancel" still cancels', async () => {
    const closes = await withDeadline(3600e3);
    await rt.run('turnOnEmailReplies', [], { context: 'editor' });
    await signUp(rt, 'Ann', 'ann@example.com');
    rt.backend.advanceTo(closes + 60e3);
    const yes = reply('Ann <ann@example.com>', 'Yes, see you there');
    await poll();
    expect(repliesRow(yes.id)).toEqual([['handled', 'already confirmed']]);
    const cancel = reply('Ann <ann@example.com>', "Sorry, I can't make it after all.", {
      threadId: yes.threadId,
      auth: true,
    });
    await poll();
    expect(row('ann@example.com').status).toBe('cancelled');
    expect(repliesRow(cancel.id)[0][1]).toMatch(/^cancelled/);
    const toAnn = rt.backend.mail.filter((x) => x.to.includes('ann@example.com'));
    expect(toAnn.at(-1)?.body).toMatch(/Your RSVP for My event is cancelled/);
  });
});

describe('a guest already on the list writes "yes" after registration closed', () => {
  const reply = (from: string, body: string) => deliverReply(rt, from, body);
  const poll = () => pollReplies(rt);
  const repliesRow = (id: string) => rowsOfReply(rt, id);
  const mailTo = (email: string) => rt.backend.mail.filter((m) => m.to.includes(email));

  test('each hears their standing in the thread: the seat holder that it is confirmed, the one waiting that no seat will be offered any more; once', async () => {
    const closes = await withDeadline(3600e3);
    await rt.run('turnOnEmailReplies', [], { context: 'editor' });
    await signUp(rt, 'Ann', 'ann@example.com');
    await signUp(rt, 'Bob', 'bob@example.com');
    await rt.runDueTriggers(closes + 10 * 60e3); // Bob is told the waitlist closed
    expect(mailTo('bob@example.com').map((m) => m.subject)).toContain('Registration has closed: My event');
    const before = { ann: mailTo('ann@example.com').length, bob: mailTo('bob@example.com').length };

    const yesAnn = reply('Ann <ann@example.com>', 'Yes, see you there');
    const yesBob = reply('Bob <bob@example.com>', 'Yes please!');
    await poll();
    expect(repliesRow(yesAnn.id)).toEqual([['handled', 'already confirmed']]);
    expect(repliesRow(yesBob.id)).toEqual([['handled', 'already waitlisted #1']]);
    const toAnn = mailTo('ann@example.com').slice(before.ann);
    expect(toAnn).toHaveLength(1);
    expect(toAnn[0].threadId).toBe(yesAnn.threadId);
    expect(toAnn[0].body).toContain('Your seat at My event is confirmed.');
    const toBob = mailTo('bob@example.com').slice(before.bob);
    expect(toBob).toHaveLength(1);
    expect(toBob[0].threadId).toBe(yesBob.threadId);
    expect(toBob[0].subject).toBe("Re: You're invited: My event"); // an answer keeps the thread's subject
    expect(toBob[0].body).toContain(
      'Registration for My event has closed, so no more seats will be offered from the waitlist.',
    );
    expect(toBob[0].body).not.toContain("we'll email you a link to claim it");
    expect(row('ann@example.com').status).toBe('confirmed');
    expect(row('bob@example.com')).toMatchObject({ status: 'waitlisted', position: 1 });

    await poll();
    await rt.runDueTriggers(closes + 30 * 60e3);
    await poll();
    expect(mailTo('ann@example.com')).toHaveLength(before.ann + 1);
    expect(mailTo('bob@example.com')).toHaveLength(before.bob + 1);
  });
});

describe('a start the clocks skip', () => {
  // The sheet is in London, the event in New York: 02:30 on 14 March 2027 does not exist there.
  test('is read an hour later, and the cell says so; registration stays open', async () => {
    const rt = await setUpRuntime({ capacity: 5, settings: { 'Time zone': 'America/New_York' } });
    try {
      const row = rt.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Starts at') + 1;
      await rt.hostEdit('Settings', `B${row}`, [['2027-03-14 02:30']]);
      await rt.run('recount', [], { context: 'editor' });
      const note = rt.backend.ss.byName('Settings')!.notes[`${row},2`];
      expect(note).toBe(
        'RSVP: 02:30 does not exist on 2027-03-14 in America/New_York (the clocks change): using 03:30.',
      );
      // An hour later, as Utilities.parseDate reads it: 07:30 UTC.
      const page = await rt.web('GET', {});
      expect(page.ok).toBe(true);
      const r = jsonOf(await signUp(rt, 'Ada', 'ada@example.com'));
      expect(r.status).toBe('confirmed');
      // A time that exists is not flagged.
      await rt.hostEdit('Settings', `B${row}`, [['2027-03-14 03:30']]);
      await rt.run('recount', [], { context: 'editor' });
      expect(rt.backend.ss.byName('Settings')!.notes[`${row},2`]).toBeUndefined();
    } finally {
      await rt.close();
    }
  });
});
