import { SeatRequest, decide, renumberWaitlist } from '../../src/core/keeper';
import { makeGuest } from './fixtures';
import { Guest, countGuests } from '../../src/core/model';
import { normalizeEmail } from '../../src/core/email';
import { parseSettings } from '../../src/core/settings';
import { checkSignup } from '../../src/core/signup';
import { cellText, oneLine } from '../../src/core/text';

const now = new Date('2026-11-25T10:00:00Z');
let n = 0;
const token = () => `t${++n}`;
const guest = (email: string, status: string, position: number | null = null, row = 2): Guest =>
  makeGuest(now, email, status, position, row);
const seat = (email: string, mode: SeatRequest['mode'] = 'seat'): SeatRequest => ({
  email,
  name: email,
  lane: 'form',
  mode,
});

describe('decide', () => {
  test('grants seats in request order while confirmed + offered < capacity, then waitlists in order', () => {
    const d = decide({
      guests: [guest('a@x.com', 'confirmed', null, 2), guest('b@x.com', 'offered', null, 3)],
      capacity: 4,
      requests: [seat('c@x.com'), seat('d@x.com'), seat('e@x.com'), seat('f@x.com')],
      now,
      newToken: token,
    });
    expect(d.outcomes.map((o) => [o.guest.email, o.result, o.position])).toEqual([
      ['c@x.com', 'confirmed', null],
      ['d@x.com', 'confirmed', null],
      ['e@x.com', 'waitlisted', 1],
      ['f@x.com', 'waitlisted', 2],
    ]);
    expect(d.counts).toMatchObject({ confirmed: 3, offered: 1, waitlisted: 2, seatsLeft: 0, overBy: 0 });
    expect(d.appended).toHaveLength(4);
    expect(d.updated).toEqual([]);
    expect(d.mail.map((m) => m.kind)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
  });

  test("a status the host typed that we don't know keeps its seat until the edit is settled", () => {
    // Found by the simulator (seed 183): the host types "maybe" over an offered guest while another
    // transaction runs first; that one must not hand the seat on, or the revert puts the event over its cap.
    const guests = [
      guest('a@x.com', 'confirmed', null, 2),
      guest('b@x.com', 'maybe', null, 3),
      guest('c@x.com', 'waitlisted', 1, 4),
    ];
    const other = decide({ guests, capacity: 2, requests: [seat('d@x.com')], now, newToken: token });
    expect(other.outcomes[0]).toMatchObject({ result: 'waitlisted', position: 2 });
    expect(other.updated.map((g) => g.status)).not.toContain('offered');
    // The host's edit settled (put back to offered): still two seats held, not three.
    const settled = decide({
      guests: [...guests.slice(0, 2), { ...guests[2] }],
      capacity: 2,
      requests: [
        { action: 'host-edit', email: 'b@x.com', token: 'tok-b@x.com', from: 'offered', to: 'maybe' },
      ],
      now,
      newToken: token,
    });
    expect(settled.counts).toMatchObject({ confirmed: 1, offered: 1, seatsLeft: 0 });
  });

  test('a duplicate gets its status back and changes nothing, also within one batch', () => {
    const d = decide({
      guests: [guest('a@x.com', 'waitlisted', 1)],
      capacity: 0,
      requests: [seat('a@x.com'), seat('b@x.com'), seat('b@x.com')],
      now,
      newToken: token,
    });
    expect(d.outcomes.map((o) => [o.result, o.position])).toEqual([
      ['already-waitlisted', 1],
      ['waitlisted', 2],
      ['already-waitlisted', 2],
    ]);
    expect(d.appended).toHaveLength(1);
    expect(d.log).toHaveLength(1);
  });

  test('a cancelled guest signing up again gets a new row and token; the old row and its links stay cancelled', () => {
    const old = guest('a@x.com', 'cancelled');
    const d = decide({
      guests: [old],
      capacity: 1,
      requests: [
        seat('a@x.com'),
        { action: 'cancel', token: old.token, lane: 'form' },
        { action: 'claim', token: old.token, lane: 'form' },
      ],
      now,
      newToken: token,
    });
    expect(d.outcomes.map((o) => [o.result, o.from])).toEqual([
      ['confirmed', 'new'],
      ['not-found', 'new'],
      ['not-found', 'new'],
    ]);
    expect(d.updated).toEqual([]);
    expect(d.appended.map((g) => [g.email, g.status, g.name])).toEqual([['a@x.com', 'confirmed', 'a@x.com']]);
    expect(d.appended[0].token).not.toBe(old.token);
    expect(d.log.map((l) => [l.from, l.to, l.detail])).toEqual([
      ['new', 'confirmed', 'signed up again after cancelling'],
    ]);
  });

  test('a cancelled RSVP replaced by a later one that was cancelled too: only the latest link still answers', () => {
    const first = { ...guest('a@x.com', 'cancelled', null, 2), token: 'first' };
    const second = { ...guest('a@x.com', 'cancelled', null, 3), token: 'second', created: now };
    const d = decide({
      guests: [first, second],
      capacity: 1,
      requests: [
        { action: 'cancel', token: 'first', lane: 'form' },
        { action: 'cancel', token: 'second', lane: 'form' },
      ],
      now,
      newToken: token,
    });
    expect(d.outcomes.map((o) => o.result)).toEqual(['not-found', 'already-cancelled']);
  });

  test('invites hold no seat; an invited guest asking for a seat confirms; an invite for a known guest is "already"', () => {
    const d = decide({
      guests: [guest('a@x.com', 'invited'), guest('b@x.com', 'confirmed', null, 3)],
      capacity: 2,
      requests: [seat('c@x.com', 'invite'), seat('a@x.com'), seat('b@x.com', 'invite'), seat('d@x.com')],
      now,
      newToken: token,
    });
    expect(d.outcomes.map((o) => o.result)).toEqual([
      'invited',
      'confirmed',
      'already-confirmed',
      'waitlisted',
    ]);
    expect(d.counts).toMatchObject({ invited: 1, confirmed: 2, waitlisted: 1 });
  });

  test('positions are repaired to 1..n in waiting order (gaps, repeats, blanks), and cleared off non-waitlisted rows', () => {
    const gs = [
      guest('a@x.com', 'waitlisted', 5, 2),
      guest('b@x.com', 'waitlisted', 2, 3),
      guest('c@x.com', 'waitlisted', 2, 4),
      guest('d@x.com', 'waitlisted', null, 5),
      guest('e@x.com', 'confirmed', 3, 6),
    ];
    const touched = new Set<Guest>();
    expect(renumberWaitlist(gs, touched)).toBe(4);
    expect(gs.map((g) => [g.email, g.position])).toEqual([
      ['a@x.com', 3],
      ['b@x.com', 2],
      ['c@x.com', 1], // tied with b at 2: the one who signed up first goes first
      ['d@x.com', 4],
      ['e@x.com', null],
    ]);
    expect([...touched].map((g) => g.email).sort()).toEqual(['a@x.com', 'c@x.com', 'd@x.com', 'e@x.com']);
  });

  test('a capacity below the confirmed count removes nobody and reports how far over it is', () => {
    const gs = [
      guest('a@x.com', 'confirmed', null, 2),
      guest('b@x.com', 'confirmed', null, 3),
      guest('c@x.com', 'confirmed', null, 4),
    ];
    const d = decide({ guests: gs, capacity: 1, requests: [seat('z@x.com')], now, newToken: token });
    expect(d.outcomes[0].result).toBe('waitlisted');
    expect(d.counts).toMatchObject({ confirmed: 3, seatsLeft: 0, overBy: 2 });
  });

  test('one seat per mailbox: Gmail dot, plus and googlemail variants get the existing guest back', () => {
    const d = decide({
      guests: [guest('ada@gmail.com', 'confirmed'), guest('bob@example.com', 'waitlisted', 1, 3)],
      capacity: 1,
      requests: [
        seat('a.da@gmail.com'),
        seat('ada+1@gmail.com'),
        seat('ada@googlemail.com'),
        seat('bob+party@example.com'),
      ],
      now,
      newToken: token,
    });
    expect(d.outcomes.map((o) => [o.result, o.guest.email, o.position])).toEqual([
      ['already-confirmed', 'ada@gmail.com', null],
      ['already-confirmed', 'ada@gmail.com', null],
      ['already-confirmed', 'ada@gmail.com', null],
      ['already-waitlisted', 'bob@example.com', 1],
    ]);
    expect(d.appended).toEqual([]);
    expect(d.mail).toEqual([]);
  });

  test('rows written before mailbox matching: two live spellings of one mailbox never count twice', () => {
    const d = decide({
      guests: [guest('ada@gmail.com', 'confirmed', null, 2), guest('a.da@gmail.com', 'waitlisted', 1, 3)],
      capacity: 1,
      requests: [seat('a.da@gmail.com'), seat('ada@gmail.com'), seat('ad.a@gmail.com')],
      now,
      newToken: token,
    });
    // The later row is marked a duplicate of the earlier one; every spelling answers for the kept row.
    expect(d.outcomes.map((o) => [o.result, o.guest.email])).toEqual([
      ['already-confirmed', 'ada@gmail.com'],
      ['already-confirmed', 'ada@gmail.com'],
      ['already-confirmed', 'ada@gmail.com'],
    ]);
    expect(d.updated.find((g) => g.email === 'a.da@gmail.com')).toMatchObject({
      status: 'duplicate',
      position: null,
      note: expect.stringContaining('Copy of row 2'),
    });
    expect(d.counts).toMatchObject({ confirmed: 1, waitlisted: 0, duplicate: 1 });
    expect(d.log).toContainEqual(
      expect.objectContaining({ email: 'a.da@gmail.com', from: 'waitlisted', to: 'duplicate' }),
    );
  });

  test('a cancel by email (the reply lane) finds the live row of an equivalent address, not an old cancelled one', () => {
    const old = { ...guest('ada@example.com', 'cancelled', null, 2), token: 'old' };
    const live = { ...guest('ada+x@example.com', 'confirmed', null, 3), token: 'live', created: now };
    const d = decide({
      guests: [old, live],
      capacity: 1,
      requests: [{ action: 'cancel', email: 'ada@example.com', lane: 'email' }],
      now,
      newToken: token,
    });
    expect(d.outcomes[0]).toMatchObject({ result: 'cancelled', guest: { token: 'live' } });
  });

  test('the host making an old cancelled row live again while the mailbox has a live RSVP is put back, with a note', () => {
    // The row already holds what the host typed (a second seat for one mailbox).
    const old = { ...guest('ada@example.com', 'confirmed', null, 2), token: 'old' };
    const live = { ...guest('ada@example.com', 'confirmed', null, 3), token: 'live' };
    const d = decide({
      guests: [old, live, guest('w@x.com', 'waitlisted', 1, 4)],
      capacity: 2,
      requests: [
        { action: 'host-edit', email: 'ada@example.com', token: 'old', from: 'cancelled', to: 'confirmed' },
      ],
      now,
      newToken: token,
    });
    expect(d.outcomes[0]).toMatchObject({ result: 'reverted', guest: { token: 'old', status: 'cancelled' } });
    expect(d.outcomes[0].guest.note).toMatch(
      /ada@example.com already has a live RSVP \(confirmed, row 3\): put back to cancelled/,
    );
    // The seat it seemed to take is free again, and goes to the waitlist.
    expect(d.updated.map((g) => [g.token, g.status])).toEqual([
      ['old', 'cancelled'],
      ['tok-w@x.com', 'offered'],
    ]);
    expect(d.log[0]).toMatchObject({
      from: 'confirmed',
      to: 'cancelled',
      detail: 'reverted: one RSVP per mailbox',
    });
  });

  test('a host edit is about the row edited (its token), not the first row of its mailbox', () => {
    const old = { ...guest('ada@example.com', 'cancelled', null, 2), token: 'old' };
    const live = { ...guest('ada@example.com', 'waitlisted', 1, 3), token: 'live' };
    const d = decide({
      guests: [old, live],
      capacity: 0,
      requests: [
        { action: 'host-edit', email: 'ada@example.com', token: 'live', from: 'confirmed', to: 'waitlisted' },
      ],
      now,
      newToken: token,
    });
    expect(d.outcomes[0]).toMatchObject({ result: 'host-edit', guest: { token: 'live' } });
    expect(d.mail.map((m) => [m.kind, m.guest.token])).toEqual([['waitlisted', 'live']]);
  });

  // Ada's row, and the host typing "confirmed" where the cell held "waitlisted".
  const typedConfirmed = (ada: Guest) =>
    decide({
      guests: [ada],
      capacity: 2,
      requests: [
        {
          action: 'host-edit',
          email: 'ada@example.com',
          token: 'tok-ada@example.com',
          from: 'waitlisted',
          to: 'confirmed',
        },
      ],
      now,
      newToken: token,
    });

  // From simulator seed 468414: the guest left the waitlist (read before the host typed, written
  // after), so the cell holds "cancelled", not the "confirmed" the host typed.
  test('a host edit another change wrote over is not logged as a move: the host is told on the row', () => {
    const d = typedConfirmed(guest('ada@example.com', 'cancelled', null, 2));
    expect(d.log.map((l) => [l.from, l.to])).toEqual([['cancelled', 'cancelled']]);
    expect(d.log[0].detail).toBe('edit to "confirmed" overtaken: the row was already cancelled');
    expect(d.mail).toEqual([]);
    expect(d.updated[0].note).toMatch(/^Your edit \("confirmed"\) was overtaken by another change/);
  });

  test('a note about an earlier hand edit goes once the host’s next edit stands', () => {
    const g = {
      ...guest('ada@example.com', 'confirmed', null, 2),
      note: '"maybe" is not a status (use …): put back to waitlisted.',
    };
    const d = typedConfirmed(g);
    expect(d.updated[0].note).toBe('');
    // A note of the host's own (or any other) stays.
    const own = { ...g, note: 'Vegan; sits with Bob' };
    const d2 = typedConfirmed(own);
    expect(d2.updated[0].note).toBe('Vegan; sits with Bob');
  });

  test('unknown statuses typed by the host are kept and counted nowhere', () => {
    expect(countGuests([guest('a@x.com', 'maybe?')], 3)).toMatchObject({ confirmed: 0, seatsLeft: 3 });
  });
});

describe('input checks', () => {
  test.each([
    ['  Ada@Example.COM ', 'ada@example.com'],
    ['mailto:ada@example.com', 'ada@example.com'],
    ['<ada@example.com>', 'ada@example.com'],
    ['ada+rsvp@example.co.uk', 'ada+rsvp@example.co.uk'],
    // Decomposed "é" (e + combining accent) is stored as the one-character form: one guest, not two.
    ['Jose\u0301@example.com', 'jos\u00e9@example.com'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
  ])('normalizes %j', (raw, email) => expect(normalizeEmail(raw)).toEqual({ ok: true, email }));

  test.each([
    ['', 'Please enter your email address.'],
    ['ada', 'That email address has no "@".'],
    ['ada@', 'That email address is missing the part after "@".'],
    ['@example.com', 'That email address is missing the part before "@".'],
    ['ada @example.com', 'That email address has a space in it.'],
    ['ada@gmail', 'That email address is missing its ending after "gmail", like ".com".'],
    [`${'a'.repeat(65)}@example.com`, 'The part before "@" is too long (64 characters at most).'],
    ['ada@localhost', 'That email address is missing its ending after "localhost", like ".com".'],
    ['ada@gmail.', "That doesn't look like an email address: check for typos."],
    ['ada..x@example.com', "That doesn't look like an email address: check for typos."],
    [`${'a'.repeat(250)}@example.com`, 'That email address is too long.'],
  ])('refuses %j', (raw, message) => expect(normalizeEmail(raw)).toEqual({ ok: false, message }));

  test('sign-up names are one line, bounded, required', () => {
    expect(checkSignup('  Ada \n Lovelace ', 'a@x.com')).toEqual({
      ok: true,
      name: 'Ada Lovelace',
      email: 'a@x.com',
    });
    expect(checkSignup('x'.repeat(201), 'a@x.com')).toMatchObject({
      ok: false,
      errors: { name: expect.stringMatching(/200/) },
    });
    expect(checkSignup(undefined, undefined)).toMatchObject({
      ok: false,
      errors: { name: expect.any(String), email: expect.any(String) },
    });
  });

  test('text for cells always carries the apostrophe; one-line text has no controls or bidi overrides', () => {
    expect(cellText('=1+1')).toBe("'=1+1");
    expect(cellText('')).toBe('');
    expect(oneLine('a\r\nb\t\u202ec\u0000')).toBe('a b c');
  });
});

describe('settings', () => {
  const base = { eventName: 'Party', capacity: 10, timeZone: 'Europe/Paris' };
  test('valid settings, with defaults', () => {
    const r = parseSettings(base, 'Europe/London');
    expect(r).toMatchObject({
      ok: true,
      settings: { eventName: 'Party', capacity: 10, timeZone: 'Europe/Paris', claimWindowHours: 24 },
    });
  });
  test.each([
    [{ capacity: -1 }, /Capacity must be a whole number/],
    [{ capacity: 2.5 }, /Capacity must be a whole number/],
    [{ capacity: '' }, /Capacity must be a whole number/],
    [{ eventName: ' ' }, /Event name is missing/],
    [{ timeZone: 'Mars/Base' }, /not a known time zone/],
    [{ startsAt: 'soon' }, /Starts at is not a date/],
    [{ startsAt: new Date('2026-12-02'), endsAt: new Date('2026-12-01') }, /Ends at is before Starts at/],
  ])('refuses %p', (patch, message) => {
    const r = parseSettings({ ...base, ...patch }, 'Europe/London');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join(' ')).toMatch(message);
  });
});
