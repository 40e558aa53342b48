/** What the keeper is asked, and what it answers: the shapes every lane and the transaction share. */
import type { Settled } from '../flat-index';
import { Counts, Guest, Lane, Status } from '../model';
import { QuietHours } from '../quiet';

export interface SeatRequest {
  /** Normalized (trimmed, lower-cased) email: stored as is; the guest is matched by its mailboxKey. */
  email: string;
  name: string;
  lane: Lane;
  /** 'seat': confirm or waitlist now. 'invite': record as invited (no seat held) unless already known. */
  mode: 'seat' | 'invite';
  /** Seats asked for, the guest included (default 1); the lane has checked it against the largest party. */
  party?: number;
  /** Answers to the host's questions (cell text by label), checked by the lane: written on a new row. */
  answers?: Record<string, string>;
}

/** A guest acting on their own row, found by the token in their link (or by email for the email lane). */
export interface GuestAction {
  /**
   * 'leave': leave the waitlist, and only that (a guest since offered or confirmed keeps their seat).
   * 'party': change the party size to `party` (fewer frees seats; more is granted only if they fit).
   */
  action: 'cancel' | 'claim' | 'decline' | 'leave' | 'party' | 'answers';
  token?: string;
  party?: number;
  /** 'answers': the guest's answers from their page (cell text by label), checked by the lane. */
  answers?: Record<string, string>;
  email?: string;
  lane: Lane;
}

/** The host changed a guest's Status cell by hand; the row already holds the new value. */
export interface HostEdit {
  action: 'host-edit';
  email: string;
  /** The edited row's token (its identity: a mailbox may have older, cancelled rows too). */
  token?: string;
  /** The edited row, as read by the trigger: tells a copied row from its original (same token). */
  row?: number;
  from: string;
  to: string;
  /** The edited cell: the Status (default) or the Party. */
  field?: 'status' | 'party';
}

export type KeeperRequest = SeatRequest | GuestAction | HostEdit;

export const isAction = (r: KeeperRequest): r is GuestAction | HostEdit => 'action' in r;

export type Result =
  | 'confirmed'
  | 'waitlisted'
  | 'invited'
  | 'already-confirmed'
  | 'already-waitlisted'
  | 'already-offered'
  | 'already-invited'
  | 'cancelled'
  | 'left'
  | 'already-cancelled'
  | 'declined'
  | 'not-offered'
  | 'not-found'
  | 'closed'
  | 'host-edit'
  | 'reverted'
  | 'party-changed'
  | 'details-saved'
  | 'party-unavailable'
  | 'too-large';

export interface Outcome {
  result: Result;
  /** Waitlist position after the whole batch. */
  position: number | null;
  /** The guest's row after the batch (a placeholder for 'not-found'). */
  guest: Guest;
  /** The status before this request ('new' when the email was not on the list). */
  from: Status | 'new' | string;
}

export interface LogEntry {
  email: string;
  name: string;
  from: string;
  to: string;
  lane: Lane | 'keeper' | 'host';
  detail: string;
}

export type MailKind =
  | 'confirmed'
  | 'waitlisted'
  | 'invited'
  | 'offered'
  | 'cancelled'
  | 'expired'
  | 'left'
  | 'waitlist-closed'
  | 'reminder';

export interface MailIntent {
  kind: MailKind;
  guest: Guest;
  /**
   * The answer to something the guest just did (their sign-up, cancel, claim): sent at once, even in
   * quiet hours. Anything else (an offer, a host's edit, a notice) waits for them to end.
   */
  immediate?: boolean;
  /**
   * 'host': the host made this change by hand in the sheet (the email says so, not "thanks"). For a
   * reminder: the time and place the guest was told (core/reminders.ts).
   */
  about?: string;
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

export interface Policy {
  /** How long a freed seat is held for the first person on the waitlist. */
  claimWindowMs: number;
  /** Offers never run past the start, no offers are made after it, and sign-ups close. */
  startsAt: Date | null;
  /** The registration deadline: after it no sign-ups, invites or offers (offers made before still stand). */
  closesAt?: Date | null;
  /** Where a guest whose offer ran out goes. */
  expiredTo: 'cancelled' | 'waitlisted';
  /** No offer runs out in quiet hours, and a claim window does not count them. */
  quiet?: QuietHours | null;
  /** A freed seat may go to a smaller party behind one too large for it (default: yes). */
  smallerFirst?: boolean;
  /** False: a status the host types is not emailed to the guest (Settings). */
  hostEditMail?: boolean;
  /** Settings → Largest party (default 1): a request for more is refused, not guessed at. */
  largestParty?: number;
}

export const DEFAULT_POLICY: Policy = { claimWindowMs: 24 * 3600e3, startsAt: null, expiredTo: 'cancelled' };

export interface DecideInput {
  guests: readonly Guest[];
  capacity: number;
  requests: readonly KeeperRequest[];
  now: Date;
  newToken: () => string;
  policy?: Policy;
  /**
   * The whole sheet as its index counts it (core/flat-index.ts), when `guests` are only the rows the
   * requests are about: the seats and the waiting line come from it, and nothing is renumbered.
   */
  sheet?: Settled;
}

/** One request's answer, before the batch's final positions are known. */
export interface Step {
  result: Result;
  guest: Guest;
  from: string;
}

/** The answer to asking again for what one already holds. */
export const ALREADY: Partial<Record<string, Result>> = {
  confirmed: 'already-confirmed',
  waitlisted: 'already-waitlisted',
  offered: 'already-offered',
  invited: 'already-invited',
};

/** A Log row about no one guest: a host action's record (invites sent, a message queued). */
export const actionLogRow = (detail: string, lane: LogEntry['lane'] = 'host'): LogEntry => ({
  email: '',
  name: '',
  from: '',
  to: '',
  lane,
  detail,
});
