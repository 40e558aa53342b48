/** The web form lane, end to end through the built bundle in the emulator. */
import { Runtime } from '../../emulator/runtime';
import {
  checkInvariants,
  guests,
  htmlOf,
  jsonOf,
  logRows,
  outboxRows,
  setSetting,
  setUpRuntime,
  signUp,
  summary,
} from '../helpers';

describe('web form lane', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('set-up creates the sheets, is idempotent, and never destroys data', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    const names = rt.backend.ss.sheets.map((s) => s.name);
    expect(names).toEqual(['Settings', 'Guests', 'Index', 'Import', 'Questions', 'Outbox', 'Log', 'Replies']);
    const guestSheet = rt.backend.ss.byName('Guests')!;
    expect(guestSheet.frozenRows).toBe(1);
    expect(guestSheet.hiddenColumns).toEqual([10]);
    await signUp(rt, 'Ada', 'ada@example.com');
    const again = await rt.run('setUp', [], { context: 'editor' });
    expect(again.result).toMatch(/nothing changed/);
    expect(guests(rt).map((g) => g.email)).toEqual(['ada@example.com']);
    expect(rt.backend.triggers.filter((t) => t.handlerFunction === 'sendQueuedEmails')).toHaveLength(1);
    // A deleted sheet and a broken header are repaired; the rows stay.
    rt.backend.ss.deleteSheet(rt.backend.ss.byName('Log')!.id);
    rt.backend.hostEdit('Guests', 'C1', [['']]);
    const repair = await rt.run('setUp', [], { context: 'editor' });
    expect(repair.result).toMatch(/created the Log sheet/);
    expect(guests(rt).map((g) => g.email)).toEqual(['ada@example.com']);
  });

  test('confirms until full, then waitlists with positions; duplicates get their status back', async () => {
    rt = await setUpRuntime({ capacity: 2 });
    expect(jsonOf(await signUp(rt, 'Ada Lovelace', 'Ada@Example.com '))).toMatchObject({
      status: 'confirmed',
    });
    expect(jsonOf(await signUp(rt, 'Grace', 'grace@example.com'))).toMatchObject({ status: 'confirmed' });
    expect(jsonOf(await signUp(rt, 'Alan', 'alan@example.com'))).toMatchObject({
      status: 'waitlisted',
      position: 1,
      message: "The event is full: you're number 1 on the waitlist.",
    });
    expect(jsonOf(await signUp(rt, 'Edsger', 'edsger@example.com'))).toMatchObject({
      status: 'waitlisted',
      position: 2,
    });
    expect(jsonOf(await signUp(rt, 'Ada again', 'ada@example.com'))).toMatchObject({
      status: 'already-confirmed',
      message: "You're already confirmed.",
    });
    expect(jsonOf(await signUp(rt, 'E', 'EDSGER@example.com'))).toMatchObject({
      status: 'already-waitlisted',
      position: 2,
      message: "You're already number 2 on the waitlist.",
    });
    const rows = checkInvariants(rt, 2);
    expect(rows.map((g) => [g.email, g.status, g.position])).toEqual([
      ['ada@example.com', 'confirmed', ''],
      ['grace@example.com', 'confirmed', ''],
      ['alan@example.com', 'waitlisted', 1],
      ['edsger@example.com', 'waitlisted', 2],
    ]);
    expect(rows[0].name).toBe('Ada Lovelace');
    expect(rows.every((g) => /^[0-9a-f-]{36}$/.test(g.token))).toBe(true);
    expect(summary(rt)).toMatchObject({ Confirmed: 2, Waitlisted: 2, 'Seats left': 0 });
    // (Rows without an email record the event's time and place as the host sets them.)
    const guestRows = logRows(rt).filter((r) => r.email);
    expect(guestRows.map((r) => [r.email, r.from, r.to, r.lane])).toEqual([
      ['ada@example.com', 'new', 'confirmed', 'form'],
      ['grace@example.com', 'new', 'confirmed', 'form'],
      ['alan@example.com', 'new', 'waitlisted', 'form'],
      ['edsger@example.com', 'new', 'waitlisted', 'form'],
    ]);
  });

  test('one address, one guest, however its accents are encoded (typed by a guest or by the host)', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    // "José" with the accent as a separate combining character, as some keyboards and pastes produce it.
    expect(jsonOf(await signUp(rt, 'José', 'Jose\u0301@example.com'))).toMatchObject({ status: 'confirmed' });
    expect(jsonOf(await signUp(rt, 'José', 'jos\u00e9@example.com'))).toMatchObject({
      status: 'already-confirmed',
    });
    await signUp(rt, 'Zoe', 'zoe@example.com');
    // The host corrects Zoe's address by hand, typing the diaeresis as a combining character.
    rt.backend.hostEdit('Guests', 'A3', [['zoe\u0308@example.com']]);
    expect(jsonOf(await signUp(rt, 'Zoë', 'zo\u00eb@example.com'))).toMatchObject({
      status: 'already-confirmed',
    });
    expect(checkInvariants(rt, 5).map((g) => g.email.normalize('NFC'))).toEqual([
      'jos\u00e9@example.com',
      'zo\u00eb@example.com',
    ]);
  });

  test('each guest gets one email: confirmed with details, cancel link and calendar file; waitlisted with position', async () => {
    rt = await setUpRuntime({
      capacity: 1,
      settings: {
        'Event name': 'Winter Social',
        'Starts at': '2026-12-31 19:00',
        'Time zone': 'America/New_York',
        Location: 'The Hall',
        'Host name': 'Sam',
      },
    });
    await signUp(rt, 'Ada', 'ada@example.com');
    await signUp(rt, 'Alan', 'alan@example.com');
    await signUp(rt, 'Ada', 'ada@example.com'); // duplicate: no second email
    expect(rt.backend.mail).toHaveLength(2);
    const [yes, wait] = rt.backend.mail;
    expect(yes.to).toBe('ada@example.com');
    expect(yes.subject).toBe("You're in: Winter Social");
    // 2026-12-31 19:00 in New York, even though the spreadsheet is in London.
    expect(yes.body).toContain('When: Thursday 31 December 2026 at 19:00 (EST)');
    expect(yes.body).toContain('Where: The Hall');
    const token = guests(rt)[0].token;
    expect(yes.body).toContain(`http://localhost:8080/exec?action=cancel&t=${token}`);
    expect(yes.htmlBody).toContain('<a href="http://localhost:8080/exec?action=cancel&#38;t=');
    expect(yes.name).toBe('Sam');
    const ics = Buffer.from(yes.attachments![0].data, 'base64').toString('utf8');
    expect(yes.attachments![0].contentType).toBe('text/calendar');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toMatch(/DTSTART:20270101T000000Z/);
    expect(wait.subject).toBe("You're number 1 on the waitlist: Winter Social");
    expect(wait.body).toContain("you're number 1 on the waitlist");
    expect(outboxRows(rt).map((r) => [r.to, r.kind, r.status, r.tries])).toEqual([
      ['ada@example.com', 'confirmed', 'sent', 1],
      ['alan@example.com', 'waitlisted', 'sent', 1],
    ]);
  });

  test('the register page shows the event, seats left and an accessible form', async () => {
    rt = await setUpRuntime({
      capacity: 5,
      settings: { 'Event name': 'Launch <party>', 'Starts at': '2026-12-31 19:00', Location: 'Room 1' },
    });
    const html = htmlOf(await rt.web('GET'));
    expect(html).toContain('<h1>Launch &#60;party&#62;</h1>');
    expect(html).toContain('Thursday 31 December 2026 at 19:00 (GMT)');
    expect(html).toContain('5 seats left');
    expect(html).toMatch(/<label for="name">Name<\/label>/);
    expect(html).toMatch(/<label for="email">Email<\/label>/);
    expect(html).toContain('action="http://localhost:8080/exec"');
    expect(html).toContain('name="website"'); // honeypot
    const capacityRow = rt.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Capacity') + 1;
    await rt.hostEdit('Settings', `B${capacityRow}`, [[0]]); // fires onEdit, which recounts
    expect(htmlOf(await rt.web('GET'))).toContain('The event is full: the waitlist is open');
  });

  test('a plain form post answers with a page; GET with fields never signs anyone up', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    const page = htmlOf(await rt.postForm({ name: 'Ada', email: 'ada@example.com' }));
    expect(page).toContain('You&#39;re in!');
    const get = htmlOf(await rt.web('GET', { name: 'Bob', email: 'bob@example.com' }));
    expect(get).toContain('<form');
    expect(guests(rt).map((g) => g.email)).toEqual(['ada@example.com']);
  });

  test('invalid settings close registration with a message to the host', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    setSetting(rt, 'Capacity', 'lots');
    setSetting(rt, 'Time zone', 'Mars/Olympus');
    expect(htmlOf(await rt.web('GET'))).toContain('Registration for My event is paused.');
    expect(jsonOf(await signUp(rt, 'Ada', 'ada@example.com'))).toMatchObject({ status: 'closed' });
    expect(guests(rt)).toEqual([]);
    expect(String(summary(rt).Status)).toMatch(/Time zone "Mars\/Olympus".*Capacity must be a whole number/);
  });

  test('a guest link shows the current status and changes nothing', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Ada', 'ada@example.com');
    await signUp(rt, 'Alan', 'alan@example.com');
    const [ada, alan] = guests(rt);
    expect(htmlOf(await rt.web('GET', { action: 'cancel', t: ada.token }))).toContain('Cancel your RSVP?');
    expect(htmlOf(await rt.web('GET', { action: 'status', t: alan.token }))).toContain(
      'number 1 on the waitlist',
    );
    expect(htmlOf(await rt.web('GET', { action: 'cancel', t: 'nope' }))).toContain(
      'This link is no longer valid.',
    );
    expect(guests(rt).map((g) => g.status)).toEqual(['confirmed', 'waitlisted']);
  });

  test('the lock wait is bounded: a busy keeper answers "try again" and writes nothing', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    const hold = new Runtime({
      backend: rt.backend,
      // Modelled time: the sleep is 21.5 s on the virtual clock, no real time at all.
      code: 'function hold(ms){ LockService.getScriptLock().waitLock(1000); Utilities.sleep(ms); }',
    });
    // In modelled time: the holder takes the lock, and a second later Ada signs up.
    const t0 = rt.backend.now();
    const holding = hold.run('hold', [21500], { at: t0 });
    const answer = jsonOf(
      await rt.postForm({ name: 'Ada', email: 'ada@example.com', format: 'json' }, { at: t0 + 1000 }),
    );
    expect(answer).toMatchObject({
      status: 'busy',
      message: "We're busy right now: please try again in a moment.",
    });
    expect(guests(rt)).toEqual([]);
    expect(rt.backend.mail).toEqual([]);
    await holding;
    await hold.close();
    // The next transaction does not seat the guest who was told "busy".
    expect(jsonOf(await signUp(rt, 'Bob', 'bob@example.com'))).toMatchObject({ status: 'confirmed' });
    expect(guests(rt).map((g) => g.email)).toEqual(['bob@example.com']);
  });
});
