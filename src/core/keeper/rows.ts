/** How the keeper reads rows: which row a mailbox's request is about, which rows hold seats. Pure. */
import { mailboxKey } from '../email';
import { Guest, isStatus, partyOf } from '../model';

/** Rows per mailbox (see mailboxKey), in sheet order. */
export function indexByMailbox(guests: Guest[]): Map<string, Guest[]> {
  const map = new Map<string, Guest[]>();
  for (const g of guests) if (g.email) addTo(map, g);
  return map;
}

export function addTo(map: Map<string, Guest[]>, g: Guest): void {
  const key = mailboxKey(g.email);
  const list = map.get(key);
  if (list) list.push(g);
  else map.set(key, [g]);
}

/**
 * A row that holds an RSVP: anything but cancelled or a marked duplicate (a status the host typed that
 * we don't know counts too).
 */
export const isLive = (status: string) => status !== 'cancelled' && status !== 'duplicate';

const newer = (a: Guest, b: Guest) => !!a.created && !!b.created && a.created.getTime() > b.created.getTime();

/**
 * The row a mailbox's request is about: a live row (the one typed exactly so first), else the newest
 * cancelled one. Rows from before mailbox matching existed may hold two spellings of one mailbox.
 */
export function rowForMailbox(rows: readonly Guest[], email: string): Guest | undefined {
  const live = rows.filter((g) => isLive(g.status));
  if (live.length) return live.find((g) => g.email === email) ?? live[0];
  return rows.reduce<Guest | undefined>((best, g) => (!best || !newer(best, g) ? g : best), undefined);
}

/**
 * A cancelled RSVP that a later one of the same mailbox replaced: its links (token) no longer work.
 * `rows` are the mailbox's rows.
 */
export function isSuperseded(g: Guest, rows: readonly Guest[]): boolean {
  return g.status === 'cancelled' && rows.some((o) => o !== g && (isLive(o.status) || newer(o, g)));
}

const SEAT_HOLDING = new Set(['confirmed', 'offered']);

/**
 * Whether a row's seat may be given to someone else. A status the host typed that we don't know
 * ("maybe", a typo) is counted as holding one until the host's edit is settled (put back, or
 * followed): otherwise a transaction running before that would hand out the seat of a guest the
 * revert then restores, and the event would be over its cap.
 */
export const holdsSeat = (status: string) => SEAT_HOLDING.has(status) || !isStatus(status);

/** The seats a row holds in a status: its party size, or none. */
export const seatsIn = (status: string, g: Guest) => (holdsSeat(status) ? partyOf(g.party) : 0);

/** The seats the rows hold, counted afresh: what the ledger's running total must always equal. */
export const seatsHeld = (guests: readonly Guest[]) =>
  guests.reduce((n, g) => n + (g.email ? seatsIn(g.status, g) : 0), 0);

/** A row in the waiting line: waitlisted, or a mistyped status keeping its place until it is settled. */
export const inLine = (g: Guest) => g.status === 'waitlisted' || (!isStatus(g.status) && g.position !== null);

/**
 * Positions are stored and must stay contiguous from 1 in waiting order. A host's edit or a crash
 * can leave gaps, repeats or blanks; we restore them here on every transaction. Returns the last position.
 */
export function renumberWaitlist(guests: Guest[], touched: Set<Guest>): number {
  const waiting = guests
    .filter(inLine)
    .map((g, i) => ({ g, i }))
    .sort(
      (a, b) =>
        (a.g.position ?? Infinity) - (b.g.position ?? Infinity) ||
        (a.g.created?.getTime() ?? 0) - (b.g.created?.getTime() ?? 0) ||
        a.i - b.i,
    );
  waiting.forEach(({ g }, i) => {
    if (g.position !== i + 1) {
      g.position = i + 1;
      touched.add(g);
    }
  });
  for (const g of guests) {
    if (g.status !== 'waitlisted' && g.position !== null && isStatus(g.status)) {
      g.position = null;
      touched.add(g);
    }
  }
  return waiting.length;
}

/**
 * What must hold after every decision, whatever it did: the running seat total equals a recount from
 * the rows, and the waiting line is numbered 1…n. Empty when all is well.
 */
export function ledgerProblems(guests: readonly Guest[], held: number, wholeLine = true): string[] {
  const problems: string[] = [];
  const counted = seatsHeld(guests);
  if (counted !== held) problems.push(`running seat total ${held}, rows hold ${counted}`);
  // Only some rows in view (see Ledger): the line is the index's, not theirs to number.
  if (!wholeLine) return problems;
  const positions = guests
    .filter(inLine)
    .map((g) => g.position ?? 0)
    .sort((a, b) => a - b);
  if (positions.some((p, i) => p !== i + 1)) problems.push(`waitlist positions ${positions.join(',')}`);
  return problems;
}
