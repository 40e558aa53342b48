/**
 * The keeper's decision: given every guest row and a list of requests, what changes. Pure.
 *
 * Availability is recomputed from the rows on every call (never trusted from a counter), requests
 * are processed strictly in order, and a seat is granted only while confirmed + offered < capacity.
 */
import { Counts, Guest, Lane, Status, countGuests, isStatus } from './model';

export interface SeatRequest {
  /** Normalized (trimmed, lower-cased) email. */
  email: string;
  name: string;
  lane: Lane;
  /** 'seat': confirm or waitlist now. 'invite': record as invited (no seat held) unless already known. */
  mode: 'seat' | 'invite';
}

export type Result =
  | 'confirmed'
  | 'waitlisted'
  | 'invited'
  | 'already-confirmed'
  | 'already-waitlisted'
  | 'already-offered'
  | 'already-invited';

export interface Outcome {
  result: Result;
  /** Waitlist position after the whole batch (positions can only move up within one batch). */
  position: number | null;
  guest: Guest;
  /** The status before this request ('new' when the email was not on the list). */
  from: Status | 'new' | string;
}

export interface LogEntry {
  email: string;
  name: string;
  from: string;
  to: string;
  lane: Lane;
  detail: string;
}

export type MailKind = 'confirmed' | 'waitlisted' | 'invited';

export interface MailIntent {
  kind: MailKind;
  guest: Guest;
}

export interface Decision {
  outcomes: Outcome[];
  /** Existing rows whose stored cells change (found again by email when written). */
  updated: Guest[];
  /** New guests, in request order, to be appended below the table. */
  appended: Guest[];
  counts: Counts;
  log: LogEntry[];
  mail: MailIntent[];
}

export interface DecideInput {
  guests: readonly Guest[];
  capacity: number;
  requests: readonly SeatRequest[];
  now: Date;
  newToken: () => string;
}

/** The first live row per email wins; a cancelled row is only used if no live row exists. */
function indexByEmail(guests: Guest[]): Map<string, Guest> {
  const map = new Map<string, Guest>();
  for (const g of guests) {
    if (!g.email) continue;
    const seen = map.get(g.email);
    if (!seen || (seen.status === 'cancelled' && g.status !== 'cancelled')) map.set(g.email, g);
  }
  return map;
}

const ALREADY: Partial<Record<string, Result>> = {
  confirmed: 'already-confirmed',
  waitlisted: 'already-waitlisted',
  offered: 'already-offered',
  invited: 'already-invited',
};

export function decide(input: DecideInput): Decision {
  const guests = input.guests.map((g) => ({ ...g }));
  const byEmail = indexByEmail(guests);
  const touched = new Set<Guest>();
  const appended: Guest[] = [];
  const log: LogEntry[] = [];
  const mail: MailIntent[] = [];
  const perRequest: Array<{ result: Result; guest: Guest; from: string }> = [];

  let held = guests.filter((g) => g.status === 'confirmed' || g.status === 'offered').length;
  let lastPosition = renumberWaitlist(guests, touched);

  for (const req of input.requests) {
    const existing = byEmail.get(req.email);
    const already = existing && ALREADY[existing.status];
    // An invited guest asking for a seat is confirming their invitation: a normal seat request.
    if (already && !(existing.status === 'invited' && req.mode === 'seat')) {
      perRequest.push({ result: already, guest: existing, from: existing.status });
      continue;
    }
    let to: Status;
    if (req.mode === 'invite') to = 'invited';
    else if (held < input.capacity) to = 'confirmed';
    else to = 'waitlisted';

    const guest: Guest = existing ?? {
      row: 0,
      email: req.email,
      name: req.name,
      status: 'cancelled',
      position: null,
      source: req.lane,
      created: input.now,
      updated: input.now,
      offerExpires: null,
      note: '',
      token: input.newToken(),
    };
    const from = existing ? existing.status : 'new';
    if (existing) {
      touched.add(guest);
      // A returning guest keeps their row and token (links stay theirs); the lane is where they came back from.
      if (existing.status === 'cancelled') guest.source = req.lane;
      if (!guest.name && req.name) guest.name = req.name;
    } else {
      appended.push(guest);
      byEmail.set(req.email, guest);
    }
    guest.status = to;
    guest.updated = input.now;
    guest.offerExpires = null;
    guest.position = to === 'waitlisted' ? ++lastPosition : null;
    if (to === 'confirmed') held++;
    log.push({
      email: guest.email,
      name: guest.name,
      from,
      to,
      lane: req.lane,
      detail: detailFor(to, guest),
    });
    mail.push({ kind: to as MailKind, guest });
    perRequest.push({ result: to as Result, guest, from });
  }

  const all = [...guests, ...appended];
  return {
    outcomes: perRequest.map((o) => ({
      ...o,
      position: o.guest.status === 'waitlisted' ? o.guest.position : null,
    })),
    updated: guests.filter((g) => touched.has(g)),
    appended,
    counts: countGuests(all, input.capacity),
    log,
    mail,
  };
}

function detailFor(to: Status, g: Guest): string {
  return to === 'waitlisted' ? `waitlist #${g.position}` : '';
}

/**
 * Positions are stored and must stay contiguous from 1 in waiting order. A host's edit or a crash
 * can leave gaps, repeats or blanks; we restore them here on every transaction. Returns the last position.
 */
export function renumberWaitlist(guests: Guest[], touched: Set<Guest>): number {
  const waiting = guests
    .filter((g) => g.status === 'waitlisted')
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
