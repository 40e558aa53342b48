/** The waiting line: offers that run out, and freed seats offered in order. Pure. */
import { Guest, partyOf, plural } from '../model';
import { isQuiet } from '../quiet';
import { Ledger } from './ledger';
import { LogEntry } from './types';

/** 1, 2 and 3 */
const listed = (xs: readonly number[]) =>
  xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

/** Offers past their deadline end; the seat goes to the next person. Not in quiet hours (before the start). */
export function expireOffers(ledger: Ledger): void {
  const now = ledger.input.now.getTime();
  if (!ledger.started && isQuiet(now, ledger.policy.quiet ?? null)) return;
  for (const g of ledger.guests) {
    if (g.status === 'offered' && g.offerExpires && g.offerExpires.getTime() <= now) {
      ledger.move(g, ledger.policy.expiredTo, 'keeper', 'expired', 'offer expired');
    }
  }
}

/**
 * Free seats go to the waitlist in order, as offers with a claim window. Never after the start. A
 * party goes whole or not at all: when the first in line does not fit, the first party behind that
 * does gets the offer (unless the host keeps strict order), and the Log says who was passed over.
 */
export function fill(ledger: Ledger): void {
  // Freed seats stay free after the deadline: nobody is offered one any more.
  if (ledger.started || ledger.deadlinePassed) return;
  const passes = new Map<Guest, { row: LogEntry; free: number; behind: number[] }>();
  while (ledger.free > 0) {
    const free = ledger.free;
    const line = ledger.line();
    const i = line.findIndex((g) => partyOf(g.party) <= free);
    if (i < 0 || (i > 0 && ledger.policy.smallerFirst === false)) break;
    const next = line[i];
    for (const passed of line.slice(0, i)) {
      // One Log row per party passed over in one fill, however many offers go past it.
      const seen = passes.get(passed);
      if (seen) seen.behind.push(partyOf(next.party));
      else {
        ledger.logSame(passed, 'keeper', '');
        passes.set(passed, { row: ledger.log[ledger.log.length - 1], free, behind: [partyOf(next.party)] });
      }
    }
    ledger.move(next, 'offered', 'keeper', 'offered');
  }
  for (const [passed, { row, free, behind }] of passes)
    row.detail = `passed over: a party of ${partyOf(passed.party)}, ${plural(free, 'seat')} free; offered to ${
      behind.length === 1 ? `a party of ${behind[0]}` : `parties of ${listed(behind)}`
    } behind`;
}
