/** The guest list's vocabulary: statuses, lanes, a guest as the keeper sees it. Pure data. */

/**
 * `duplicate`: a second live row for a mailbox that already has one (a host copied or pasted it). The
 * keeper marks it so it is counted nowhere and no link or email acts on it.
 */
export const STATUSES = ['invited', 'confirmed', 'waitlisted', 'offered', 'cancelled', 'duplicate'] as const;
export type Status = (typeof STATUSES)[number];

export type Lane = 'form' | 'email' | 'import' | 'host';

export interface Guest {
  /** Sheet row the guest was read from; only valid inside the transaction that read it. */
  row: number;
  email: string;
  name: string;
  /** A status the host typed that we do not know is kept as-is and counted nowhere. */
  status: Status | string;
  /** Waitlist position (1-based) for waitlisted guests; null otherwise. */
  position: number | null;
  source: Lane | string;
  created: Date | null;
  updated: Date | null;
  offerExpires: Date | null;
  note: string;
  token: string;
  /** Seats this RSVP holds or asks for (the guest and their plus-ones): 1 unless parties are on. */
  party: number;
  /**
   * Cells to write right of the keeper's columns, by header: answers to the host's questions (text),
   * or the door's Arrived / Checked in at / Door. Set only by the decision or lane that takes them;
   * the keeper never reads them back (they decide no seat).
   */
  answers?: Record<string, string | number | Date>;
}

export interface Counts {
  /** Rows in each status. */
  confirmed: number;
  offered: number;
  waitlisted: number;
  invited: number;
  cancelled: number;
  duplicate: number;
  capacity: number;
  /** Seats (party sizes summed) confirmed, offered, and asked for by those waiting. */
  seats: { confirmed: number; offered: number; waitlisted: number };
  /** Seats free for new confirmations: capacity − confirmed seats − offered seats, never below 0. */
  seatsLeft: number;
  /** How far confirmed + offered is above capacity (after the host lowered it), else 0. */
  overBy: number;
}

/** A guest on no row (a request from someone not on the list): every field empty. */
export const blankGuest = (email = ''): Guest => ({
  row: 0,
  email,
  name: '',
  status: '',
  position: null,
  source: '',
  created: null,
  updated: null,
  offerExpires: null,
  note: '',
  token: '',
  party: 1,
});

export function isStatus(s: unknown): s is Status {
  return typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
}

/** A party size as read from a cell or a form: a whole number from 1 up, anything else is 1. */
export const partyOf = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(String(v ?? '').trim());
  return Number.isInteger(n) && n >= 1 ? n : 1;
};

export function countGuests(guests: readonly Guest[], capacity: number): Counts {
  const c = { confirmed: 0, offered: 0, waitlisted: 0, invited: 0, cancelled: 0, duplicate: 0 };
  const seats = { confirmed: 0, offered: 0, waitlisted: 0 };
  for (const g of guests) {
    if (!isStatus(g.status)) continue;
    c[g.status]++;
    if (g.status === 'confirmed' || g.status === 'offered' || g.status === 'waitlisted')
      seats[g.status] += partyOf(g.party);
  }
  const held = seats.confirmed + seats.offered;
  return {
    ...c,
    capacity,
    seats,
    seatsLeft: Math.max(0, capacity - held),
    overBy: Math.max(0, held - capacity),
  };
}

/** "1 seat", "3 seats", "1 RSVP", "2 RSVPs". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The counts in words, each with its unit: confirmed, offered and waitlisted count seats (a party of 3
 * is 3), invited and cancelled count RSVPs. The same words in the menu's answers and on the dashboard.
 */
export function countsSentence(c: Counts): string {
  const seats = (status: 'confirmed' | 'offered' | 'waitlisted') =>
    c.seats[status] === c[status]
      ? `${status} ${plural(c.seats[status], 'seat', 'seats')}`
      : `${status} ${plural(c.seats[status], 'seat', 'seats')} (${plural(c[status], 'RSVP', 'RSVPs')})`;
  return (
    `${seats('confirmed')}, ${seats('offered')}, ${seats('waitlisted')}, ` +
    `invited ${plural(c.invited, 'RSVP', 'RSVPs')}, cancelled ${plural(c.cancelled, 'RSVP', 'RSVPs')}` +
    (Number.isFinite(c.seatsLeft) ? `; ${plural(c.seatsLeft, 'seat', 'seats')} left` : '')
  );
}
