/**
 * What the keeper would answer a seat request, from one read of the rows, outside the lock, and
 * written nowhere. The honeypot uses it: a bot is told exactly what that sign-up would have been
 * told, and nothing changes (no row, no log, no Outbox entry, no email).
 */
import { Outcome, SeatRequest, decide } from '../core/keeper';
import { SheetLayoutError } from '../sheets/guests-table';
import { Workbook } from '../sheets/workbook';
import { NOT_SET_UP, TxFailure, policyOf } from './transaction';

export function previewSeat(req: SeatRequest): { ok: true; outcome: Outcome } | TxFailure {
  const book = Workbook.open();
  if (!book) return NOT_SET_UP;
  const settings = book.settings.read().result;
  if (!settings.ok) {
    return {
      ok: false,
      reason: 'closed',
      message: 'Registration is not open yet.',
      problems: settings.problems,
    };
  }
  try {
    const decision = decide({
      guests: book.guests.read().guests,
      capacity: settings.settings.capacity,
      requests: [req],
      now: new Date(),
      newToken: () => '',
      policy: policyOf(settings.settings),
    });
    return { ok: true, outcome: decision.outcomes[0] };
  } catch (e) {
    if (e instanceof SheetLayoutError) return { ok: false, reason: 'broken', message: e.message };
    throw e;
  }
}
