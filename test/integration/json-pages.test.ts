/**
 * format=json through the built bundle: every page a guest's link or button reaches (status,
 * confirm, claim, cancel, decline), with a good token, a bad one or none, by GET and by POST,
 * answers JSON, never HTML; and the event state an embed asks for on load.
 */
import { Runtime } from '../../emulator/runtime';
import { checkInvariants, guests, jsonOf, setSetting, setUpRuntime, signUp } from '../helpers';

const ACTIONS = ['status', 'confirm', 'claim', 'cancel', 'decline'];

describe('format=json pages', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  const snapshot = () => ({ guests: rt.backend.sheetRaw('Guests'), mail: rt.backend.mail.length });

  test('a bad, empty, missing or hostile token answers JSON "not-found" on every page, GET and POST, and changes nothing', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Ada', 'ada@example.com');
    const before = snapshot();
    const tokens: Array<string | undefined> = [
      'nope',
      '',
      undefined,
      ' ',
      '<script>alert(1)</script>',
      '=HYPERLINK("http://evil")',
      'x'.repeat(5000),
    ];
    for (const action of ACTIONS) {
      for (const t of tokens) {
        const params: Record<string, string> = { action, format: 'json' };
        if (t !== undefined) params.t = t;
        for (const method of ['GET', 'POST'] as const) {
          const r = method === 'GET' ? await rt.web('GET', params) : await rt.postForm(params);
          const a = jsonOf(r);
          expect({ action, method, t: t?.slice(0, 30), status: a.status }).toEqual({
            action,
            method,
            t: t?.slice(0, 30),
            status: 'not-found',
          });
          expect(a.message).toBe('This link is no longer valid.');
          expect(JSON.stringify(a)).not.toContain('<script>');
        }
      }
    }
    expect(snapshot()).toEqual(before);
  });

  test('good tokens: GET answers the guest status and the buttons as JSON (no token echoed), and changes nothing', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Ada', 'ada@example.com');
    await signUp(rt, 'Alan', 'alan@example.com');
    await rt.hostEdit('Import', 'A2', [['Grace <grace@example.com>']]);
    await rt.run('importPending', [], { context: 'editor' });
    const token = (email: string) => guests(rt).find((g) => g.email === email)!.token;
    const before = snapshot();
    const get = async (action: string, email: string) =>
      jsonOf(await rt.web('GET', { action, t: token(email), format: 'json' }));

    expect(await get('cancel', 'ada@example.com')).toEqual({
      status: 'already-confirmed',
      message: 'Cancel your RSVP?',
      asking: true,
      detail:
        'This is the RSVP of Ada (a•••@example.com). Do you want to cancel your RSVP? Your seat will go to the next person on the waitlist.',
      actions: [
        { action: 'cancel', label: 'Yes, cancel my RSVP' },
        { action: 'status', label: 'No, keep my seat' },
      ],
    });
    expect(await get('status', 'alan@example.com')).toMatchObject({
      status: 'already-waitlisted',
      position: 1,
      actions: [{ action: 'leave', label: 'Leave the waitlist' }],
    });
    // The event is full (capacity 1, Ada confirmed): accepting the invite means joining the waitlist.
    expect(await get('confirm', 'grace@example.com')).toMatchObject({
      status: 'invited',
      actions: [
        { action: 'confirm', label: 'Join the waitlist' },
        { action: 'cancel', label: "I can't come" },
      ],
    });
    for (const action of ACTIONS) {
      const a = await get(action, 'ada@example.com');
      expect(a.status).toBe('already-confirmed');
      expect(JSON.stringify(a)).not.toContain(token('ada@example.com'));
    }
    expect(snapshot()).toEqual(before);

    // A freed seat is offered: the claim page and the decline page show the offer.
    expect(
      jsonOf(await rt.postForm({ action: 'cancel', t: token('ada@example.com'), format: 'json' })),
    ).toMatchObject({ status: 'cancelled' });
    for (const action of ['claim', 'decline']) {
      expect(await get(action, 'alan@example.com')).toMatchObject({
        status: 'already-offered',
        message: 'A seat is being held for you.',
        actions: [
          { action: 'claim', label: 'Claim my seat' },
          { action: 'decline', label: "No thanks, I can't come" },
        ],
      });
    }
    expect(await get('status', 'ada@example.com')).toMatchObject({
      status: 'already-cancelled',
      actions: [],
    });
  });

  test('good tokens: each POST answers JSON, including a confirm that no longer applies', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Ada', 'ada@example.com');
    await signUp(rt, 'Alan', 'alan@example.com');
    await signUp(rt, 'Edsger', 'edsger@example.com');
    await rt.hostEdit('Import', 'A2', [['Grace <grace@example.com>']]);
    await rt.run('importPending', [], { context: 'editor' });
    const token = (email: string) => guests(rt).find((g) => g.email === email)!.token;
    const post = async (action: string, email: string) =>
      jsonOf(await rt.postForm({ action, t: token(email), format: 'json' }));

    expect(await post('claim', 'alan@example.com')).toMatchObject({ status: 'not-offered', position: 1 });
    expect(await post('cancel', 'ada@example.com')).toMatchObject({ status: 'cancelled' });
    expect(await post('decline', 'alan@example.com')).toMatchObject({ status: 'declined' });
    expect(await post('claim', 'edsger@example.com')).toMatchObject({ status: 'confirmed' });
    // Grace's invite: the event is full, so confirming puts her on the waitlist.
    expect(await post('confirm', 'grace@example.com')).toMatchObject({ status: 'waitlisted', position: 1 });
    // Pressing "Confirm my seat" again: no longer invited, so the status page, as JSON.
    expect(await post('confirm', 'grace@example.com')).toMatchObject({
      status: 'already-waitlisted',
      position: 1,
      actions: [{ action: 'leave', label: 'Leave the waitlist' }],
    });
    expect(await post('confirm', 'ada@example.com')).toMatchObject({ status: 'already-cancelled' });
    checkInvariants(rt, 1);
  });

  test('the event state for an embed: button text and seats line as the page shows them, a stamp, and no write', async () => {
    rt = await setUpRuntime({ capacity: 1, settings: { 'Event name': 'Winter Social' } });
    const state = async () => jsonOf(await rt.web('GET', { format: 'json' }));
    const before = snapshot();
    expect(await state()).toMatchObject({
      open: true,
      eventName: 'Winter Social',
      seatsLeft: 1,
      full: false,
      buttonText: 'Reserve my seat',
      seatsText: '1 seat left',
      stamp: expect.stringMatching(/^\d+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}$/),
    });
    expect(snapshot()).toEqual(before);
    await signUp(rt, 'Ada', 'ada@example.com');
    expect(await state()).toMatchObject({
      seatsLeft: 0,
      full: true,
      buttonText: 'Join the waitlist',
      seatsText: 'The event is full: the waitlist is open',
    });
    setSetting(rt, 'Capacity', 'lots');
    expect(await state()).toMatchObject({
      open: false,
      message: 'Registration for Winter Social is paused.',
    });
    // It costs one read of Settings, and no lock.
    const r = await rt.web('GET', { format: 'json' });
    expect(r.calls['range.getValues']).toBe(1);
    expect(r.lockWaitMs + r.lockHeldMs).toBe(0);
    expect(Object.keys(r.calls).filter((k) => /set|lock|flush|append/i.test(k))).toEqual([]);
  });
});
