/**
 * The working state of one decision, and the only code that changes seat state (status, party,
 * waiting position, offer deadline, the running seat total): every change goes through a method
 * here, so the total, the positions, the Log and the mail always follow.
 */
import { mailboxKey } from '../email';
import { Guest, Status, isStatus } from '../model';
import { awakeDeadline } from '../quiet';
import { DecideInput, GuestAction, LogEntry, MailIntent, MailKind, Policy } from './types';
import {
  addTo,
  indexByMailbox,
  isLive,
  isSuperseded,
  ledgerProblems,
  renumberWaitlist,
  rowForMailbox,
  seatsHeld,
  seatsIn,
} from './rows';

/** A broken keeper rule: the decision is refused whole (nothing is written) rather than acted on. */
export class KeeperInvariantError extends Error {}

export class Ledger {
  readonly guests: Guest[];
  readonly byMailbox: Map<string, Guest[]>;
  readonly byToken: Map<string, Guest>;
  readonly touched = new Set<Guest>();
  readonly appended: Guest[] = [];
  readonly log: LogEntry[] = [];
  readonly mail: MailIntent[] = [];
  private seats: number;
  private lastPosition: number;

  constructor(
    guests: readonly Guest[],
    readonly input: DecideInput,
    readonly policy: Policy,
  ) {
    this.guests = guests.map((g) => ({ ...g }));
    this.byMailbox = indexByMailbox(this.guests);
    this.byToken = new Map();
    this.indexTokens();
    this.seats = seatsHeld(this.guests);
    this.viewSeats = this.seats;
    if (input.sheet) {
      // Only some rows in view: the seats and the line are the whole sheet's, from its index.
      this.seats = input.sheet.counts.seats.confirmed + input.sheet.counts.seats.offered;
      this.lastPosition = input.sheet.lastPosition;
    } else this.lastPosition = renumberWaitlist(this.guests, this.touched);
  }

  /** Seats the rows in view held as read. */
  private readonly viewSeats: number;

  /** Seats held now (confirmed, offered, or a status the host typed that is not settled yet). */
  get held(): number {
    return this.seats;
  }

  get free(): number {
    return this.input.capacity - this.seats;
  }

  get started(): boolean {
    return !!this.policy.startsAt && this.input.now.getTime() >= this.policy.startsAt.getTime();
  }

  /** Past the registration deadline (Settings → Registration closes at). */
  get deadlinePassed(): boolean {
    const c = this.policy.closesAt;
    return !!c && this.input.now.getTime() >= c.getTime();
  }

  /** A guest's status changes, with its Log row and, if `mail`, the guest's email. */
  move(g: Guest, to: Status, lane: LogEntry['lane'], mail: MailKind | null, detail = ''): void {
    const from = g.status;
    // ('new' marks a row this decision adds: it held nothing before.)
    if (from !== 'new') this.seats -= seatsIn(from, g);
    this.seats += seatsIn(to, g);
    const wasWaiting = from === 'waitlisted';
    g.status = to;
    g.updated = this.input.now;
    g.position = to === 'waitlisted' ? ++this.lastPosition : null;
    g.offerExpires = to === 'offered' ? this.deadline() : null;
    if (g.row) this.touched.add(g);
    // Everyone behind a guest who left the waitlist moves up: positions stay contiguous.
    if (wasWaiting && to !== 'waitlisted') this.renumber();
    const what =
      detail || (to === 'waitlisted' ? `waitlist #${g.position}` : to === 'offered' ? 'seat held' : '');
    this.log.push({ email: g.email, name: g.name, from, to, lane, detail: what });
    if (mail) this.mail.push({ kind: mail, guest: g, immediate: lane === 'form' || lane === 'email' });
  }

  /** A guest's party size changes (the seats it holds follow); the caller logs why. */
  resize(g: Guest, party: number): void {
    this.seats += seatsIn(g.status, { ...g, party }) - seatsIn(g.status, g);
    g.party = party;
    g.updated = this.input.now;
    this.touched.add(g);
  }

  /**
   * A status the host typed stands: the row already holds it (and was counted so). It is followed
   * through: an offer gets a deadline, anything else loses one.
   */
  followHostStatus(g: Guest): void {
    if (g.status === 'offered' && !g.offerExpires) g.offerExpires = this.deadline();
    if (g.status !== 'offered') g.offerExpires = null;
    g.updated = this.input.now;
    this.touched.add(g);
  }

  /**
   * A host's edit the keeper cannot follow: the row goes back to `back`. A waitlisted guest whose
   * status was mistyped kept their place while the edit was pending (see inLine): putting them back
   * restores it exactly. Returns the status the row held (and was counted as).
   */
  putBack(g: Guest, back: Status): string {
    const typed = String(g.status);
    const keptPlace = !isStatus(typed) && g.position !== null;
    this.seats += seatsIn(back, g) - seatsIn(typed, g);
    g.status = back;
    if (back === 'waitlisted') {
      if (!keptPlace) g.position = ++this.lastPosition;
    } else {
      g.position = null;
      if (typed === 'waitlisted' || keptPlace) this.renumber();
    }
    this.touched.add(g);
    return typed;
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
        this.seats -= seatsIn(from, g);
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
    this.renumber();
    this.indexTokens();
  }

  /** A Log row about a guest whose status does not change (a party size, a pass-over). */
  logSame(g: Guest, lane: LogEntry['lane'], detail: string): void {
    this.log.push({ email: g.email, name: g.name, from: g.status, to: g.status, lane, detail });
  }

  /** A deadline for an offer: the claim window (quiet hours not counted), never past the start. */
  deadline(): Date {
    const start = this.policy.startsAt?.getTime() ?? Infinity;
    return new Date(
      awakeDeadline(this.input.now.getTime(), this.policy.claimWindowMs, this.policy.quiet ?? null, start),
    );
  }

  rowsOf(email: string): Guest[] {
    return this.byMailbox.get(mailboxKey(email)) ?? [];
  }

  byEmail(email: string): Guest | undefined {
    return email ? rowForMailbox(this.rowsOf(email), email) : undefined;
  }

  /** A new guest row, still 'new' (it holds nothing until it is moved). */
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

  /** The waiting line in order. */
  line(): Guest[] {
    return this.guests
      .filter((g) => g.status === 'waitlisted')
      .sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
  }

  /** Refuses a decision whose running totals drifted from the rows: a keeper bug, never acted on. */
  verify(): void {
    const sheet = this.input.sheet;
    const problems = sheet
      ? ledgerProblems(
          this.guests,
          this.seats - sheet.counts.seats.confirmed - sheet.counts.seats.offered + this.viewSeats,
          false,
        )
      : ledgerProblems(this.guests, this.seats);
    if (problems.length) throw new KeeperInvariantError(`keeper invariant broken: ${problems.join('; ')}`);
  }

  private renumber(): void {
    this.lastPosition = renumberWaitlist(this.guests, this.touched);
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
}
