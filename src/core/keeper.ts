/**
 * The keeper's decision: given every guest row and a list of requests, what changes. Pure.
 *
 * Availability is recomputed from the rows on every call (never trusted from a counter), requests
 * are processed strictly in order, and a seat is granted only while confirmed + offered < capacity.
 */
import { mailboxKey } from './email';
import { Counts, Guest, Lane, Status, blankGuest, countGuests, isStatus, partyOf, plural } from './model';
import { QuietHours, awakeDeadline, isQuiet } from './quiet';

export interface SeatRequest {
  /** Normalized (trimmed, lower-cased) email: stored as is; the guest is matched by its mailboxKey. */
  email: string;
  name: string;
  lane: Lane;
  /** 'seat': confirm or waitlist now. 'invite': record as invited (no seat held) unless already known. */
  mode: 'seat' | 'invite';
  /** Seats asked for, the guest included (default 1); the lane has checked it against the largest party. */
  party?: number;
}

/** A guest acting on their own row, found by the token in their link (or by email for the email lane). */
export interface GuestAction {
  /**
   * 'leave': leave the waitlist, and only that (a guest since offered or confirmed keeps their seat).
   * 'party': change the party size to `party` (fewer frees seats; more is granted only if they fit).
   */
  action: 'cancel' | 'claim' | 'decline' | 'leave' | 'party';
  token?: string;
  party?: number;
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
}

/** Rows per mailbox (see mailboxKey), in sheet order. */
function indexByMailbox(guests: Guest[]): Map<string, Guest[]> {
  const map = new Map<string, Guest[]>();
  for (const g of guests) if (g.email) addTo(map, g);
  return map;
}

function addTo(map: Map<string, Guest[]>, g: Guest): void {
  const key = mailboxKey(g.email);
  const list = map.get(key);
  if (list) list.push(g);
  else map.set(key, [g]);
}

/**
 * A row that holds an RSVP: anything but cancelled or a marked duplicate (a status the host typed that
 * we don't know counts too).
 */
const isLive = (status: string) => status !== 'cancelled' && status !== 'duplicate';

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

const ALREADY: Partial<Record<string, Result>> = {
  confirmed: 'already-confirmed',
  waitlisted: 'already-waitlisted',
  offered: 'already-offered',
  invited: 'already-invited',
};

/** 1, 2 and 3 */
const listed = (xs: readonly number[]) =>
  xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

const SEAT_HOLDING = new Set(['confirmed', 'offered']);

/**
 * Whether a row's seat may be given to someone else. A status the host typed that we don't know
 * ("maybe", a typo) is counted as holding one until the host's edit is settled (put back, or
 * followed): otherwise a transaction running before that would hand out the seat of a guest the
 * revert then restores, and the event would be over its cap.
 */
const holdsSeat = (status: string) => SEAT_HOLDING.has(status) || !isStatus(status);

/** The seats a row holds in a status: its party size, or none. */
const seatsIn = (status: string, g: Guest) => (holdsSeat(status) ? partyOf(g.party) : 0);

/** The working state of one decision: every change goes through `move`, so log and mail follow. */
class Ledger {
  readonly guests: Guest[];
  readonly byMailbox: Map<string, Guest[]>;
  readonly byToken: Map<string, Guest>;
  readonly touched = new Set<Guest>();
  readonly appended: Guest[] = [];
  readonly log: LogEntry[] = [];
  readonly mail: MailIntent[] = [];
  held: number;
  lastPosition: number;

  constructor(
    guests: readonly Guest[],
    readonly input: DecideInput,
    readonly policy: Policy,
  ) {
    this.guests = guests.map((g) => ({ ...g }));
    this.byMailbox = indexByMailbox(this.guests);
    this.byToken = new Map();
    this.indexTokens();
    this.held = this.guests.filter((g) => g.email).reduce((n, g) => n + seatsIn(g.status, g), 0);
    this.lastPosition = renumberWaitlist(this.guests, this.touched);
  }

  /**
   * One mailbox, one live RSVP: a second live row (a host copied a row, or pasted another spelling of
   * the address) would count twice. Keep the earlier row (one with a token before one typed without),
   * mark the others `duplicate` with a note naming the row they copy, and log it.
   */
  markDuplicates(): void {
    let marked = false;
    for (const rows of this.byMailbox.values()) {
      const live = rows.filter((g) => isStatus(g.status) && isLive(g.status));
      if (live.length < 2) continue;
      const kept = live.find((g) => g.token) ?? live[0];
      for (const g of live) {
        if (g === kept) continue;
        const from = g.status;
        this.held -= seatsIn(from, g);
        marked = true;
        g.status = 'duplicate';
        g.position = null;
        g.offerExpires = null;
        g.updated = this.input.now;
        g.note = `Copy of row ${kept.row} (${kept.email}): not counted. Delete this row, or set it to cancelled.`;
        this.touched.add(g);
        this.log.push({
          email: g.email,
          name: g.name,
          from,
          to: 'duplicate',
          lane: 'keeper',
          detail: `copy of row ${kept.row}: not counted`,
        });
      }
    }
    if (!marked) return;
    this.lastPosition = renumberWaitlist(this.guests, this.touched);
    this.indexTokens();
  }

  /** A copied row carries its original's token: links act on the kept row, never on the copy. */
  private indexTokens(): void {
    this.byToken.clear();
    for (const g of this.guests) {
      const had = g.token ? this.byToken.get(g.token) : undefined;
      if (g.token && (!had || (had.status === 'duplicate' && g.status !== 'duplicate')))
        this.byToken.set(g.token, g);
    }
  }

  get started(): boolean {
    return !!this.policy.startsAt && this.input.now.getTime() >= this.policy.startsAt.getTime();
  }

  /** Past the registration deadline (Settings → Registration closes at). */
  get deadlinePassed(): boolean {
    const c = this.policy.closesAt;
    return !!c && this.input.now.getTime() >= c.getTime();
  }

  move(g: Guest, to: Status, lane: LogEntry['lane'], mail: MailKind | null, detail = ''): void {
    const from = g.status;
    // ('new' marks a row this decision adds: it held nothing before.)
    if (from !== 'new') this.held -= seatsIn(from, g);
    this.held += seatsIn(to, g);
    const wasWaiting = from === 'waitlisted';
    g.status = to;
    g.updated = this.input.now;
    g.position = to === 'waitlisted' ? ++this.lastPosition : null;
    g.offerExpires = to === 'offered' ? this.offerDeadline() : null;
    if (g.row) this.touched.add(g);
    // Everyone behind a guest who left the waitlist moves up: positions stay contiguous.
    if (wasWaiting && to !== 'waitlisted') this.lastPosition = renumberWaitlist(this.guests, this.touched);
    const what =
      detail || (to === 'waitlisted' ? `waitlist #${g.position}` : to === 'offered' ? 'seat held' : '');
    this.log.push({ email: g.email, name: g.name, from, to, lane, detail: what });
    if (mail) this.mail.push({ kind: mail, guest: g, immediate: lane === 'form' || lane === 'email' });
  }

  /** A Log row about a guest whose status does not change (a party size, a pass-over). */
  logSame(g: Guest, lane: LogEntry['lane'], detail: string): void {
    this.log.push({ email: g.email, name: g.name, from: g.status, to: g.status, lane, detail });
  }

  private offerDeadline(): Date {
    const start = this.policy.startsAt?.getTime() ?? Infinity;
    return new Date(
      awakeDeadline(this.input.now.getTime(), this.policy.claimWindowMs, this.policy.quiet ?? null, start),
    );
  }

  /** Offers past their deadline end; the seat goes to the next person. Not in quiet hours (before the start). */
  expireOffers(): void {
    const now = this.input.now.getTime();
    if (!this.started && isQuiet(now, this.policy.quiet ?? null)) return;
    for (const g of this.guests) {
      if (g.status === 'offered' && g.offerExpires && g.offerExpires.getTime() <= now) {
        this.move(g, this.policy.expiredTo, 'keeper', 'expired', 'offer expired');
      }
    }
  }

  /**
   * Free seats go to the waitlist in order, as offers with a claim window. Never after the start. A
   * party goes whole or not at all: when the first in line does not fit, the first party behind that
   * does gets the offer (unless the host keeps strict order), and the Log says who was passed over.
   */
  fill(): void {
    // Freed seats stay free after the deadline: nobody is offered one any more.
    if (this.started || this.deadlinePassed) return;
    const passes = new Map<Guest, { row: LogEntry; free: number; behind: number[] }>();
    while (this.held < this.input.capacity) {
      const free = this.input.capacity - this.held;
      const line = this.guests
        .filter((g) => g.status === 'waitlisted')
        .sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
      const i = line.findIndex((g) => partyOf(g.party) <= free);
      if (i < 0 || (i > 0 && this.policy.smallerFirst === false)) break;
      const next = line[i];
      for (const passed of line.slice(0, i)) {
        // One Log row per party passed over in one fill, however many offers go past it.
        const seen = passes.get(passed);
        if (seen) seen.behind.push(partyOf(next.party));
        else {
          this.logSame(passed, 'keeper', '');
          passes.set(passed, { row: this.log[this.log.length - 1], free, behind: [partyOf(next.party)] });
        }
      }
      this.move(next, 'offered', 'keeper', 'offered');
    }
    for (const [passed, { row, free, behind }] of passes)
      row.detail = `passed over: a party of ${partyOf(passed.party)}, ${plural(free, 'seat')} free; offered to ${
        behind.length === 1 ? `a party of ${behind[0]}` : `parties of ${listed(behind)}`
      } behind`;
  }

  /** A deadline for an offer: the claim window, never past the start. */
  deadline(): Date {
    return this.offerDeadline();
  }

  rowsOf(email: string): Guest[] {
    return this.byMailbox.get(mailboxKey(email)) ?? [];
  }

  byEmail(email: string): Guest | undefined {
    return email ? rowForMailbox(this.rowsOf(email), email) : undefined;
  }

  add(g: Guest): void {
    this.appended.push(g);
    this.guests.push(g);
    addTo(this.byMailbox, g);
    this.byToken.set(g.token, g);
  }

  /** A guest's own row: by the token in their link (a replaced RSVP's token finds nothing), or by email. */
  find(a: GuestAction): Guest | undefined {
    if (!a.token) return a.email ? this.byEmail(a.email) : undefined;
    const g = this.byToken.get(a.token.trim());
    return g && !isSuperseded(g, this.rowsOf(g.email)) ? g : undefined;
  }
}

const NOBODY = blankGuest;

export function decide(input: DecideInput): Decision {
  const ledger = new Ledger(input.guests, input, input.policy ?? DEFAULT_POLICY);
  // Host edits describe what the sheet already holds (and may need putting back): settle them
  // before any seat is handed out.
  const settled = new Map<KeeperRequest, { result: Result; guest: Guest; from: string }>();
  for (const req of input.requests)
    if (isAction(req) && req.action === 'host-edit') settled.set(req, hostEdit(ledger, req));
  // After the host's edits are settled (one that made a second row live is put back, not marked).
  ledger.markDuplicates();
  ledger.expireOffers();
  ledger.fill();
  const perRequest: Array<{ result: Result; guest: Guest; from: string }> = [];
  for (const req of input.requests) {
    perRequest.push(
      settled.get(req) ?? (isAction(req) ? act(ledger, req as GuestAction) : seat(ledger, req)),
    );
    ledger.fill();
  }

  return {
    outcomes: perRequest.map((o) => ({
      ...o,
      position: o.guest.status === 'waitlisted' ? o.guest.position : null,
    })),
    updated: ledger.guests.filter((g) => g.row > 0 && ledger.touched.has(g)),
    appended: ledger.appended,
    counts: countGuests(ledger.guests, input.capacity),
    log: ledger.log,
    mail: ledger.mail,
  };
}

function seat(ledger: Ledger, req: SeatRequest): { result: Result; guest: Guest; from: string } {
  const found = ledger.byEmail(req.email);
  // A cancelled RSVP stays as it was (history, and its links stop working): coming back is a new RSVP,
  // on a new row with a new token, so a link that leaked from the old one (an old email, a calendar)
  // cannot cancel the new one.
  const returning = found?.status === 'cancelled' ? found : undefined;
  const existing = returning ? undefined : found;
  const already = existing && ALREADY[existing.status];
  // An invited guest asking for a seat is confirming their invitation: a normal seat request.
  if (already && !(existing.status === 'invited' && req.mode === 'seat')) {
    return { result: already, guest: existing, from: existing.status };
  }
  // (The form checks its field; a reply's "yes, 6 of us" reaches here and is left for the host. With
  // plus-ones off a party said in a reply is not acted on: "+1" is also just "me too".)
  const largest = ledger.policy.largestParty ?? 1;
  if (req.party !== undefined && largest > 1 && req.party > largest)
    return { result: 'too-large', guest: existing ?? NOBODY(req.email), from: existing?.status ?? 'new' };
  if ((ledger.started && req.mode === 'seat') || ledger.deadlinePassed)
    return { result: 'closed', guest: existing ?? NOBODY(req.email), from: existing?.status ?? 'new' };
  const party = largest > 1 ? partyOf(req.party ?? existing?.party) : 1;
  // Those waiting come first, but only for seats they could take: a party too large for the seats
  // free keeps its place without holding them (unless the host keeps strict order).
  const free = ledger.input.capacity - ledger.held;
  const waiting = ledger.guests.filter((g) => g.status === 'waitlisted');
  const ahead =
    ledger.policy.smallerFirst === false ? waiting : waiting.filter((g) => partyOf(g.party) <= free);
  const to: Status =
    req.mode === 'invite' ? 'invited' : party <= free && !ahead.length ? 'confirmed' : 'waitlisted';
  if (to === 'confirmed')
    for (const passed of waiting)
      ledger.logSame(
        passed,
        'keeper',
        `passed over: a party of ${partyOf(passed.party)}, ${plural(free, 'seat')} free; a party of ${party} behind confirmed`,
      );
  let guest = existing;
  if (guest) {
    if (!guest.name && req.name) guest.name = req.name;
    // An invited guest confirming holds the seats counted for them (with plus-ones off, one).
    if (guest.party !== party) {
      guest.party = party;
      ledger.touched.add(guest);
    }
  } else {
    guest = {
      ...NOBODY(req.email),
      name: req.name || returning?.name || '',
      status: 'new',
      source: req.lane,
      created: ledger.input.now,
      token: ledger.input.newToken(),
      party,
    };
    ledger.add(guest);
  }
  const from = existing ? existing.status : 'new';
  ledger.move(guest, to, req.lane, to);
  if (returning) {
    const entry = ledger.log[ledger.log.length - 1];
    entry.detail = ['signed up again after cancelling', entry.detail].filter(Boolean).join(': ');
  }
  return { result: to, guest, from };
}

function act(ledger: Ledger, a: GuestAction): { result: Result; guest: Guest; from: string } {
  const g = ledger.find(a);
  if (!g) return { result: 'not-found', guest: NOBODY(a.email), from: 'new' };
  const from = g.status;
  if (a.action === 'party') return changeParty(ledger, g, partyOf(a.party), a.lane);
  if (a.action === 'leave') {
    // An old "leave the waitlist" link must not cancel a seat the guest has been given since.
    if (from !== 'waitlisted')
      return {
        result: ALREADY[from] ?? (from === 'cancelled' ? 'already-cancelled' : 'not-found'),
        guest: g,
        from,
      };
    ledger.move(g, 'cancelled', a.lane, 'left', 'left the waitlist');
    return { result: 'left', guest: g, from };
  }
  if (a.action === 'cancel') {
    if (from === 'cancelled') return { result: 'already-cancelled', guest: g, from };
    ledger.move(g, 'cancelled', a.lane, 'cancelled');
    return { result: 'cancelled', guest: g, from };
  }
  // claim or decline: only an offer can be claimed or declined.
  if (from !== 'offered') {
    const result: Result =
      from === 'confirmed'
        ? 'already-confirmed'
        : from === 'cancelled'
          ? 'already-cancelled'
          : from === 'waitlisted'
            ? 'not-offered'
            : 'not-found';
    return { result, guest: g, from };
  }
  if (a.action === 'decline') {
    ledger.move(g, 'cancelled', a.lane, 'cancelled', 'declined the offer');
    return { result: 'declined', guest: g, from };
  }
  ledger.move(g, 'confirmed', a.lane, 'confirmed', 'claimed the offer');
  return { result: 'confirmed', guest: g, from };
}

/**
 * A guest changes their party size. Fewer: always (the seats freed go to the waitlist). More: a
 * confirmed or offered guest gets the extra seats only if they are free and nobody waits ahead for
 * them; otherwise the party stays as it was. A waiting guest's place is for the party as it is now.
 */
function changeParty(
  ledger: Ledger,
  g: Guest,
  party: number,
  lane: Lane,
): { result: Result; guest: Guest; from: string } {
  const from = g.status;
  const was = partyOf(g.party);
  if (!['confirmed', 'offered', 'waitlisted', 'invited'].includes(from))
    return { result: from === 'cancelled' ? 'already-cancelled' : 'not-found', guest: g, from };
  if (party === was) return { result: 'party-changed', guest: g, from };
  const extra = party - was;
  const waiting = ledger.guests.some((o) => o.status === 'waitlisted');
  if (extra > 0 && holdsSeat(from) && (ledger.held + extra > ledger.input.capacity || waiting))
    return { result: 'party-unavailable', guest: g, from };
  ledger.held += seatsIn(from, { ...g, party }) - seatsIn(from, g);
  g.party = party;
  g.updated = ledger.input.now;
  ledger.touched.add(g);
  ledger.logSame(g, lane, `party ${was} → ${party}`);
  return { result: 'party-changed', guest: g, from };
}

/** Every status a host types that changes what the guest holds is emailed to them (issue 22). */
const HOST_MAIL: Partial<Record<Status, MailKind>> = {
  confirmed: 'confirmed',
  offered: 'offered',
  waitlisted: 'waitlisted',
  cancelled: 'cancelled',
};

/**
 * The host's hand edit already stands in the row. A status we know is kept (beyond the cap only as
 * a logged host override) and followed through: an offer gets a deadline, a waitlisted guest a
 * position, the guest the email about it, a freed seat goes to the waitlist. Anything else is put back.
 */
function hostEdit(ledger: Ledger, e: HostEdit): { result: Result; guest: Guest; from: string } {
  const g =
    (e.row && ledger.guests.find((o) => o.row === e.row && o.token === (e.token ?? ''))) ||
    (e.token && ledger.byToken.get(e.token)) ||
    ledger.byEmail(e.email);
  if (!g) return { result: 'not-found', guest: NOBODY(e.email), from: e.from };
  if (e.field === 'party') return hostPartyEdit(ledger, g, e);
  const to = g.status;
  // The cell no longer holds what the host typed: a change that read the row before the edit (a guest
  // leaving the waitlist at that moment) wrote over it. That change is logged already; logging the
  // edit too would record one move twice. The host is told on the row, and nothing else is done.
  if (e.to && e.to !== to) {
    g.note = `Your edit ("${e.to}") was overtaken by another change at the same moment: the row is now ${to || 'blank'}. Type it again if you still want it.`;
    g.updated = ledger.input.now;
    ledger.touched.add(g);
    ledger.logSame(g, 'host', `edit to "${e.to}" overtaken: the row was already ${to || 'blank'}`);
    return { result: 'host-edit', guest: g, from: to };
  }
  // Retyping the status the guest already has (" Confirmed " on a confirmed guest) changes nothing:
  // the cell is written back in its usual spelling, nothing is logged or sent.
  if (isStatus(to) && to === e.from) {
    ledger.touched.add(g);
    return { result: 'host-edit', guest: g, from: e.from };
  }
  // One RSVP per mailbox: a row made live again (or typed in new) while its mailbox holds another live
  // one would be a second seat for one person.
  const wasLive = isStatus(e.from) && isLive(e.from);
  const other =
    isStatus(to) && isLive(to) && !wasLive
      ? ledger.rowsOf(g.email).find((o) => o !== g && isStatus(o.status) && isLive(o.status))
      : undefined;
  if (other) {
    const where = other.row ? `row ${other.row}` : 'a new row';
    return putBack(
      ledger,
      g,
      e,
      isStatus(e.from) && !isLive(e.from) ? e.from : 'cancelled',
      `${other.email} already has a live RSVP (${other.status}, ${where})`,
      'one RSVP per mailbox',
    );
  }
  if (!isStatus(to)) {
    const why = `"${to}" is not a status (use confirmed, waitlisted, offered, invited or cancelled)`;
    return putBack(ledger, g, e, isStatus(e.from) ? e.from : 'cancelled', why, 'unknown status');
  }
  let detail = 'edited by the host';
  clearEditNote(g);
  if (to === 'confirmed' && ledger.held > ledger.input.capacity) {
    detail = `host override: over capacity by ${ledger.held - ledger.input.capacity}`;
    g.note = 'Confirmed by the host beyond capacity.';
  }
  if (to === 'offered' && !g.offerExpires) g.offerExpires = ledger.deadline();
  if (to !== 'offered') g.offerExpires = null;
  g.updated = ledger.input.now;
  ledger.touched.add(g);
  ledger.log.push({ email: g.email, name: g.name, from: e.from, to, lane: 'host', detail });
  const kind = HOST_MAIL[to];
  if (kind && e.from !== to && ledger.policy.hostEditMail !== false)
    ledger.mail.push(kind === 'cancelled' ? { kind, guest: g, about: 'host' } : { kind, guest: g });
  return { result: 'host-edit', guest: g, from: e.from };
}

/**
 * The host typed a party size. A whole number from 1 (or blank: 1) stands, even past the capacity
 * (the host's call, noted as an override); anything else is put back to what the cell held, with a
 * note. Seats a smaller party frees go to the waitlist (the decision's fill).
 */
function hostPartyEdit(
  ledger: Ledger,
  g: Guest,
  e: HostEdit,
): { result: Result; guest: Guest; from: string } {
  const typed = e.to.trim();
  const n = typed === '' ? 1 : Number(typed);
  const was = partyOf(e.from);
  g.updated = ledger.input.now;
  ledger.touched.add(g);
  if (!Number.isInteger(n) || n < 1) {
    // The row was read holding what the cell now says (1 for a word): count the old party again.
    ledger.held += seatsIn(g.status, { ...g, party: was }) - seatsIn(g.status, g);
    g.party = was;
    g.note = `Party "${typed.slice(0, 40)}" is not a whole number from 1: put back to ${was}.`;
    ledger.logSame(g, 'host', 'reverted: party not a number');
    return { result: 'reverted', guest: g, from: g.status };
  }
  if (n === was) return { result: 'host-edit', guest: g, from: g.status };
  clearEditNote(g);
  const over = holdsSeat(g.status) && ledger.held > ledger.input.capacity;
  if (over) g.note = 'Party raised by the host beyond capacity.';
  const by = over ? `: over capacity by ${ledger.held - ledger.input.capacity}` : '';
  ledger.logSame(g, 'host', `party ${was} → ${n} by the host${by}`);
  return { result: 'host-edit', guest: g, from: g.status };
}

/** Notes about an earlier hand edit (put back, overtaken, an override): they go once a new edit stands. */
const EDIT_NOTE =
  /: put back to \w+\.$|^Your edit \(".*"\) was overtaken|^(Confirmed|Party raised) by the host beyond capacity\.$/;

function clearEditNote(g: Guest): void {
  if (EDIT_NOTE.test(g.note)) g.note = '';
}

/** A host edit the keeper cannot follow: the row goes back to `back`, with a note saying why. */
function putBack(
  ledger: Ledger,
  g: Guest,
  e: HostEdit,
  back: Status,
  why: string,
  short: string,
): { result: Result; guest: Guest; from: string } {
  const typed = String(g.status);
  // A waitlisted guest whose status was mistyped kept their place while the edit was pending
  // (renumberWaitlist): putting them back restores it exactly.
  const keptPlace = !isStatus(typed) && g.position !== null;
  // The row was read (and counted) holding what the host typed: undo that.
  ledger.held -= seatsIn(typed, g);
  g.status = back;
  ledger.held += seatsIn(back, g);
  if (back === 'waitlisted') {
    if (!keptPlace) g.position = ++ledger.lastPosition;
  } else {
    g.position = null;
    if (typed === 'waitlisted' || keptPlace)
      ledger.lastPosition = renumberWaitlist(ledger.guests, ledger.touched);
  }
  g.note = `${why}: put back to ${back}.`;
  ledger.touched.add(g);
  ledger.log.push({
    email: g.email,
    name: g.name,
    from: typed,
    to: back,
    lane: 'host',
    detail: `reverted: ${short}`,
  });
  return { result: 'reverted', guest: g, from: e.from };
}

/**
 * Positions are stored and must stay contiguous from 1 in waiting order. A host's edit or a crash
 * can leave gaps, repeats or blanks; we restore them here on every transaction. Returns the last position.
 */
export function renumberWaitlist(guests: Guest[], touched: Set<Guest>): number {
  // A row whose status the host mistyped keeps its place in line until the edit is settled.
  const inLine = (g: Guest) => g.status === 'waitlisted' || (!isStatus(g.status) && g.position !== null);
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
