/** The host typed a Status or a Party by hand: followed through, or put back with a note. Pure. */
import { Guest, Status, blankGuest, isStatus, partyOf } from '../model';
import { Ledger } from './ledger';
import { holdsSeat, isLive } from './rows';
import { HostEdit, MailKind, Step } from './types';

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
export function hostEdit(ledger: Ledger, e: HostEdit): Step {
  const g =
    (e.row && ledger.guests.find((o) => o.row === e.row && o.token === (e.token ?? ''))) ||
    (e.token && ledger.byToken.get(e.token)) ||
    ledger.byEmail(e.email);
  if (!g) return { result: 'not-found', guest: blankGuest(e.email), from: e.from };
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
  if (to === 'confirmed' && ledger.free < 0) {
    detail = `host override: over capacity by ${-ledger.free}`;
    g.note = 'Confirmed by the host beyond capacity.';
  }
  ledger.followHostStatus(g);
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
function hostPartyEdit(ledger: Ledger, g: Guest, e: HostEdit): Step {
  const typed = e.to.trim();
  const n = typed === '' ? 1 : Number(typed);
  const was = partyOf(e.from);
  g.updated = ledger.input.now;
  ledger.touched.add(g);
  if (!Number.isInteger(n) || n < 1) {
    // The row was read holding what the cell now says (1 for a word): count the old party again.
    ledger.resize(g, was);
    g.note = `Party "${typed.slice(0, 40)}" is not a whole number from 1: put back to ${was}.`;
    ledger.logSame(g, 'host', 'reverted: party not a number');
    return { result: 'reverted', guest: g, from: g.status };
  }
  if (n === was) return { result: 'host-edit', guest: g, from: g.status };
  clearEditNote(g);
  const over = holdsSeat(g.status) && ledger.free < 0;
  if (over) g.note = 'Party raised by the host beyond capacity.';
  const by = over ? `: over capacity by ${-ledger.free}` : '';
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
function putBack(ledger: Ledger, g: Guest, e: HostEdit, back: Status, why: string, short: string): Step {
  const typed = ledger.putBack(g, back);
  g.note = `${why}: put back to ${back}.`;
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
