/**
 * Reminders and quiet hours (issue 15), through the built bundle on the virtual clock: days of
 * trigger runs in modelled time, late sign-ups, cancels between reminders, a host's edit of the
 * place, overlapping and killed drains, the quota spent mid-slot, and quiet hours at their edges.
 */
import { Runtime } from '../../emulator/runtime';
import { isQuiet } from '../../src/core/quiet';
import { instantOf } from '../../src/core/zoned';
import {
  guestRecord,
  guests,
  jsonOf,
  logRows,
  outboxRows,
  setSetting,
  setUpRuntime,
  signUp,
  summary,
} from '../helpers';

let rt: Runtime;
afterEach(() => rt?.close());

const TZ = 'Europe/London';
const MIN = 60e3;
const london = (day: number, h: number, m = 0) =>
  instantOf({ year: 2026, month: 11, day, hour: h, minute: m }, TZ);
const EVENT = { 'Event name': 'Gala', 'Starts at': '2026-11-14 19:00', 'Time zone': TZ, Location: 'Hall A' };
const QUIET = { from: 21 * 60, to: 8 * 60, timeZone: TZ };

const row = (email: string) => guests(rt).find((g) => g.email === email)!;
const reminders = (email: string) =>
  rt.backend.mail.filter((m) => m.to === email && m.subject.startsWith('Reminder: '));

/** The 10-minute trigger, as Google's scheduler runs it, from `from` to `to`. */
async function everyTenMinutes(from: number, to: number) {
  for (let t = from; t <= to; t += 10 * MIN) await rt.runDueTriggers(t);
}

async function signUpAt(t: number, name: string) {
  rt.backend.advanceTo(t);
  return jsonOf(await signUp(rt, name, `${name}@example.com`));
}

describe('reminders', () => {
  test('each slot once, to whom it applies: late sign-ups get only the later ones, cancelled guests none, and never in quiet hours', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: EVENT }); // Monday 2 November, 10:00
    await signUp(rt, 'ann', 'ann@example.com');
    await signUp(rt, 'bob', 'bob@example.com');
    await everyTenMinutes(london(7, 8, 30), london(7, 10)); // the week-before slot: Saturday 7th 09:00
    expect(await signUpAt(london(8, 10), 'cy')).toMatchObject({ status: 'confirmed' });
    rt.backend.advanceTo(london(10, 12));
    await rt.postForm({ action: 'cancel', t: row('bob@example.com').token, format: 'json' });
    // The host moves the event to another hall: the next reminder says so.
    const loc = rt.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Location') + 1;
    rt.backend.advanceTo(london(12, 9));
    await rt.hostEdit('Settings', `B${loc}`, [['Hall B']]);
    // The day-before slot (Friday 13th 18:00), with two drains overlapping and one killed half-way.
    await everyTenMinutes(london(13, 17, 30), london(13, 17, 50));
    rt.backend.advanceTo(london(13, 18));
    await Promise.all([
      rt.run('sendQueuedEmails', [], { context: 'trigger' }),
      rt.run('sendQueuedEmails', [], { context: 'trigger', killAfterCalls: 25 }),
      rt.run('sendQueuedEmails', [], { context: 'trigger' }),
    ]);
    await everyTenMinutes(london(13, 18, 10), london(13, 19));
    expect(await signUpAt(london(13, 18, 5) + 60 * MIN, 'dee')).toMatchObject({ status: 'confirmed' });
    await everyTenMinutes(london(14, 7, 30), london(14, 9)); // the morning of: Saturday 14th 08:00
    expect(await signUpAt(london(14, 14), 'eve')).toMatchObject({ status: 'confirmed' }); // 5 hours ahead
    await everyTenMinutes(london(14, 14, 10), london(14, 19));

    const subjects = (e: string) => reminders(`${e}@example.com`).map((m) => m.subject);
    expect(subjects('ann')).toEqual([
      'Reminder: Gala is in 7 days',
      'Reminder: Gala is tomorrow (note what changed)',
      // Still changed since she confirmed: said again.
      'Reminder: Gala is today (note what changed)',
    ]);
    expect(subjects('bob')).toEqual(['Reminder: Gala is in 7 days']);
    expect(subjects('cy')).toEqual([
      'Reminder: Gala is tomorrow (note what changed)',
      'Reminder: Gala is today (note what changed)',
    ]);
    expect(subjects('dee')).toEqual(['Reminder: Gala is today']);
    expect(subjects('eve')).toEqual([]);
    const all = rt.backend.mail.filter((m) => m.subject.startsWith('Reminder: '));
    expect(all.filter((m) => isQuiet(m.at, QUIET))).toEqual([]);
    // What changed, the cancel link and the calendar file.
    const day = reminders('ann@example.com')[1];
    expect(day.body).toContain('Please note the new place: Hall B (it was Hall A).');
    expect(day.body).toMatch(/Cancel my RSVP: http:\/\/localhost:8080\/exec\?action=cancel&t=[0-9a-f-]{36}/);
    expect(day.attachments?.[0]?.name).toBe('invite.ics');
    // The calendar file replaces the one saved before: the same UID, a higher SEQUENCE (RFC 5545).
    const ics = (m: { attachments?: Array<{ data: string }> }) =>
      Buffer.from(m.attachments?.[0]?.data ?? '', 'base64').toString('utf8');
    const week = reminders('ann@example.com')[0];
    expect(ics(week)).toMatch(/\r\nMETHOD:PUBLISH\r\n/);
    const sequence = (m: typeof week) => Number(/\r\nSEQUENCE:(\d+)\r\n/.exec(ics(m))?.[1]);
    expect(sequence(day)).toBe(sequence(week) + 1);
    expect(/UID:(.*)\r\n/.exec(ics(day))?.[1]).toBe(/UID:(.*)\r\n/.exec(ics(week))?.[1]);
    expect(day.body).toContain('The attached invite.ics replaces the one you may have saved.');
    // Dee confirmed after the move: nothing changed for her.
    expect(reminders('dee@example.com')[0].body).not.toContain('Please note');
    // Each reminder's Log row, one per guest and slot.
    const logged = logRows(rt)
      .filter((r) => r.detail.startsWith('reminder: '))
      .map((r) => `${r.email} ${r.detail}`);
    expect(new Set(logged).size).toBe(logged.length);
    expect(logged).toHaveLength(7);
  });

  test('the quota spent mid-slot: the host is warned first, the slot starts at 08:00, nothing fails and nobody gets a slot twice', async () => {
    rt = await setUpRuntime({ capacity: 20, settings: EVENT, backend: { mailQuotaPerDay: 12 } });
    for (let i = 0; i < 8; i++) await signUp(rt, `g${i}`, `g${i}@example.com`);
    setSetting(rt, 'Reminder a week before', 'off');
    // Friday: a day with 8 reminders due at 18:00 and only 5 emails left after the morning's mail.
    rt.backend.advanceTo(london(13, 7));
    for (let i = 8; i < 15; i++) await signUp(rt, `h${i}`, `h${i}@example.com`);
    await rt.runDueTriggers(london(13, 7, 50));
    expect(String(summary(rt).Status)).toMatch(
      /Reminders: 15 to send in the next 24 hours but only 5 emails left/,
    );
    // The dashboard shows the same forecast.
    const board = (await rt.run('dashboardData', [], { context: 'editor' })).result as { warnings: string[] };
    expect(board.warnings).toContainEqual(
      expect.stringMatching(/^Reminders: 15 to send in the next 24 hours/),
    );
    await everyTenMinutes(london(13, 8), london(13, 19));
    await everyTenMinutes(london(14, 7), london(14, 10));
    expect(outboxRows(rt).filter((r) => r.status === 'failed')).toEqual([]);
    const sent = rt.backend.mail.filter((m) => m.subject.startsWith('Reminder: '));
    expect(sent.length).toBeGreaterThan(0);
    // The early ones went at 08:00 on the slot's day, not at 18:00 or in the night.
    expect(Math.min(...sent.map((m) => m.at))).toBeLessThan(london(13, 9));
    expect(sent.filter((m) => isQuiet(m.at, QUIET))).toEqual([]);
    const perGuestAndSubject = new Set(sent.map((m) => `${m.to} ${m.subject}`));
    expect(perGuestAndSubject.size).toBe(sent.length);
    // Never more than a day's quota.
    expect(
      rt.backend.mail.filter((m) => m.at >= london(13, 7, 50) && m.at < london(14, 7, 50)).length,
    ).toBeLessThanOrEqual(12);
  });
});

describe('quiet hours at their edges (21:00-08:00, event time zone)', () => {
  async function fullWithOneWaiting() {
    rt = await setUpRuntime({ capacity: 1, settings: EVENT });
    await signUp(rt, 'ann', 'ann@example.com');
    await signUp(rt, 'bob', 'bob@example.com');
  }
  const offers = () =>
    rt.backend.mail.filter((m) => m.to === 'bob@example.com' && /^A seat opened up/.test(m.subject));

  test('a seat freed at 20:59 is offered by email at once', async () => {
    await fullWithOneWaiting();
    rt.backend.advanceTo(london(3, 20, 59));
    await rt.postForm({ action: 'cancel', t: row('ann@example.com').token, format: 'json' });
    expect(offers()).toHaveLength(1);
    expect(isQuiet(offers()[0].at, QUIET)).toBe(false);
  });

  test('a seat freed at 21:00: the guest who cancelled is answered at once, the offer waits until 08:00 and its window starts then', async () => {
    await fullWithOneWaiting();
    rt.backend.advanceTo(london(3, 21));
    await rt.postForm({ action: 'cancel', t: row('ann@example.com').token, format: 'json' });
    expect(
      rt.backend.mail.filter((m) => m.to === 'ann@example.com' && /cancelled/.test(m.subject)),
    ).toHaveLength(1);
    expect(row('bob@example.com').status).toBe('offered');
    expect(offers()).toHaveLength(0);
    await everyTenMinutes(london(3, 21, 10), london(4, 7, 59));
    expect(offers()).toHaveLength(0);
    await rt.runDueTriggers(london(4, 8));
    expect(offers()).toHaveLength(1);
    // 24 waking hours from 08:00 Wednesday: 13 on Wednesday, 11 on Thursday.
    const expires = guestRecord(rt, 'bob@example.com')!['Offer expires'] as Date;
    expect(expires.getTime()).toBe(london(5, 19));
    expect(offers()[0].body).toContain('Thursday 5 November at 19:00');
    // It runs out at that deadline, not before.
    await everyTenMinutes(london(5, 18, 50), london(5, 19, 10));
    expect(row('bob@example.com').status).toBe('cancelled');
  });
});

test('an import at 22:00: the host is told the emails wait, the guests get them at 08:00, not before', async () => {
  rt = await setUpRuntime({ capacity: 5, settings: EVENT });
  rt.backend.advanceTo(london(2, 22));
  await rt.hostEdit('Import', 'A2:B3', [
    ['Ann', 'ann@example.com'],
    ['Bob', 'bob@example.com'],
  ]);
  const r = await rt.run('importPending', [], { context: 'editor' });
  expect(String(r.result)).toMatch(/Emails from this import: 0 sent, 2 held by quiet hours \(Settings\)\./);
  expect(rt.backend.mail.filter((m) => /invited/.test(m.subject))).toHaveLength(0);
  // The host clears the Outbox and asks for invites again: owed again, queued again, and said so.
  await rt.hostDeleteRows('Outbox', 2, 2);
  expect(String((await rt.run('sendInvites', [], { context: 'editor' })).result)).toBe(
    'Invites for 2 invited guest(s) who had none yet are queued: it is quiet hours, so they go at 08:00.',
  );
  await everyTenMinutes(london(2, 22, 10), london(3, 7, 50));
  expect(rt.backend.mail.filter((m) => /invited/.test(m.subject))).toHaveLength(0);
  await rt.runDueTriggers(london(3, 8));
  expect(rt.backend.mail.filter((m) => /invited/.test(m.subject)).map((m) => m.to)).toEqual([
    'ann@example.com',
    'bob@example.com',
  ]);
});

test('the dashboard lists the reminder slots in the event time zone, the ones past marked, and the quiet hours', async () => {
  rt = await setUpRuntime({ capacity: 5, settings: { ...EVENT, 'Reminder on the day': 'off' } });
  rt.backend.advanceTo(london(8, 12));
  const board = (await rt.run('dashboardData', [], { context: 'editor' })).result as { reminders: string[] };
  expect(board.reminders).toEqual([
    'A week before: Sat 7 Nov, 09:00 (due: sent to those confirmed before it)',
    'The day before: Fri 13 Nov, 18:00',
    'Quiet hours: 21:00–08:00',
  ]);
});

describe('the kill sweep: the reminder run killed at every call', () => {
  const SOON = { ...EVENT, 'Starts at': '2026-11-03 19:00' }; // the day-before slot: Monday 18:00
  async function ready(onKill: 'discard' | 'commit') {
    rt = await setUpRuntime({ capacity: 5, settings: SOON, backend: { onKill } });
    for (const n of ['ann', 'bob', 'cy']) await signUp(rt, n, `${n}@example.com`);
    rt.backend.advanceTo(london(2, 18));
  }
  const drain = (opts = {}) => rt.run('sendQueuedEmails', [], { context: 'trigger', ...opts });

  test.each(['discard', 'commit'] as const)(
    'each guest still gets the reminder once (twice only if the dead run sent it before recording it), unflushed writes: %s',
    async (onKill) => {
      await ready(onKill);
      const total = Object.values((await drain()).calls).reduce((a, b) => a + b, 0);
      await rt.close();
      for (let k = 1; k < total; k++) {
        await ready(onKill);
        const dead = await drain({ killAfterCalls: k });
        expect(dead.killed).toBe(true);
        const byDead = new Set(rt.backend.mail.filter((m) => m.execId === dead.execId).map((m) => m.to));
        // The next runs: at once, and past the 10 minutes after which a dead sender's rows are taken over.
        await drain();
        rt.backend.advanceTo(rt.backend.now() + 11 * MIN);
        await drain();
        for (const who of ['ann', 'bob', 'cy']) {
          const email = `${who}@example.com`;
          const n = reminders(email).length;
          const where = `killed at call ${k} of ${total}: ${email}`;
          expect([where, n === 1 || (n === 2 && byDead.has(email)) ? 'once' : `${n}`]).toEqual([
            where,
            'once',
          ]);
        }
        await rt.close();
      }
    },
    120000,
  );
});
