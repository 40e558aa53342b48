/**
 * Mail that could be used against a guest (issue 10), through the built bundle: the greeting, the
 * calendar file, the buttons and the deadline, the cancel page, and what the guest is told.
 */
import { Runtime } from '../../emulator/runtime';
import { checkInvariants, guests, htmlOf, jsonOf, outboxRows, setUpRuntime, signUp } from '../helpers';

const EVENT = {
  'Event name': 'Winter Social',
  'Starts at': '2027-01-15 19:00',
  'Time zone': 'America/New_York',
};
/** 10:00 in New York: outside the event's quiet hours, so the host's edits and offers email at once. */
const NY_MORNING = { startAt: Date.UTC(2026, 10, 2, 15, 0) };
const mailsTo = (rt: Runtime, email: string) => rt.backend.mail.filter((m) => m.to === email);
const icsOf = (m: { attachments?: Array<{ data: string }> }) =>
  Buffer.from(m.attachments?.[0]?.data ?? '', 'base64').toString('utf8');
const byEmail = (rt: Runtime, email: string) => guests(rt).find((g) => g.email === email)!;

describe('mail that could be used against a guest', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('a "name" that is a sentence with a link behind Braille blanks never reaches the greeting', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    const spam =
      'there!\u2800Your\u2800seat\u2800needs\u2800a\u2800deposit:\u2800pay\u2800at\u2800https://evil.example/pay';
    expect(jsonOf(await signUp(rt, spam, 'ada@example.com'))).toMatchObject({ status: 'confirmed' });
    // Stored as the text it is (blank look-alikes are spaces now), for the host to see.
    expect(guests(rt)[0].name).toBe('there! Your seat needs a deposit: pay at https://evil.example/pay');
    const [mail] = mailsTo(rt, 'ada@example.com');
    expect(mail.body.split('\n')[0]).toBe('Hi there,');
    expect(mail.body).not.toContain('evil.example');
    expect(mail.htmlBody).not.toContain('evil.example');
    // A name of invisible characters only is no name.
    expect(jsonOf(await signUp(rt, '\u200b\u2800\u3164\u202e', 'bob@example.com'))).toMatchObject({
      status: 'invalid',
      errors: { name: 'Please enter your name.' },
    });
    // An ordinary name still greets.
    await signUp(rt, 'Grace Hopper', 'grace@example.com');
    expect(mailsTo(rt, 'grace@example.com')[0].body.split('\n')[0]).toBe('Hi Grace,');
  });

  test("the calendar file's UID is not the token, it links to the event page, and it stays the same on an update", async () => {
    rt = await setUpRuntime({ capacity: 5, settings: EVENT, backend: NY_MORNING });
    await signUp(rt, 'Ada', 'ada@example.com');
    const { token, row } = byEmail(rt, 'ada@example.com');
    const first = icsOf(mailsTo(rt, 'ada@example.com')[0]);
    const uid = /UID:(.*)\r\n/.exec(first)?.[1];
    expect(uid).toMatch(/^[0-9a-f]{32}@sheet-rsvp$/);
    expect(first).not.toContain(token);
    expect(first).not.toMatch(/action=cancel/);
    expect(first).toContain('URL;VALUE=URI:http://localhost:8080/exec\r\n');
    // The host moves Ada to the waitlist and back: a second confirmation, the same calendar event.
    await rt.hostEdit('Guests', `C${row}`, [['waitlisted']]);
    await rt.hostEdit('Guests', `C${row}`, [['confirmed']]);
    const confirmations = mailsTo(rt, 'ada@example.com').filter((m) => /^You're in/.test(m.subject));
    expect(confirmations).toHaveLength(2);
    expect(/UID:(.*)\r\n/.exec(icsOf(confirmations[1]))?.[1]).toBe(uid);
    // Another guest, another UID.
    await signUp(rt, 'Bob', 'bob@example.com');
    expect(icsOf(mailsTo(rt, 'bob@example.com')[0])).not.toContain(`UID:${uid}`);
  });

  test('the offer email: a claim button, and the deadline in bold in the event’s time zone', async () => {
    rt = await setUpRuntime({ capacity: 1, settings: EVENT, backend: NY_MORNING });
    await signUp(rt, 'Ada', 'ada@example.com');
    await signUp(rt, 'Alan', 'alan@example.com');
    await rt.postForm({ action: 'cancel', t: byEmail(rt, 'ada@example.com').token, format: 'json' });
    const offer = mailsTo(rt, 'alan@example.com').at(-1)!;
    expect(offer.subject).toMatch(/^A seat opened up/);
    expect(offer.htmlBody).toMatch(
      /Claim it by <strong>\w+day \d+ \w+ at \d\d:\d\d \(EST\)<\/strong>, or it goes to the next person/,
    );
    expect(offer.htmlBody).toMatch(
      /<td bgcolor="#1a5fb4" style="padding:12px 24px;[^"]*"><a href="http:\/\/localhost:8080\/exec\?action=claim&#38;t=[0-9a-f-]{36}" style="display:inline-block;[^"]*line-height:20px[^"]*">Claim my seat<\/a>/,
    );
  });

  test('the cancel page says whose RSVP it is and offers to keep the seat, which changes nothing', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Ada Lovelace', 'ada.lovelace@example.com');
    await signUp(rt, 'Alan', 'alan@example.com');
    const ada = byEmail(rt, 'ada.lovelace@example.com').token;
    const page = htmlOf(await rt.web('GET', { action: 'cancel', t: ada }));
    expect(page).toContain('This is the RSVP of Ada Lovelace (a•••@example.com).');
    expect(page).not.toContain('ada.lovelace@');
    expect(page).toMatch(
      /value="status">\s*<input type="hidden" name="t" value="[^"]+">\s*<button[^>]*>No, keep my seat</,
    );
    const kept = htmlOf(await rt.postForm({ action: 'status', t: ada }));
    expect(kept).toContain('You&#39;re confirmed.');
    expect(kept).toContain('See you there!');
    // The waitlisted guest's cancel page: leave, or keep the place.
    const alanPage = htmlOf(
      await rt.web('GET', { action: 'cancel', t: byEmail(rt, 'alan@example.com').token }),
    );
    expect(alanPage).toContain(
      'This is the RSVP of Alan (a•••@example.com). Do you want to leave the waitlist?',
    );
    expect(alanPage).toContain('No, keep my place');
    expect(guests(rt).map((g) => g.status)).toEqual(['confirmed', 'waitlisted']);
    expect(rt.backend.mail).toHaveLength(2);
  });

  test('a cancel when the event is full does not invite a sign-up again (page, JSON and email); with room it does', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    await signUp(rt, 'Ada', 'ada@example.com');
    await signUp(rt, 'Alan', 'alan@example.com');
    const page = htmlOf(await rt.postForm({ action: 'cancel', t: byEmail(rt, 'ada@example.com').token }));
    expect(page).toContain('Your RSVP is cancelled.');
    expect(page).not.toMatch(/sign up again|Back to the sign-up form/i);
    const note = mailsTo(rt, 'ada@example.com').at(-1)!;
    expect(note.subject).toMatch(/^You're cancelled/);
    expect(note.body).not.toMatch(/sign up again/i);
    const again = jsonOf(
      await rt.postForm({ action: 'cancel', t: byEmail(rt, 'ada@example.com').token, format: 'json' }),
    );
    expect(again).toMatchObject({ status: 'already-cancelled', detail: '' });
    // Alan declines the offer: still full? No: nobody else waits, so now there is room.
    const declined = jsonOf(
      await rt.postForm({ action: 'decline', t: byEmail(rt, 'alan@example.com').token, format: 'json' }),
    );
    expect(declined).toMatchObject({ status: 'declined' });
    await signUp(rt, 'Grace', 'grace@example.com');
    const cancelled = jsonOf(
      await rt.postForm({ action: 'cancel', t: byEmail(rt, 'grace@example.com').token, format: 'json' }),
    );
    expect(cancelled.detail).toBe("We've sent a note to grace@example.com. You can sign up again any time.");
    expect(mailsTo(rt, 'grace@example.com').at(-1)!.body).toMatch(
      /Sign up again: http:\/\/localhost:8080\/exec/,
    );
    checkInvariants(rt, 1);
  });

  test('when the email could only be queued (quota spent), the answer says "we\'ll email you"', async () => {
    rt = await setUpRuntime({ capacity: 1, backend: { mailQuotaPerDay: 1 } });
    expect(jsonOf(await signUp(rt, 'Ada', 'ada@example.com'))).toMatchObject({
      status: 'confirmed',
      detail: "We've sent a confirmation to ada@example.com.",
    });
    expect(jsonOf(await signUp(rt, 'Alan', 'alan@example.com'))).toMatchObject({
      status: 'waitlisted',
      detail:
        "We'll email alan@example.com as soon as we can, and send a link to claim a seat if one frees up.",
    });
    const cancel = jsonOf(
      await rt.postForm({ action: 'cancel', t: byEmail(rt, 'ada@example.com').token, format: 'json' }),
    );
    expect(cancel.detail).toBe("We'll send a note to ada@example.com.");
    expect(rt.backend.mail).toHaveLength(1);
    expect(outboxRows(rt).map((r) => [r.kind, r.status])).toEqual([
      ['confirmed', 'sent'],
      ['waitlisted', 'queued'],
      ['cancelled', 'queued'],
      ['offered', 'queued'],
    ]);
  });
});
