/**
 * The event's time and place as guests were told them. The recount logs a row whenever the host
 * changes them in Settings, so a reminder can say what changed since the guest confirmed. Pure.
 */
import type { LogEntry } from './keeper';
import type { LoggedChange } from './log-replay';
import type { EventSettings } from './settings';

export interface EventFacts {
  /** ISO instant, '' when not set. */
  startsAt: string;
  location: string;
}

export const FACTS_DETAIL = 'event time and place: ';

export const factsOf = (s: Pick<EventSettings, 'startsAt' | 'location'>): EventFacts => ({
  startsAt: s.startsAt ? s.startsAt.toISOString() : '',
  location: s.location,
});

const sameFacts = (a: EventFacts, b: EventFacts) => a.startsAt === b.startsAt && a.location === b.location;

function parse(detail: string): EventFacts | null {
  try {
    const f = JSON.parse(detail.slice(FACTS_DETAIL.length)) as Partial<EventFacts>;
    return { startsAt: String(f.startsAt ?? ''), location: String(f.location ?? '') };
  } catch {
    return null;
  }
}

/** Every recorded version, oldest first, with when it was recorded. */
export type FactsHistory = Array<{ when: number; facts: EventFacts }>;

/** Every recorded version, oldest first (read once per transaction). */
export function factsHistory(log: readonly LoggedChange[]): FactsHistory {
  return history(log);
}

function history(log: readonly LoggedChange[]): FactsHistory {
  const out: Array<{ when: number; facts: EventFacts }> = [];
  for (const l of log) {
    if (!l.email && l.detail.startsWith(FACTS_DETAIL)) {
      const facts = parse(l.detail);
      if (facts) out.push({ when: l.when?.getTime() ?? 0, facts });
    }
  }
  return out;
}

/** A Log row recording the current facts, when they differ from the last ones recorded. */
export function factsChange(log: readonly LoggedChange[], now: EventFacts): LogEntry[] {
  const h = history(log);
  const last = h[h.length - 1]?.facts;
  if (last && sameFacts(last, now)) return [];
  return [
    { email: '', name: '', from: '', to: '', lane: 'host', detail: FACTS_DETAIL + JSON.stringify(now) },
  ];
}

/**
 * What a guest confirmed at `since` was told (the version in force then; the first one recorded if
 * they confirmed before any), as the Outbox's About cell: '' when nothing changed since.
 */
export function toldBefore(h: FactsHistory, since: number, now: EventFacts): string {
  if (!h.length) return '';
  const then = [...h].reverse().find((x) => x.when <= since)?.facts ?? h[0].facts;
  return sameFacts(then, now) ? '' : JSON.stringify(then);
}

/** The About cell read back ('' or unreadable: nothing to say). */
export function aboutFacts(about: string): EventFacts | null {
  if (!about) return null;
  return parse(FACTS_DETAIL + about);
}
