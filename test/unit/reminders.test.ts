/** Quiet hours, claim windows in waking time and reminder planning: the pure rules, at their edges. */
import { LoggedChange } from '../../src/core/log-replay';
import { Guest } from '../../src/core/model';
import { QuietHours, awakeDeadline, isQuiet, quietEnd } from '../../src/core/quiet';
import {
  DEFAULT_SLOTS,
  MAX_PER_RUN,
  ReminderPlanInput,
  parseSlot,
  planReminders,
  slotTime,
} from '../../src/core/reminders';
import { parseSettings } from '../../src/core/settings';
import { instantOf, plusDays, wallAt } from '../../src/core/zoned';

const H = 3600e3;
const at = (tz: string, y: number, mo: number, d: number, h: number, mi = 0) =>
  instantOf({ year: y, month: mo, day: d, hour: h, minute: mi }, tz);
const local = (t: number, tz: string) => {
  const w = wallAt(t, tz);
  return `${w.year}-${w.month}-${w.day} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
};
const quiet = (timeZone: string): QuietHours => ({ from: 21 * 60, to: 8 * 60, timeZone });

describe('wall clock in a time zone', () => {
  test.each([
    ['Europe/London', 2026, 3, 29, 12, Date.UTC(2026, 2, 29, 11)], // after spring forward (BST)
    ['Europe/London', 2026, 10, 25, 12, Date.UTC(2026, 9, 25, 12)], // after fall back (GMT)
    ['America/New_York', 2026, 3, 8, 12, Date.UTC(2026, 2, 8, 16)], // EDT
    ['America/New_York', 2026, 11, 1, 12, Date.UTC(2026, 10, 1, 17)], // EST
  ])('%s %i-%i-%i %i:00 is the right instant', (tz, y, mo, d, h, want) => {
    expect(at(tz, y, mo, d, h)).toBe(want);
    expect(local(want, tz)).toBe(`${y}-${mo}-${d} ${h}:00`);
  });

  test('a time skipped by spring forward lands an hour later; a repeated one is the first', () => {
    expect(local(at('Europe/London', 2026, 3, 29, 1, 30), 'Europe/London')).toBe('2026-3-29 02:30');
    expect(at('Europe/London', 2026, 10, 25, 1, 30)).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });
});

describe('quiet hours (default 21:00-08:00, event time zone)', () => {
  test.each(['Europe/London', 'America/New_York'])('edges in %s on both daylight-saving nights', (tz) => {
    const nights: Array<[number, number, number]> =
      tz === 'Europe/London'
        ? [
            [2026, 3, 28],
            [2026, 10, 24],
          ]
        : [
            [2026, 3, 7],
            [2026, 10, 31],
          ];
    for (const [y, mo, d] of nights) {
      const q = quiet(tz);
      expect(isQuiet(at(tz, y, mo, d, 20, 59), q)).toBe(false);
      expect(isQuiet(at(tz, y, mo, d, 21, 0), q)).toBe(true);
      const next = plusDays({ year: y, month: mo, day: d, hour: 0, minute: 0 }, 1);
      expect(isQuiet(at(tz, next.year, next.month, next.day, 7, 59), q)).toBe(true);
      expect(isQuiet(at(tz, next.year, next.month, next.day, 8, 0), q)).toBe(false);
      // The night is an hour shorter or longer, but ends at 08:00 local either way.
      expect(local(quietEnd(at(tz, y, mo, d, 21, 0), q), tz)).toBe(
        `${next.year}-${next.month}-${next.day} 08:00`,
      );
      expect(quietEnd(at(tz, y, mo, d, 20, 59), q)).toBe(at(tz, y, mo, d, 20, 59));
    }
  });

  test('off, or a daytime span', () => {
    expect(isQuiet(Date.UTC(2026, 0, 1, 23), null)).toBe(false);
    const day: QuietHours = { from: 12 * 60, to: 14 * 60, timeZone: 'UTC' };
    expect(isQuiet(Date.UTC(2026, 0, 1, 12), day)).toBe(true);
    expect(isQuiet(Date.UTC(2026, 0, 1, 14), day)).toBe(false);
  });
});

describe('a claim window counts waking hours only', () => {
  const tz = 'Europe/London';
  const q = quiet(tz);
  test('an offer at 20:30 with a 2-hour window runs until 09:30 the next morning', () => {
    expect(local(awakeDeadline(at(tz, 2026, 6, 1, 20, 30), 2 * H, q), tz)).toBe('2026-6-2 09:30');
  });
  test('across the autumn change the night is 12 hours long, and still not counted', () => {
    const d = awakeDeadline(at(tz, 2026, 10, 24, 20, 30), 2 * H, q);
    expect(local(d, tz)).toBe('2026-10-25 09:30');
    expect(d - at(tz, 2026, 10, 24, 20, 30)).toBe(14 * H);
  });
  test('one made in quiet hours starts counting at their end; one that would end at 21:00 ends at 08:00', () => {
    expect(local(awakeDeadline(at(tz, 2026, 6, 1, 23), H, q), tz)).toBe('2026-6-2 09:00');
    expect(local(awakeDeadline(at(tz, 2026, 6, 1, 20), H, q), tz)).toBe('2026-6-2 08:00');
  });
  test('never past the start; with quiet hours off, the plain window', () => {
    const start = at(tz, 2026, 6, 2, 8, 30);
    expect(awakeDeadline(at(tz, 2026, 6, 1, 20, 30), 2 * H, q, start)).toBe(start);
    expect(awakeDeadline(1000, 2 * H, null)).toBe(1000 + 2 * H);
  });
});

describe('reminder slots', () => {
  const tz = 'America/New_York';
  const start = at(tz, 2026, 11, 7, 19); // Saturday 19:00, the week after the clocks went back
  test('a week before at 09:00, the day before at 18:00, the morning of at 08:00, in the event zone', () => {
    expect(local(slotTime(DEFAULT_SLOTS.week, start, tz)!, tz)).toBe('2026-10-31 09:00');
    expect(local(slotTime(DEFAULT_SLOTS.day, start, tz)!, tz)).toBe('2026-11-6 18:00');
    expect(local(slotTime(DEFAULT_SLOTS.morning, start, tz)!, tz)).toBe('2026-11-7 08:00');
  });
  test('an event less than 4 hours after 08:00 gets its morning reminder 2 hours before', () => {
    expect(local(slotTime(DEFAULT_SLOTS.morning, at(tz, 2026, 11, 7, 11), tz)!, tz)).toBe('2026-11-7 09:00');
    expect(local(slotTime(DEFAULT_SLOTS.morning, at(tz, 2026, 11, 7, 12), tz)!, tz)).toBe('2026-11-7 08:00');
  });
  test('a slot at or after the start does not exist', () => {
    expect(slotTime(DEFAULT_SLOTS.day, at(tz, 2026, 11, 7, 0, 30), tz)).not.toBeNull();
    expect(slotTime({ key: 'day', daysBefore: 0, at: 20 * 60 }, start, tz)).toBeNull();
  });
  test('typed settings: moved, off, blank, and a typo (flagged, the default kept, registration open)', () => {
    expect(parseSlot('week', '3 days before at 10:30')).toEqual({ key: 'week', daysBefore: 3, at: 630 });
    expect(parseSlot('day', '17:00')).toEqual({ key: 'day', daysBefore: 1, at: 1020 });
    expect(parseSlot('morning', 'off')).toBeNull();
    expect(parseSlot('morning', '')).toEqual(DEFAULT_SLOTS.morning);
    const r = parseSettings(
      { eventName: 'E', capacity: 5, reminderDay: 'teatime', quietHours: '22:00 to 07:00' },
      'Europe/London',
    );
    expect(r.ok).toBe(true);
    expect(r.flags.reminderDay).toMatch(/"teatime" is not a reminder time .*Using the default/);
    expect(r.settings.reminders).toContainEqual(DEFAULT_SLOTS.day);
    expect(r.settings.quietHours).toEqual({ from: 22 * 60, to: 7 * 60, timeZone: 'Europe/London' });
    expect(
      parseSettings({ eventName: 'E', capacity: 5, quietHours: 'off' }, 'UTC').settings.quietHours,
    ).toBeNull();
  });
});

describe('who gets which reminder', () => {
  const tz = 'Europe/London';
  const start = new Date(at(tz, 2026, 6, 13, 19)); // Saturday 13 June 19:00
  const week = at(tz, 2026, 6, 6, 9);
  const day = at(tz, 2026, 6, 12, 18);
  const guest = (email: string, status = 'confirmed'): Guest => ({
    row: 2,
    email,
    name: email,
    status,
    position: null,
    source: 'form',
    created: null,
    updated: null,
    offerExpires: null,
    note: '',
    token: `t-${email}`,
    party: 1,
  });
  const confirmed = (email: string, t: number): LoggedChange => ({
    email,
    from: 'new',
    to: 'confirmed',
    detail: '',
    when: new Date(t),
  });
  const plan = (over: Partial<ReminderPlanInput>) =>
    planReminders({
      guests: [],
      log: [],
      slots: Object.values(DEFAULT_SLOTS),
      startsAt: start,
      timeZone: tz,
      quiet: quiet(tz),
      now: new Date(week),
      mailQuota: null,
      queuedReminders: 0,
      facts: { startsAt: start.toISOString(), location: '' },
      ...over,
    });
  const early = at(tz, 2026, 6, 1, 10);

  test('due at the slot, not a minute before; once (the Log row counts it)', () => {
    const input = { guests: [guest('a@x.org')], log: [confirmed('a@x.org', early)] };
    expect(plan({ ...input, now: new Date(week - 60e3) }).mail).toEqual([]);
    const p = plan(input);
    expect(p.mail.map((m) => m.guest.email)).toEqual(['a@x.org']);
    expect(p.log[0].detail).toBe('reminder: a week before');
    const told = { ...confirmed('a@x.org', week), from: 'confirmed', detail: p.log[0].detail };
    expect(plan({ ...input, log: [...input.log, told] }).mail).toEqual([]);
  });

  // Issue 27: the triggers first ran 36 hours before the start; the missed week-before reminder went
  // out late saying "tomorrow", and then the day-before one said it again.
  test('a passed slot gives way to a later one due within a day: one "tomorrow", not two', () => {
    const input = { guests: [guest('a@x.org')], log: [confirmed('a@x.org', early)] };
    const thirtySix = start.getTime() - 36 * H;
    expect(plan({ ...input, now: new Date(thirtySix) }).mail).toEqual([]);
    const atDay = plan({ ...input, now: new Date(day) });
    expect(atDay.log.map((l) => l.detail)).toEqual(['reminder: the day before']);
    // Missed by days, not hours: the late one still goes ("in 5 days"), the later slots after it.
    const late = plan({ ...input, now: new Date(week + 2 * 24 * H) });
    expect(late.log.map((l) => l.detail)).toEqual(['reminder: a week before']);
  });

  test('confirmed after a slot passed: only the later ones; cancelled or waiting: none', () => {
    const p = plan({
      guests: [guest('late@x.org'), guest('gone@x.org', 'cancelled'), guest('w@x.org', 'waitlisted')],
      log: [confirmed('late@x.org', week + 60e3)],
      now: new Date(day),
    });
    expect(p.mail.map((m) => [m.guest.email, p.log[0].detail])).toEqual([
      ['late@x.org', 'reminder: the day before'],
    ]);
    // Signed up 5 hours before the start: the morning's reminder had passed, and there is no later one.
    const fiveAhead = start.getTime() - 5 * H;
    expect(
      plan({
        guests: [guest('b@x.org')],
        log: [confirmed('b@x.org', fiveAhead)],
        now: new Date(fiveAhead + 60e3),
      }).mail,
    ).toEqual([]);
  });

  test('at most MAX_PER_RUN are queued per transaction; the next run plans the rest', () => {
    const many = Array.from({ length: MAX_PER_RUN + 5 }, (_, i) => guest(`g${i}@x.org`));
    const log = many.map((g) => confirmed(g.email, early));
    const first = plan({ guests: many, log });
    expect(first.mail).toHaveLength(MAX_PER_RUN);
    const told = first.log.map((l) => ({ ...l, when: new Date(week) }));
    expect(plan({ guests: many, log: [...log, ...told] }).mail.map((m) => m.guest.email)).toEqual(
      many.slice(MAX_PER_RUN).map((g) => g.email),
    );
  });

  test('when the script was off over two slots, only the latest goes', () => {
    const p = plan({
      guests: [guest('a@x.org')],
      log: [confirmed('a@x.org', early)],
      now: new Date(day + H),
    });
    expect(p.log.map((l) => l.detail)).toEqual(['reminder: the day before']);
  });

  test('a slot that will not fit in the quota starts at its day’s first waking hour, and the host is warned', () => {
    const many = Array.from({ length: 30 }, (_, i) => guest(`g${i}@x.org`));
    const log = many.map((g) => confirmed(g.email, week + H)); // after the week's slot
    const morning = new Date(at(tz, 2026, 6, 12, 8)); // the day-before slot is at 18:00
    expect(plan({ guests: many, log, now: morning, mailQuota: 100 }).mail).toEqual([]);
    const short = plan({ guests: many, log, now: morning, mailQuota: 20 });
    expect(short.mail).toHaveLength(30);
    expect(short.warnings[0]).toMatch(/^Reminders: 30 to send in the next 24 hours but only 20 emails left/);
    // Before the day's quiet hours end it does not start.
    expect(plan({ guests: many, log, now: new Date(morning.getTime() - 60e3), mailQuota: 20 }).mail).toEqual(
      [],
    );
  });

  test('what changed since the guest confirmed travels with the reminder', () => {
    const facts = (startsAt: string, location: string, t: number): LoggedChange => ({
      email: '',
      from: '',
      to: '',
      detail: `event time and place: ${JSON.stringify({ startsAt, location })}`,
      when: new Date(t),
    });
    const log = [
      facts(start.toISOString(), 'Hall A', early - H),
      confirmed('a@x.org', early),
      facts(start.toISOString(), 'Hall B', early + H),
    ];
    const p = plan({
      guests: [guest('a@x.org')],
      log,
      facts: { startsAt: start.toISOString(), location: 'Hall B' },
    });
    expect(JSON.parse(p.mail[0].about)).toEqual({ startsAt: start.toISOString(), location: 'Hall A' });
    const same = plan({
      guests: [guest('a@x.org')],
      log,
      facts: { startsAt: start.toISOString(), location: 'Hall A' },
    });
    expect(same.mail[0].about).toBe('');
  });
});
