/** The three reminder slots and how a host writes one ("7 days before 09:00", "off"). Pure, imports no settings. */
import { clockText, parseClock } from './quiet';

export type SlotKey = 'week' | 'day' | 'morning';

export interface ReminderSlot {
  key: SlotKey;
  daysBefore: number;
  /** Minutes after local midnight. */
  at: number;
}

export const DEFAULT_SLOTS: Record<SlotKey, ReminderSlot> = {
  week: { key: 'week', daysBefore: 7, at: 9 * 60 },
  day: { key: 'day', daysBefore: 1, at: 18 * 60 },
  morning: { key: 'morning', daysBefore: 0, at: 8 * 60 },
};

/** How the host writes a slot: "7 days before 09:00", "1 day before at 18:00", "08:00", or "off". */
export function slotText(s: ReminderSlot): string {
  return s.daysBefore
    ? `${s.daysBefore} day${s.daysBefore === 1 ? '' : 's'} before ${clockText(s.at)}`
    : clockText(s.at);
}

/** A slot as typed: undefined when blank (the default), null when off, or an error message. */
export function parseSlot(key: SlotKey, raw: string): ReminderSlot | null | string {
  const s = raw.trim().toLowerCase();
  if (!s) return DEFAULT_SLOTS[key];
  if (/^(off|no|none|false)$/.test(s)) return null;
  const m = /^(?:(\d{1,2})\s*days?\s*before\s*(?:at\s*)?|on the day\s*(?:at\s*)?)?(.+)$/.exec(s);
  const at = m ? parseClock(m[2]) : null;
  if (!m || at === null)
    return `"${raw.trim()}" is not a reminder time (e.g. "${slotText(DEFAULT_SLOTS[key])}", or "off").`;
  return {
    key,
    daysBefore: m[1] !== undefined ? Number(m[1]) : key === 'morning' ? 0 : DEFAULT_SLOTS[key].daysBefore,
    at,
  };
}
