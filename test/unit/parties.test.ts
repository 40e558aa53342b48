/** Parties in the keeper's decision (pure): seats, not rows; the first party that fits; strict order. */
import { Policy, decide } from '../../src/core/keeper';
import { Guest } from '../../src/core/model';
import { parseSettings } from '../../src/core/settings';
import { checkParty } from '../../src/core/signup';

const now = new Date('2026-11-25T10:00:00Z');
const g = (email: string, status: string, party: number, position: number | null = null): Guest => ({
  row: 0,
  email,
  name: email,
  status,
  position,
  source: 'form',
  created: now,
  updated: null,
  offerExpires: null,
  note: '',
  token: `t-${email}`,
  party,
});
const policy = (over: Partial<Policy> = {}): Policy => ({
  claimWindowMs: 3600e3,
  startsAt: null,
  expiredTo: 'cancelled',
  largestParty: 4,
  ...over,
});
const run = (guests: Guest[], requests: Parameters<typeof decide>[0]['requests'] = [], over = {}) =>
  decide({
    guests: guests.map((x, i) => ({ ...x, row: i + 2 })),
    capacity: 4,
    requests,
    now,
    newToken: () => 'new',
    policy: policy(over),
  });

test('settings: blank Largest party is 1 (off), a typo is flagged and 1 used; smaller-first defaults to yes', () => {
  const base = { eventName: 'E', capacity: 4 };
  expect(parseSettings(base, 'UTC').settings).toMatchObject({ largestParty: 1, smallerFirst: true });
  const typo = parseSettings({ ...base, largestParty: 'four', smallerFirst: 'maybe' }, 'UTC');
  expect(typo.ok).toBe(true);
  expect(typo.settings).toMatchObject({ largestParty: 1, smallerFirst: true });
  expect(Object.keys(typo.flags).sort()).toEqual(['largestParty', 'smallerFirst']);
  expect(parseSettings({ ...base, largestParty: 4, smallerFirst: 'no' }, 'UTC').settings).toMatchObject({
    largestParty: 4,
    smallerFirst: false,
  });
});

test('checkParty: blank is 1, 1..max accepted, anything else a message', () => {
  expect(checkParty('', 4)).toEqual({ ok: true, party: 1 });
  expect(checkParty(' 3 ', 4)).toEqual({ ok: true, party: 3 });
  for (const bad of ['5', '0', '2.5', 'two']) expect(checkParty(bad, 4)).toMatchObject({ ok: false });
});

test('a freed seat goes to the first party that fits; the larger keeps #1 and the Log says why', () => {
  const d = run([g('a@x', 'confirmed', 2), g('big@x', 'waitlisted', 3, 1), g('s@x', 'waitlisted', 2, 2)]);
  expect(d.updated.find((x) => x.email === 's@x')?.status).toBe('offered');
  expect(d.counts).toMatchObject({ seats: { confirmed: 2, offered: 2, waitlisted: 3 }, seatsLeft: 0 });
  expect(d.log.filter((l) => l.email === 'big@x').map((l) => l.detail)).toEqual([
    'passed over: a party of 3, 2 seats free; offered to a party of 2 behind',
  ]);
  // Three seats for three parties of 1 behind a party of 4: one row for the party passed over, not three.
  const many = run([
    g('a@x', 'confirmed', 1),
    g('big@x', 'waitlisted', 4, 1),
    g('s1@x', 'waitlisted', 1, 2),
    g('s2@x', 'waitlisted', 1, 3),
    g('s3@x', 'waitlisted', 1, 4),
  ]);
  expect(many.updated.filter((x) => x.status === 'offered').map((x) => x.email)).toEqual([
    's1@x',
    's2@x',
    's3@x',
  ]);
  expect(many.log.filter((l) => l.email === 'big@x').map((l) => l.detail)).toEqual([
    'passed over: a party of 4, 3 seats free; offered to parties of 1, 1 and 1 behind',
  ]);
  // A recount after that logs nothing more: nothing was given past anyone.
  const again = run([g('a@x', 'confirmed', 2), g('big@x', 'waitlisted', 3, 1), g('s@x', 'offered', 2)]);
  expect(again.log).toEqual([]);
});

test('strict order: nobody passes the party first in line, and nothing is logged', () => {
  const d = run(
    [g('a@x', 'confirmed', 2), g('big@x', 'waitlisted', 3, 1), g('s@x', 'waitlisted', 2, 2)],
    [],
    {
      smallerFirst: false,
    },
  );
  expect(d.updated.filter((x) => x.status === 'offered')).toEqual([]);
  expect(d.log).toEqual([]);
});

test('a status the host typed that the keeper does not know holds its whole party until settled', () => {
  const d = run([g('a@x', 'maybe', 3), g('w@x', 'waitlisted', 2, 1)]);
  expect(d.updated.find((x) => x.email === 'w@x')?.status).not.toBe('offered');
});

test('a request for more than the largest party is refused, not guessed at; a new party that fits goes past one that does not', () => {
  const d = run(
    [g('a@x', 'confirmed', 2), g('big@x', 'waitlisted', 3, 1)],
    [
      { email: 'six@x', name: 'Six', lane: 'email', mode: 'seat', party: 6 },
      { email: 'two@x', name: 'Two', lane: 'form', mode: 'seat', party: 2 },
    ],
  );
  expect(d.outcomes.map((o) => o.result)).toEqual(['too-large', 'confirmed']);
  expect(d.counts.seatsLeft).toBe(0);
});

test('changing a party: fewer frees seats for those waiting; more only when free and nobody waits for them', () => {
  const d = run(
    [g('a@x', 'confirmed', 4), g('w@x', 'waitlisted', 1, 1)],
    [
      { action: 'party', token: 't-a@x', party: 3, lane: 'form' },
      { action: 'party', token: 't-a@x', party: 4, lane: 'form' },
    ],
  );
  expect(d.outcomes.map((o) => o.result)).toEqual(['party-changed', 'party-unavailable']);
  expect(d.updated.find((x) => x.email === 'w@x')?.status).toBe('offered');
  expect(d.counts.seats).toEqual({ confirmed: 3, offered: 1, waitlisted: 0 });
});
