/** Seat requests (a sign-up, an invite, a "yes") and party-size changes. Pure. */
import { Guest, Lane, Status, blankGuest, partyOf, plural } from '../model';
import { Ledger } from './ledger';
import { holdsSeat } from './rows';
import { ALREADY, SeatRequest, Step } from './types';

export function seat(ledger: Ledger, req: SeatRequest): Step {
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
  const nobody = () => ({ guest: existing ?? blankGuest(req.email), from: existing?.status ?? 'new' });
  if (req.party !== undefined && largest > 1 && req.party > largest)
    return { result: 'too-large', ...nobody() };
  if ((ledger.started && req.mode === 'seat') || ledger.deadlinePassed)
    return { result: 'closed', ...nobody() };
  const party = largest > 1 ? partyOf(req.party ?? existing?.party) : 1;
  // Those waiting come first, but only for seats they could take: a party too large for the seats
  // free keeps its place without holding them (unless the host keeps strict order).
  const free = ledger.free;
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
    if (guest.party !== party) ledger.resize(guest, party);
  } else {
    guest = {
      ...blankGuest(req.email),
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
  // The answers the request brought land on the row this decision writes (a new one, or an invited
  // guest's as they confirm).
  if (req.answers && Object.keys(req.answers).length) guest.answers = { ...req.answers };
  ledger.move(guest, to, req.lane, to);
  if (returning) {
    const entry = ledger.log[ledger.log.length - 1];
    entry.detail = ['signed up again after cancelling', entry.detail].filter(Boolean).join(': ');
  }
  return { result: to, guest, from };
}

/**
 * A guest changes their party size. Fewer: always (the seats freed go to the waitlist). More: a
 * confirmed or offered guest gets the extra seats only if they are free and nobody waits ahead for
 * them; otherwise the party stays as it was. A waiting guest's place is for the party as it is now.
 */
export function changeParty(ledger: Ledger, g: Guest, party: number, lane: Lane): Step {
  const from = g.status;
  const was = partyOf(g.party);
  if (!['confirmed', 'offered', 'waitlisted', 'invited'].includes(from))
    return { result: from === 'cancelled' ? 'already-cancelled' : 'not-found', guest: g, from };
  if (party === was) return { result: 'party-changed', guest: g, from };
  const extra = party - was;
  const waiting = ledger.guests.some((o) => o.status === 'waitlisted');
  if (extra > 0 && holdsSeat(from) && (extra > ledger.free || waiting))
    return { result: 'party-unavailable', guest: g, from };
  ledger.resize(g, party);
  ledger.logSame(g, lane, `party ${was} → ${party}`);
  return { result: 'party-changed', guest: g, from };
}
