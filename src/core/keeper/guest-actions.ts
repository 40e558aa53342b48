/** A guest acting on their own row through a link or a reply: cancel, claim, decline, leave, party. Pure. */
import { Guest, blankGuest, isStatus, partyOf } from '../model';
import { Ledger } from './ledger';
import { changeParty } from './seats';
import { ALREADY, GuestAction, Result, Step } from './types';

/**
 * A guest's answers from their own page: written on their row, whatever their seat (the seat does
 * not change). A cancelled RSVP's page no longer takes answers.
 */
function saveAnswers(ledger: Ledger, g: Guest, a: GuestAction): Step {
  const from = g.status;
  if (from === 'cancelled') return { result: 'already-cancelled', guest: g, from };
  if (!isStatus(from) || from === 'duplicate') return { result: 'not-found', guest: g, from };
  g.answers = { ...(a.answers ?? {}) };
  g.updated = ledger.input.now;
  ledger.touched.add(g);
  ledger.logSame(g, a.lane, 'details updated');
  return { result: 'details-saved', guest: g, from };
}

export function act(ledger: Ledger, a: GuestAction): Step {
  const g = ledger.find(a);
  if (!g) return { result: 'not-found', guest: blankGuest(a.email), from: 'new' };
  const from = g.status;
  if (a.action === 'party') return changeParty(ledger, g, partyOf(a.party), a.lane);
  if (a.action === 'answers') return saveAnswers(ledger, g, a);
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
