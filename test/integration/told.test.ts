/**
 * Every seat change tells its guest (issue 22), through the built bundle: a host action that runs
 * the keeper (here Send invites) carries the keeper's own emails as well as its own.
 */
import { Runtime } from '../../emulator/runtime';
import { guests, logRows, outboxRows, runTrigger, setUpRuntime, signUp } from '../helpers';

let rt: Runtime;
afterEach(() => rt?.close());

const subjectsTo = (email: string) => rt.backend.mail.filter((m) => m.to === email).map((m) => m.subject);

test('Send invites that expires an offer and offers the seat on emails both guests', async () => {
  rt = await setUpRuntime({
    capacity: 1,
    settings: { 'Event name': 'Gala', 'Claim window (hours)': 1, 'Quiet hours': 'off' },
  });
  await signUp(rt, 'Ada', 'ada@example.com');
  await signUp(rt, 'Bob', 'bob@example.com');
  await signUp(rt, 'Cy', 'cy@example.com');
  const ada = guests(rt).find((g) => g.email === 'ada@example.com')!;
  await rt.postForm({ action: 'cancel', t: ada.token, format: 'json' });
  expect(subjectsTo('bob@example.com').at(-1)).toBe('A seat opened up: claim it for Gala');
  // The host's list was imported earlier, as invited. The claim window passes and,
  // before the 10-minute run, the host sends invites.
  rt.backend.hostEdit('Import', 'A2:B2', [['Ivy', 'ivy@example.com']]);
  expect((await rt.run('importPending', [], { context: 'editor' })).ok).toBe(true);
  rt.backend.advanceTo(rt.backend.now() + 61 * 60e3);
  expect((await rt.run('sendInvites', [], { context: 'editor' })).ok).toBe(true);
  expect(guests(rt).map((g) => [g.email, g.status])).toEqual([
    ['ada@example.com', 'cancelled'],
    ['bob@example.com', 'cancelled'],
    ['cy@example.com', 'offered'],
    ['ivy@example.com', 'invited'],
  ]);
  expect(subjectsTo('bob@example.com').at(-1)).toBe('Your held seat was released: Gala');
  expect(subjectsTo('cy@example.com').at(-1)).toBe('A seat opened up: claim it for Gala');
  expect(subjectsTo('ivy@example.com')).toEqual(["You're invited: Gala"]);
});

test('a guest the host cancels by typing in Status is told, in words that say the host did it', async () => {
  rt = await setUpRuntime({ capacity: 2, settings: { 'Event name': 'Gala', 'Quiet hours': 'off' } });
  await signUp(rt, 'Ada', 'ada@example.com');
  expect(subjectsTo('ada@example.com')).toEqual(["You're in: Gala"]);
  const head = rt.backend.sheetRaw('Guests')[0];
  const status = String.fromCharCode(65 + head.indexOf('Status'));
  await rt.hostEdit('Guests', `${status}2`, [['cancelled']]);
  expect(guests(rt)[0].status).toBe('cancelled');
  await rt.runDueTriggers(rt.backend.now() + 10 * 60e3);
  const last = rt.backend.mail.filter((m) => m.to === 'ada@example.com').at(-1)!;
  expect(last.subject).toBe("You're cancelled: Gala");
  expect(last.body).toContain('Your RSVP for Gala has been cancelled by the host.');
  expect(last.body).not.toContain('Thanks for letting us know');
});

describe('"Registration has closed" goes at most once, even when its sender is stopped', () => {
  /** Capacity 1: Ada is in, Bob waits; registration closes, and the 10-minute run tells Bob. */
  async function closedWithBobWaiting(): Promise<Runtime> {
    const r = await setUpRuntime({ capacity: 1, settings: { 'Event name': 'Gala', 'Quiet hours': 'off' } });
    await signUp(r, 'Ada', 'ada@example.com');
    await signUp(r, 'Bob', 'bob@example.com');
    const row = r.backend.sheetRaw('Settings').findIndex((x) => x[0] === 'Registration closes at') + 1;
    r.backend.hostEdit('Settings', `B${row}`, [[new Date(r.backend.now() + 60e3)]]);
    r.backend.advanceTo(r.backend.now() + 2 * 60e3);
    return r;
  }
  const closedMails = (r: Runtime) =>
    r.backend.mail.filter(
      (m) => m.to === 'bob@example.com' && m.subject.startsWith('Registration has closed'),
    );
  const outboxStatus = (r: Runtime) =>
    outboxRows(r)
      .filter((x) => x.kind === 'waitlist-closed')
      .map((x) => x.status);

  test('a run stopped after sending it, before recording it: the next run does not send it again', async () => {
    rt = await closedWithBobWaiting();
    const full = await runTrigger(rt, 'sendQueuedEmails');
    expect(closedMails(rt)).toHaveLength(1);
    const total = Object.values(full.calls).reduce((a, b) => a + b, 0);
    rt.close();
    // The latest point to stop it at which the email has gone and its row still says it has not.
    let found = false;
    for (let n = total - 1; n > 0 && !found; n--) {
      rt = await closedWithBobWaiting();
      await runTrigger(rt, 'sendQueuedEmails', { killAfterCalls: n });
      found = closedMails(rt).length === 1 && !outboxStatus(rt).includes('sent');
      if (!found) rt.close();
    }
    expect(found).toBe(true);
    rt.backend.advanceTo(rt.backend.now() + 10 * 60e3);
    await runTrigger(rt, 'sendQueuedEmails');
    expect(closedMails(rt)).toHaveLength(1);
    expect(outboxStatus(rt)).toEqual(['skipped']);
  });
});

test('Settings → Email guests about my Status edits: no, and a typed cancel emails nobody', async () => {
  rt = await setUpRuntime({ capacity: 2, settings: { 'Event name': 'Gala', 'Quiet hours': 'off' } });
  const labels = rt.backend.sheetRaw('Settings').map((r) => r[0]);
  expect(labels).toContain('Email guests about my Status edits');
  const row = labels.indexOf('Email guests about my Status edits') + 1;
  await rt.hostEdit('Settings', `B${row}`, [['no']]);
  await signUp(rt, 'Ada', 'ada@example.com');
  const head = rt.backend.sheetRaw('Guests')[0];
  const status = String.fromCharCode(65 + head.indexOf('Status'));
  await rt.hostEdit('Guests', `${status}2`, [['cancelled']]);
  expect(guests(rt)[0].status).toBe('cancelled');
  await rt.runDueTriggers(rt.backend.now() + 10 * 60e3);
  expect(subjectsTo('ada@example.com')).toEqual(["You're in: Gala"]);
  // The Log still says what the host did.
  expect(logRows(rt).some((r) => r.email === 'ada@example.com' && r.to === 'cancelled')).toBe(true);
});
