/**
 * The registration deadline's one-time notice: once it has passed, each guest still on the waitlist
 * is told that no seat will be offered. Pure; the Log row written with the email (same flush) is what
 * makes it once per guest, even across overlapping or interrupted runs.
 */
import { LogEntry, MailIntent } from './keeper';
import { LoggedChange } from './log-replay';
import { Guest } from './model';

export const WAITLIST_CLOSED_DETAIL = 'told: the waitlist has closed';

/**
 * Why sign-ups are over at `now`, if they are: the registration deadline passed, or the event
 * started. One rule for the form, the summary and the dashboard (a start typed in the past, say
 * 7/12/2026 read as 12 July, closes all three alike).
 */
export function closedBy(
  s: { startsAt: Date | null; closesAt: Date | null },
  now: number,
): 'deadline' | 'started' | null {
  if (s.closesAt && now >= s.closesAt.getTime()) return 'deadline';
  if (s.startsAt && now >= s.startsAt.getTime()) return 'started';
  return null;
}

/** The summary's and the dashboard's words for it. */
export const CLOSED_LINE: Record<'deadline' | 'started', string> = {
  deadline: 'Closed: Registration closes at has passed, so the form takes no sign-ups',
  started:
    'Closed: Starts at has passed, so the form takes no sign-ups (if that date is wrong, fix it in Settings)',
};

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
