/**
 * Reminders: which confirmed guest gets which reminder, and when. Pure. The Log row written with the
 * reminder's Outbox row (same transaction, same flush) is what makes each one go once per guest,
 * even across overlapping or interrupted runs.
 *
 * Slots (Settings, event time zone): a week before at 09:00, the day before at 18:00, and the morning
 * of at 08:00 (or 2 hours before, when the event starts less than 4 hours after that). A slot that had
 * passed when the guest was confirmed is skipped; when several are due at once (the script was off),
 * only the latest goes.
 */
import { EventFacts, factsHistory, toldBefore } from './event-facts';
import type { LogEntry, MailIntent } from './keeper';
import type { LoggedChange } from './log-replay';
import type { Guest } from './model';
import { QuietHours, quietEnd } from './quiet';
import type { ReminderSlot, SlotKey } from './reminder-slots';

export { DEFAULT_SLOTS, parseSlot, slotText } from './reminder-slots';
export type { ReminderSlot, SlotKey } from './reminder-slots';
import { instantOf, plusDays, wallAt } from './zoned';

export const REMINDER_LABEL: Record<SlotKey, string> = {
  week: 'a week before',
  day: 'the day before',
  morning: 'on the day',
};

/** The Log detail that records a guest's reminder for a slot. */
export const reminderDetail = (key: SlotKey) => `reminder: ${REMINDER_LABEL[key]}`;

const MORNING_LEAD = 4 * 3600e3;
/** Reminders queued per transaction, at most. */
export const MAX_PER_RUN = 1000;
const SHORT_NOTICE = 2 * 3600e3;
/** A slot this late was missed (the 10-minute run is not), and gives way to a later one within a day. */
const MISSED_AFTER = 3 * 3600e3;
const LATE_SLOT_WINDOW = 24 * 3600e3;

/** When a slot's reminders go, for an event starting at `start`; null when that is not before the start. */
export function slotTime(slot: ReminderSlot, start: number, tz: string): number | null {
  const day = plusDays(
    { ...wallAt(start, tz), hour: Math.floor(slot.at / 60), minute: slot.at % 60 },
    -slot.daysBefore,
  );
  let t = instantOf(day, tz);
  if (slot.key === 'morning' && start - t < MORNING_LEAD) t = start - SHORT_NOTICE;
  return t < start ? t : null;
}

export interface ReminderPlanInput {
  guests: readonly Guest[];
  log: readonly LoggedChange[];
  slots: readonly ReminderSlot[];
  startsAt: Date | null;
  timeZone: string;
  quiet: QuietHours | null;
  now: Date;
  /** Emails left in today's quota and reminders already waiting in the Outbox (null: not known). */
  mailQuota: number | null;
  queuedReminders: number;
  /** The event's time and place now: a reminder says what changed since the guest confirmed. */
  facts: EventFacts;
}

export interface ReminderPlan {
  mail: Array<MailIntent & { about: string }>;
  log: LogEntry[];
  /** For the host (summary, dashboard): reminders that will not all fit in today's quota. */
  warnings: string[];
}

interface Timed {
  slot: ReminderSlot;
  at: number;
}

/** When each email was last confirmed, from the Log (one pass). */
function confirmations(log: readonly LoggedChange[]): Map<string, number> {
  const at = new Map<string, number>();
  for (const l of log)
    if (l.to === 'confirmed' && l.from !== 'confirmed' && l.when) at.set(l.email, l.when.getTime());
  return at;
}

export function planReminders(input: ReminderPlanInput): ReminderPlan {
  const none: ReminderPlan = { mail: [], log: [], warnings: [] };
  const start = input.startsAt?.getTime();
  const now = input.now.getTime();
  if (start === undefined || now >= start) return none;
  const timed: Timed[] = input.slots
    .map((slot) => ({ slot, at: slotTime(slot, start, input.timeZone) }))
    .filter((x): x is Timed => x.at !== null)
    .sort((a, b) => a.at - b.at);
  if (!timed.length) return none;
  const confirmed = confirmations(input.log);
  // A guest the Log does not show confirming (typed in by hand): their row's dates.
  const confirmedAt = (g: Guest) => confirmed.get(g.email) ?? (g.updated ?? g.created)?.getTime() ?? 0;
  const told = new Map<string, Array<{ key: string; when: number }>>();
  for (const l of input.log)
    if (l.detail.startsWith('reminder: ') && l.when) {
      const list = told.get(l.email) ?? [];
      list.push({ key: l.detail, when: l.when.getTime() });
      told.set(l.email, list);
    }
  // For each guest, the latest slot that applies to them and is due (by `due`), unless already told.
  const owed = (due: (t: Timed) => boolean) => {
    const out: Array<{ guest: Guest; t: Timed; since: number }> = [];
    for (const g of input.guests) {
      if (g.status !== 'confirmed' || !g.email) continue;
      const since = confirmedAt(g);
      const mine = timed.filter((t) => t.at > since);
      const latest = [...mine].reverse().find(due);
      if (!latest) continue;
      // A slot missed by hours (the script was off) is dropped when a later one comes within a day:
      // sent now it would say what that one says ("tomorrow"), and the guest would get it twice.
      const missed = now - latest.at > MISSED_AFTER;
      if (missed && mine.some((t) => t.at > now && t.at - now <= LATE_SLOT_WINDOW)) continue;
      const theirs = (told.get(g.email) ?? []).filter((x) => x.when >= since);
      const already = mine
        .filter((t) => t.at >= latest.at)
        .some((t) => theirs.some((x) => x.key === reminderDetail(t.slot.key)));
      if (!already) out.push({ guest: g, t: latest, since });
    }
    return out;
  };
  const quota = input.mailQuota;
  // A slot whose reminders will not fit in what is left of today's quota starts at its day's first
  // waking hour instead: the ones that fit go before the day's other emails use the quota, and the
  // quota (refilled 24 hours after its first email) starts refilling sooner for the rest.
  const early = new Set(
    timed.filter(
      (t) =>
        quota !== null &&
        now < t.at &&
        now >= dayStart(t.at, input.timeZone, input.quiet) &&
        owed((x) => x === t).length + input.queuedReminders > quota,
    ),
  );
  // A run sends at most a few hundred: planning more than this per transaction only holds the lock
  // longer (10,000 at once held it 7.6 s in the bench); the next run plans the rest.
  // The Log's versions of the time and place, parsed once (not once per guest, inside the lock).
  const facts = factsHistory(input.log);
  const due = owed((t) => t.at <= now || early.has(t)).slice(0, MAX_PER_RUN);
  const warnings: string[] = [];
  if (quota !== null) {
    const soon = timed.filter((t) => t.at > now && t.at - now <= 24 * 3600e3);
    const coming = owed((t) => t.at <= now || soon.includes(t)).length;
    const need = coming + input.queuedReminders;
    if (need > quota)
      warnings.push(
        `Reminders: ${need} to send in the next 24 hours but only ${quota} emails left in today's quota; ` +
          'they start early and the rest go as the quota refills (24 hours after its first email).',
      );
  }
  return {
    mail: due.map(({ guest, since }) => ({
      kind: 'reminder' as const,
      guest,
      about: toldBefore(facts, since, input.facts),
    })),
    log: due.map(({ guest, t }) => ({
      email: guest.email,
      name: guest.name,
      from: 'confirmed',
      to: 'confirmed',
      lane: 'keeper' as const,
      detail: reminderDetail(t.slot.key),
    })),
    warnings,
  };
}

/** The first waking moment of the local day that holds `t`. */
function dayStart(t: number, tz: string, quiet: QuietHours | null): number {
  return quietEnd(instantOf({ ...wallAt(t, tz), hour: 0, minute: 0 }, tz), quiet);
}
