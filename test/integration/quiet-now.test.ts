/**
 * Quiet hours are decided when an email is sent, from the Settings then, and every answer says what is
 * held and until when (issue 22): turned off, they hold nothing, without clearing any Outbox cell.
 */
import { Runtime } from '../../emulator/runtime';
import { guests, setUpRuntime, signUp } from '../helpers';

let rt: Runtime;
afterEach(() => rt?.close());

/** "HH:MM" in the event's time zone, `minutes` from the runtime's now. */
function clockIn(r: Runtime, minutes: number): string {
  const tz = String(r.backend.sheetRaw('Settings').find((x) => x[0] === 'Time zone')?.[1] || 'UTC');
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(r.backend.now() + minutes * 60e3));
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('hour')}:${get('minute')}`;
}
const setting = (r: Runtime, label: string, value: unknown) => {
  const row = r.backend.sheetRaw('Settings').findIndex((x) => x[0] === label) + 1;
  return r.hostEdit('Settings', `B${row}`, [[value]]);
};

test('an offer held by quiet hours is said to be held, and goes at once when they are turned off', async () => {
  rt = await setUpRuntime({ capacity: 1, settings: { 'Event name': 'Gala' } });
  const until = clockIn(rt, 120);
  await setting(rt, 'Quiet hours', `${clockIn(rt, -60)}-${until}`);
  await signUp(rt, 'Ada', 'ada@example.com');
  await signUp(rt, 'Bob', 'bob@example.com');
  const ada = guests(rt).find((g) => g.email === 'ada@example.com')!;
  await rt.postForm({ action: 'cancel', t: ada.token, format: 'json' });
  expect(guests(rt).find((g) => g.email === 'bob@example.com')?.status).toBe('offered');
  const toBob = () => rt.backend.mail.filter((m) => m.to === 'bob@example.com').map((m) => m.subject);
  expect(toBob()).toEqual(["You're number 1 on the waitlist: Gala"]);

  const held = await rt.run('sendQueuedEmailsNow', [], { context: 'editor' });
  expect(held.result).toBe(`Emails: 0 sent, 1 held by quiet hours until ${until} (Settings).`);
  const dash = (await rt.run('dashboardData', [], { context: 'editor' })).result as {
    offers: { email: string; mail: string }[];
    emailsHeld: number;
    heldUntil: string;
  };
  expect(dash.offers).toEqual([
    expect.objectContaining({ email: 'bob@example.com', mail: `email held by quiet hours until ${until}` }),
  ]);
  expect([dash.emailsHeld, dash.heldUntil]).toEqual([1, until]);

  // The host turns quiet hours off: the next send takes the offer at once (no Outbox cell cleared).
  await setting(rt, 'Quiet hours', 'off');
  const sent = await rt.run('sendQueuedEmailsNow', [], { context: 'editor' });
  expect(sent.result).toBe('Emails: 1 sent.');
  expect(toBob()).toEqual(["You're number 1 on the waitlist: Gala", 'A seat opened up: claim it for Gala']);
  const after = (await rt.run('dashboardData', [], { context: 'editor' })).result as {
    offers: { mail: string }[];
  };
  expect(after.offers.map((o) => o.mail)).toEqual(['emailed']);
});
