/** The Guests table's pure parts: a write that landed on moved rows is put right by row identity. */
import { Guest } from '../../src/core/model';
import { repairPlan, rowId } from '../../src/sheets/guests-table';

const at = new Date('2026-11-25T10:00:00Z');
const row = (row: number, email: string, status: string, token: string): Guest => ({
  row,
  email,
  name: email,
  status,
  position: null,
  source: 'form',
  created: at,
  updated: at,
  offerExpires: null,
  note: '',
  token,
  party: 1,
});

describe('repairPlan', () => {
  test('two rows of one mailbox (an old cancelled RSVP and a new one) each get their own state back', () => {
    const read = [
      row(2, 'ada@example.com', 'cancelled', 'old'),
      row(3, 'ada@example.com', 'waitlisted', 'new'),
      row(4, 'bob@example.com', 'confirmed', 'bob'),
    ];
    // The keeper decided: Bob cancelled, Ada's new RSVP got his seat.
    const updated = [
      { ...read[1], status: 'confirmed' },
      { ...read[2], status: 'cancelled' },
    ];
    // The host sorted by email descending while we wrote: our block (rows 3..4) landed on the wrong rows.
    const now = [
      row(2, 'bob@example.com', 'confirmed', 'bob'),
      { ...row(3, 'ada@example.com', 'confirmed', 'old') },
      { ...row(4, 'ada@example.com', 'cancelled', 'new') },
    ];
    const plan = repairPlan(read, updated, now);
    expect(plan.map((f) => [f.row, f.guest.token, f.guest.status])).toEqual([
      [2, 'bob', 'cancelled'],
      [3, 'old', 'cancelled'],
      [4, 'new', 'confirmed'],
    ]);
  });

  test('a row the host typed without a token is known by its email', () => {
    expect(rowId({ token: '', email: 'x@example.com' })).toBe('e:x@example.com');
    const read = [row(2, 'x@example.com', 'invited', '')];
    const plan = repairPlan(
      read,
      [{ ...read[0], status: 'confirmed' }],
      [row(5, 'x@example.com', 'invited', '')],
    );
    expect(plan.map((f) => [f.row, f.guest.status])).toEqual([[5, 'confirmed']]);
  });
});
