/**
 * Every seat change tells its guest (issue 22), through the built bundle: a host action that runs
 * the keeper (here Send invites) carries the keeper's own emails as well as its own.
 */
import { Runtime } from '../../emulator/runtime';
import { guests, setUpRuntime, signUp } from '../helpers';

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
