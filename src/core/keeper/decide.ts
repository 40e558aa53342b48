/**
 * The keeper's decision: given every guest row and a list of requests, what changes. Pure.
 *
 * Availability is recomputed from the rows on every call (never trusted from a counter), requests
 * are processed strictly in order, and a seat is granted only while confirmed + offered < capacity.
 * Every change goes through the ledger, whose running totals are checked against the rows at the end.
 */
import { addCounts } from '../flat-index';
import { Guest, countGuests } from '../model';
import { act } from './guest-actions';
import { hostEdit } from './host-edits';
import { Ledger } from './ledger';
import { seat } from './seats';
import { DEFAULT_POLICY, DecideInput, Decision, GuestAction, KeeperRequest, Step, isAction } from './types';
import { expireOffers, fill } from './waitlist';

export function decide(input: DecideInput): Decision {
  const ledger = new Ledger(input.guests, input, input.policy ?? DEFAULT_POLICY);
  // Host edits describe what the sheet already holds (and may need putting back): settle them
  // before any seat is handed out.
  const settled = new Map<KeeperRequest, Step>();
  for (const req of input.requests)
    if (isAction(req) && req.action === 'host-edit') settled.set(req, hostEdit(ledger, req));
  // After the host's edits are settled (one that made a second row live is put back, not marked).
  ledger.markDuplicates();
  expireOffers(ledger);
  fill(ledger);
  const steps: Step[] = [];
  for (const req of input.requests) {
    steps.push(settled.get(req) ?? (isAction(req) ? act(ledger, req as GuestAction) : seat(ledger, req)));
    fill(ledger);
  }
  ledger.verify();
  return {
    outcomes: steps.map((o) => ({
      ...o,
      position: o.guest.status === 'waitlisted' ? o.guest.position : null,
    })),
    updated: ledger.guests.filter((g) => g.row > 0 && ledger.touched.has(g)),
    appended: ledger.appended,
    counts: input.sheet
      ? addCounts(
          addCounts(input.sheet.counts, countGuests(input.guests, input.capacity), -1),
          countGuests(ledger.guests, input.capacity),
        )
      : countGuests(ledger.guests, input.capacity),
    log: ledger.log,
    mail: ledger.mail,
  };
}

/** The rows as a decision left them: its changes applied over what was read, its new rows after. */
export function rowsAfter(read: readonly Guest[], d: Decision): Guest[] {
  const changed = new Map(d.updated.map((g) => [g.row, g]));
  return [...read.map((g) => changed.get(g.row) ?? g), ...d.appended];
}
