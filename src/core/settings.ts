/** The event settings the host edits, validated. Pure: dates arrive already resolved by the adapter. */
import { QuietHours } from './quiet';
import type { ReminderSlot } from './reminder-slots';
import { SETTINGS, SETTING_KEYS, SettingKey, SettingSpec, SettingValues } from './settings-schema';

export {
  DEFAULT_QUIET,
  SETTINGS,
  SETTING_LABELS,
  TRIGGER_MINUTES,
  isValidTimeZone,
  settingsMarkdown,
} from './settings-schema';
export type { SettingKey } from './settings-schema';

export interface EventSettings {
  eventName: string;
  startsAt: Date | null;
  /** After this, no sign-ups, no invites, no offers (blank: registration closes when the event starts). */
  closesAt: Date | null;
  endsAt: Date | null;
  timeZone: string;
  location: string;
  details: string;
  capacity: number;
  claimWindowHours: number;
  replyTo: string;
  hostName: string;
  /** What happens to a guest who does not claim a freed seat in time. */
  offerExpiry: 'cancel' | 'waitlist';
  /** How often the email lane looks for replies, once turned on: one of Apps Script's intervals. */
  replyCheckMinutes: number;
  /** The reminder slots that are on (Settings: a week before, the day before, on the day). */
  reminders: ReminderSlot[];
  /** Quiet hours in the event's time zone, or null when turned off. */
  quietHours: QuietHours | null;
  /** How many seats one RSVP may ask for, the guest included (1: parties are off). */
  largestParty: number;
  /** A freed seat may go to a smaller party behind one too large for it. */
  smallerFirst: boolean;
  /** A status the host types into Guests is emailed to the guest (cancelled, confirmed, offered…). */
  hostEditMail: boolean;
}

/** Each problem by the setting it is about, so the sheet can flag that cell. */
export type SettingFlags = Partial<Record<SettingKey, string>>;

export type SettingsResult =
  | { ok: true; settings: EventSettings; flags: SettingFlags }
  | { ok: false; problems: string[]; settings: Partial<EventSettings>; flags: SettingFlags };

/**
 * The settings as the host typed them, read by the schema (settings-schema.ts): a problem with a
 * 'pause' setting pauses registration, one with a 'flag' setting flags its cell and uses the default.
 */
export function parseSettings(
  raw: Partial<Record<SettingKey, unknown>>,
  defaultTimeZone: string,
): SettingsResult {
  const problems: string[] = [];
  const flags: SettingFlags = {};
  const bad = (key: SettingKey, message: string) => {
    problems.push(message);
    flags[key] = flags[key] ? `${flags[key]} ${message}` : message;
  };
  const values = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) {
    const spec: SettingSpec = SETTINGS[key];
    const r = spec.parse(raw[key], { defaultTimeZone });
    if ('value' in r) values[key] = r.value;
    else if (spec.onProblem === 'flag') {
      flags[key] = `${r.problem} Using the default until it is fixed.`;
      values[key] = spec.fallback;
    } else bad(key, r.problem);
  }
  const v = values as Partial<SettingValues>;
  const startsAt = v.startsAt ?? null;
  const endsAt = v.endsAt ?? null;
  if (startsAt && endsAt && endsAt < startsAt) bad('endsAt', 'Ends at is before Starts at.');
  const timeZone = v.timeZone ?? defaultTimeZone;
  const quiet = v.quietHours;
  const settings: EventSettings = {
    largestParty: v.largestParty ?? 1,
    smallerFirst: v.smallerFirst ?? true,
    hostEditMail: v.hostEditMail ?? true,
    reminders: [v.reminderWeek, v.reminderDay, v.reminderMorning].filter((x): x is ReminderSlot => !!x),
    quietHours: quiet ? { ...quiet, timeZone } : null,
    replyCheckMinutes: v.replyCheckMinutes ?? 5,
    offerExpiry: v.offerExpiry ?? 'cancel',
    eventName: v.eventName ?? '',
    startsAt,
    closesAt: v.closesAt ?? null,
    endsAt,
    timeZone,
    location: v.location ?? '',
    details: v.details ?? '',
    capacity: v.capacity ?? NaN,
    claimWindowHours: v.claimWindowHours ?? 24,
    replyTo: v.replyTo ?? '',
    hostName: v.hostName ?? '',
  };
  return problems.length ? { ok: false, problems, settings, flags } : { ok: true, settings, flags };
}
