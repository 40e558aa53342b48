/**
 * One sign-up, one mailbox, one recipient (issue 10), through the built bundle: what a list-shaped or
 * invisible address does on every lane, and one seat per mailbox on every lane.
 */
import { Runtime } from '../../emulator/runtime';
import {
  checkInvariants,
  column,
  guests,
  jsonOf,
  outboxRows,
  replyRows,
  setUpRuntime,
  signUp,
  runTrigger,
} from '../helpers';

const REPLY_TO = 'host+rsvp@example.com';

async function poll(rt: Runtime) {
  const r = await runTrigger(rt, 'pollReplies');
  if (!r.ok) throw new Error(`poll failed: ${r.error?.message}`);
}

describe('one recipient per sign-up', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test.each([
    ['a quoted local part hiding a list', '"victim@x.com,attacker"@example.com', /one plain email address/],
    ['a quoted local part hiding nine', `"${'v@x.com,'.repeat(8)}a"@example.com`, /one plain email address/],
    ['a comma list', 'ada@example.com,eve@example.com', /one plain email address/],
    ['a semicolon list', 'ada@example.com;eve@example.com', /one plain email address/],
    ['a zero-width space', 'ada\u200b@example.com', /invisible character/],
    ['a right-to-left override', 'moc.elpmaxe@ada\u202e', /invisible character/],
    ['a Braille blank', 'ada\u2800@example.com', /invisible character/],
  ])('the form refuses %s, writes nothing and mails nobody', async (_what, email, message) => {
    rt = await setUpRuntime({ capacity: 5, backend: { mailQuotaPerDay: 100 } });
    const a = jsonOf(await signUp(rt, 'Eve', email));
    expect(a).toMatchObject({ status: 'invalid', errors: { email: expect.stringMatching(message) } });
    expect(guests(rt)).toEqual([]);
    expect(rt.backend.mail).toEqual([]);
    expect(rt.backend.mailRemaining()).toBe(100);
  });

  test('a reply from a list-shaped or invisible sender address gets no seat and no answer', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    for (const from of ['Eve <"victim@x.com,attacker"@example.com>', 'Eve <eve\u200b@example.com>'])
      rt.backend.deliverMail({ from, to: REPLY_TO, subject: 'Re: invite', plainBody: 'yes', headers: {} });
    await poll(rt);
    expect(guests(rt)).toEqual([]);
    expect(rt.backend.mail).toEqual([]);
    expect(replyRows(rt).map((r) => r.status)).toEqual(['ignored', 'ignored']);
  });

  test('an import refuses list-shaped addresses row by row', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await rt.hostEdit('Import', 'A2:B4', [
      ['Eve', '"victim@x.com,attacker"@example.com'],
      ['Eve two', 'a@example.com; b@example.com'],
      ['Ada', 'ada@example.com'],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(r.result).toMatch(/^1 imported, 1 confirmed, 2 invalid/);
    expect(guests(rt).map((g) => g.email)).toEqual(['ada@example.com']);
    expect(rt.backend.mail.map((m) => m.to)).toEqual(['ada@example.com']);
  });

  test('a host-typed address that is a list or has an invisible character is never mailed; the Outbox says why', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    const row = (email: string, name: string, token: string) => [
      email,
      name,
      'invited',
      '',
      'host',
      '',
      '',
      '',
      '',
      token,
    ];
    await rt.hostEdit('Guests', 'A2:J4', [
      row('victim@x.com, b@y.com', 'Two people', 'h1'),
      row('c@x.com;d@y.com', 'Two more', 'h2'),
      row('zed\u200b@example.com', 'Zed', 'h3'),
    ]);
    const r = await rt.run('sendInvites', [], { context: 'editor' });
    expect(r.result).toBe(
      'Invites sent to 0 invited guest(s) who had none yet. 3 could not be sent: see the Error column of the Outbox.',
    );
    expect(rt.backend.mail).toEqual([]);
    const outbox = outboxRows(rt);
    expect(outbox.map((o) => [o.kind, o.status])).toEqual([
      ['invited', 'failed'],
      ['invited', 'failed'],
      ['invited', 'failed'],
    ]);
    for (const o of outbox) expect(o.error).toMatch(/not one plain email address|invisible character/);
    // The drain does not try them again.
    await rt.run('sendQueuedEmails', [], { context: 'trigger' });
    expect(rt.backend.mail).toEqual([]);
  });
});

describe('one seat per mailbox', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('the form: Gmail dot, plus and googlemail spellings are Ada, who keeps one row and gets one email', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    expect(jsonOf(await signUp(rt, 'Ada', 'ada@gmail.com'))).toMatchObject({ status: 'confirmed' });
    for (const email of [
      'ada+1@gmail.com',
      'a.da@gmail.com',
      'ada@googlemail.com',
      'A.D.A+x@GoogleMail.com',
    ]) {
      expect(jsonOf(await signUp(rt, 'Ada again', email))).toMatchObject({
        status: 'already-confirmed',
        message: "You're already confirmed.",
      });
    }
    expect(guests(rt).map((g) => [g.email, g.name, g.status])).toEqual([
      ['ada@gmail.com', 'Ada', 'confirmed'],
    ]);
    expect(rt.backend.mail.map((m) => m.to)).toEqual(['ada@gmail.com']);
    // Other domains: the plus tag is ignored.
    await signUp(rt, 'Bob', 'bob@example.com');
    expect(jsonOf(await signUp(rt, 'Bob', 'bob+party@example.com'))).toMatchObject({
      status: 'already-confirmed',
    });
    // An IDN domain in its xn-- spelling is the same mailbox too.
    await signUp(rt, 'Zoë', 'zoë@bücher.de');
    expect(jsonOf(await signUp(rt, 'Zoë', 'zoë@xn--bcher-kva.de'))).toMatchObject({
      status: 'already-confirmed',
    });
    expect(guests(rt)).toHaveLength(3);
    checkInvariants(rt, 3);
  });

  test("rows the host typed before (any case, dots) are matched; the guest's email goes to the row's address", async () => {
    rt = await setUpRuntime({ capacity: 3 });
    await rt.hostEdit('Guests', 'A2:C3', [
      ['Ada.Lovelace@Gmail.com', 'Ada Lovelace', 'confirmed'],
      ['grace@example.org', 'Grace', 'cancelled'],
    ]);
    expect(jsonOf(await signUp(rt, 'Ada', 'adalovelace+party@googlemail.com'))).toMatchObject({
      status: 'already-confirmed',
    });
    // A cancelled guest coming back from another spelling: a new RSVP, mailed where they typed now.
    expect(jsonOf(await signUp(rt, 'Grace', 'grace+rsvp@example.org'))).toMatchObject({
      status: 'confirmed',
      detail: "We've sent a confirmation to grace+rsvp@example.org.",
    });
    expect(guests(rt).map((g) => [g.email, g.status])).toEqual([
      ['Ada.Lovelace@Gmail.com', 'confirmed'],
      ['grace@example.org', 'cancelled'],
      ['grace+rsvp@example.org', 'confirmed'],
    ]);
    expect(rt.backend.mail.map((m) => m.to)).toEqual(['grace+rsvp@example.org']);
  });

  test('the reply lane uses the same key: a "yes" from an equivalent address is answered with the standing, no new row', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    await signUp(rt, 'Ada', 'ada@gmail.com');
    const m = rt.backend.deliverMail({
      from: 'Ada <a.da+rsvp@googlemail.com>',
      to: REPLY_TO,
      subject: 'Re: invite',
      plainBody: 'Yes please!',
      headers: {},
    });
    await poll(rt);
    expect(guests(rt).map((g) => g.email)).toEqual(['ada@gmail.com']);
    expect(replyRows(rt)).toEqual([
      expect.objectContaining({ status: 'handled', result: 'already confirmed' }),
    ]);
    // The standing goes back in the sender's own thread.
    const answer = rt.backend.mail.at(-1)!;
    expect(answer).toMatchObject({
      threadId: m.threadId,
      to: expect.stringContaining('a.da+rsvp@googlemail.com'),
    });
  });

  test('an import dedupes by mailbox, against the paste and against the list', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await signUp(rt, 'Early', 'early@gmail.com');
    await rt.hostEdit('Import', 'A2:B5', [
      ['Ada', 'ada+1@gmail.com'],
      ['Ada dots', 'a.da@gmail.com'],
      ['Early', 'e.arly@googlemail.com'],
      ['Bob', 'bob+x@example.com'],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(r.result).toMatch(/^2 imported, 2 confirmed, 1 already on the list, 1 duplicates in the paste/);
    expect(column(rt, 'Import', 'Result').map(String)).toEqual([
      'confirmed',
      'duplicate of row 2',
      'already confirmed',
      'confirmed',
    ]);
    expect(guests(rt).map((g) => g.email)).toEqual([
      'early@gmail.com',
      'ada+1@gmail.com',
      'bob+x@example.com',
    ]);
  });
});
