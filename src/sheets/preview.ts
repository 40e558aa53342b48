/**
 * What the keeper would answer a seat request, from one read of the rows, outside the lock, and
 * written nowhere. The honeypot uses it: a bot is told exactly what that sign-up would have been
 * told, and nothing changes (no row, no log, no Outbox entry, no email).
 */
import { Outcome, SeatRequest, decide } from '../core/keeper';
import { GuestTable, SheetLayoutError } from './guests';
import { readSettings } from './settings-sheet';
import { NOT_SET_UP, TxFailure, openSheets, policyOf } from './transaction';

export function previewSeat(req: SeatRequest): { ok: true; outcome: Outcome } | TxFailure {
  const sheets = openSheets();
  if (!sheets) return NOT_SET_UP;
  const settings = readSettings(sheets.settings, sheets.timeZone).result;
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
      guests: new GuestTable(sheets.guests).read().guests,
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
