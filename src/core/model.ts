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
}

export interface Counts {
  confirmed: number;
  offered: number;
  waitlisted: number;
  invited: number;
  cancelled: number;
  duplicate: number;
  capacity: number;
  /** Seats free for new confirmations: capacity − confirmed − offered, never below 0. */
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
});

export function isStatus(s: unknown): s is Status {
  return typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
}

export function countGuests(guests: readonly Guest[], capacity: number): Counts {
  const c = { confirmed: 0, offered: 0, waitlisted: 0, invited: 0, cancelled: 0, duplicate: 0 };
  for (const g of guests) if (isStatus(g.status)) c[g.status]++;
  const held = c.confirmed + c.offered;
  return { ...c, capacity, seatsLeft: Math.max(0, capacity - held), overBy: Math.max(0, held - capacity) };
}
