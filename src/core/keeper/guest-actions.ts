/** A guest acting on their own row through a link or a reply: cancel, claim, decline, leave, party. Pure. */
import { blankGuest, partyOf } from '../model';
import { Ledger } from './ledger';
import { changeParty } from './seats';
import { ALREADY, GuestAction, Result, Step } from './types';

export function act(ledger: Ledger, a: GuestAction): Step {
  const g = ledger.find(a);
  if (!g) return { result: 'not-found', guest: blankGuest(a.email), from: 'new' };
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
