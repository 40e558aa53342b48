/**
 * The ledger is the only code that changes seat state, and every decision ends by checking its
 * running totals against a recount from the rows (every keeper test and the simulator run through
 * it). These cases prove the check would catch a ledger that drifted.
 */
import { KeeperInvariantError, decide, ledgerProblems } from '../../src/core/keeper';
import { Ledger } from '../../src/core/keeper/ledger';
import { makeGuest } from './fixtures';
import { Guest } from '../../src/core/model';

const now = new Date('2026-11-25T10:00:00Z');
const guest = (email: string, status: string, position: number | null, row: number, party = 1): Guest =>
  makeGuest(now, email, status, position, row, party);
let n = 0;
const input = (guests: Guest[]) => ({
  guests,
  capacity: 4,
  now,
  newToken: () => `t${++n}`,
  policy: { claimWindowMs: 3600e3, startsAt: null, expiredTo: 'cancelled' as const, largestParty: 5 },
});

describe('the ledger', () => {
  const rows = () => [
    guest('a@x.com', 'confirmed', null, 2, 2),
    guest('b@x.com', 'confirmed', null, 3, 2),
    guest('c@x.com', 'waitlisted', 1, 4, 1),
  ];

  test('a decision that shrinks a party, frees seats and fills them passes the recount', () => {
    const d = decide({
      ...input(rows()),
      requests: [{ action: 'party', token: 'tok-a@x.com', party: 1, lane: 'form' }],
    });
    expect(d.outcomes[0].result).toBe('party-changed');
    expect(d.counts.seats).toEqual({ confirmed: 3, offered: 1, waitlisted: 0 });
  });

  test('negative control: a party change that forgets the running total is refused whole', () => {
    const spy = jest.spyOn(Ledger.prototype, 'resize').mockImplementation(function (this: Ledger, g, party) {
      g.party = party; // the seats are not adjusted: the drift the check exists for
    });
    try {
      expect(() =>
        decide({
          ...input(rows()),
          requests: [{ action: 'party', token: 'tok-a@x.com', party: 1, lane: 'form' }],
        }),
      ).toThrow(KeeperInvariantError);
    } finally {
      spy.mockRestore();
    }
  });

  test('the recount names a wrong total and a broken waiting line', () => {
    const guests = rows();
    expect(ledgerProblems(guests, 4)).toEqual([]);
    expect(ledgerProblems(guests, 5)).toEqual(['running seat total 5, rows hold 4']);
    guests[2].position = 2;
    expect(ledgerProblems(guests, 4)).toEqual(['waitlist positions 2']);
  });
});
