/**
 * The registration deadline's one-time notice: once it has passed, each guest still on the waitlist
 * is told that no seat will be offered. Pure; the Log row written with the email (same flush) is what
 * makes it once per guest, even across overlapping or interrupted runs.
 */
import { LogEntry, MailIntent } from './keeper';
import { LoggedChange } from './log-replay';
import { Guest } from './model';

export const WAITLIST_CLOSED_DETAIL = 'told: the waitlist has closed';

export function waitlistClosedNotices(
  guests: readonly Guest[],
  log: readonly LoggedChange[],
  closesAt: Date | null,
  now: Date,
): { mail: MailIntent[]; log: LogEntry[] } {
  if (!closesAt || now.getTime() < closesAt.getTime()) return { mail: [], log: [] };
  const told = new Set(log.filter((l) => l.detail === WAITLIST_CLOSED_DETAIL).map((l) => l.email));
  const waiting = guests.filter((g) => g.status === 'waitlisted' && g.email && !told.has(g.email));
  return {
    mail: waiting.map((guest) => ({ kind: 'waitlist-closed' as const, guest })),
    log: waiting.map((g) => ({
      email: g.email,
      name: g.name,
      from: 'waitlisted',
      to: 'waitlisted',
      lane: 'keeper' as const,
      detail: WAITLIST_CLOSED_DETAIL,
    })),
  };
}
