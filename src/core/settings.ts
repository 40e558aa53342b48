/** The event settings the host edits, validated. Pure: dates arrive already resolved by the adapter. */
import { QuietHours, clockText, parseClock } from './quiet';
import { DEFAULT_SLOTS, ReminderSlot, SlotKey, parseSlot, slotText } from './reminders';

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

export const DEFAULT_QUIET = { from: 21 * 60, to: 8 * 60 };

/** The intervals ClockTriggerBuilder.everyMinutes accepts. */
export const TRIGGER_MINUTES = [1, 5, 10, 15, 30] as const;

/** Each problem by the setting it is about, so the sheet can flag that cell. */
export type SettingFlags = Partial<Record<SettingKey, string>>;

export type SettingsResult =
  | { ok: true; settings: EventSettings; flags: SettingFlags }
  | { ok: false; problems: string[]; settings: Partial<EventSettings>; flags: SettingFlags };

/** The label of each setting in column A of the Settings sheet, and its help text. */
export const SETTING_LABELS = {
  eventName: ['Event name', 'Shown on the form and in every email.'],
  startsAt: ['Starts at', 'Date and time, e.g. 2026-12-31 19:00 (in the event time zone).'],
  endsAt: ['Ends at', 'Optional.'],
  timeZone: ['Time zone', 'e.g. Europe/London or America/New_York. Blank: the spreadsheet time zone.'],
  location: ['Location', 'Optional.'],
  details: ['Details', 'Optional: a few lines for the confirmation email.'],
  capacity: ['Capacity', 'How many seats: a whole number, 0 or more.'],
  claimWindowHours: [
    'Claim window (hours)',
    'How long a freed seat is held for the next person on the waitlist.',
  ],
  replyTo: ['Reply-to address', 'Where guests reply to RSVP by email. Blank: your address with +rsvp.'],
  hostName: ['Host name', 'The sender name on emails.'],
  offerExpiry: [
    'When an offer runs out',
    'cancel (default) or waitlist: where a guest goes who did not claim a freed seat in time.',
  ],
  replyCheckMinutes: [
    'Check replies every (minutes)',
    'For RSVP by email reply: 1, 5 (default), 10, 15 or 30. Applies when you turn on email replies.',
  ],
  closesAt: [
    'Registration closes at',
    'Optional, e.g. 2026-12-24 18:00 (event time zone): after it the form closes, no seats are offered, and those waiting are told.',
  ],
  reminderWeek: [
    'Reminder a week before',
    `When the first reminder goes, e.g. "${slotText(DEFAULT_SLOTS.week)}" (blank: that), or "off".`,
  ],
  reminderDay: ['Reminder the day before', `e.g. "${slotText(DEFAULT_SLOTS.day)}" (blank: that), or "off".`],
  reminderMorning: [
    'Reminder on the day',
    `e.g. "${slotText(DEFAULT_SLOTS.morning)}" (blank: that; if the event starts less than 4 hours later, 2 hours before it), or "off".`,
  ],
  quietHours: [
    'Quiet hours',
    `e.g. "${clockText(DEFAULT_QUIET.from)}-${clockText(DEFAULT_QUIET.to)}" (blank: that), or "off": emails that don't answer something a guest just did wait until they end, and no offer runs out in them.`,
  ],
  largestParty: [
    'Largest party',
    'How many seats one RSVP may ask for, the guest included: 1 (default) is no plus-ones; e.g. 4 lets a guest bring 3.',
  ],
  smallerFirst: [
    'Smaller parties may go first',
    'yes (default) or no: when freed seats are too few for the first party waiting, the first smaller party behind gets them (the larger one keeps its place).',
  ],
  hostEditMail: [
    'Email guests about my Status edits',
    'yes (default) or no: when you type a status into Guests (cancelled, confirmed, offered, waitlisted), the guest gets a short email saying so. No: your edits email nobody.',
  ],
} as const;

const SLOT_SETTING: Record<SlotKey, SettingKey> = {
  week: 'reminderWeek',
  day: 'reminderDay',
  morning: 'reminderMorning',
};

/** Quiet hours as typed: "21:00-08:00", blank (the default) or "off"; a string is the problem. */
function parseQuiet(raw: string): { from: number; to: number } | null | string {
  const s = raw.trim().toLowerCase();
  if (!s) return DEFAULT_QUIET;
  if (/^(off|no|none|false)$/.test(s)) return null;
  const m = /^(.+?)\s*(?:-|–|—|to|until)\s*(.+)$/.exec(s);
  const from = m ? parseClock(m[1]) : null;
  const to = m ? parseClock(m[2]) : null;
  if (from === null || to === null)
    return `Quiet hours must be two times like "21:00-08:00", or "off" (it is "${raw.trim()}").`;
  return { from, to };
}

export type SettingKey = keyof typeof SETTING_LABELS;

const zones = new Map<string, boolean>();

export function isValidTimeZone(tz: string): boolean {
  if (!tz) return false;
  // Making an Intl formatter is costly, and an execution asks about the same zone many times.
  if (!zones.has(tz)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      zones.set(tz, true);
    } catch {
      zones.set(tz, false);
    }
  }
  return zones.get(tz) as boolean;
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());

function asDate(v: unknown): Date | null | 'invalid' {
  if (v === '' || v === null || v === undefined) return null;
  if (Object.prototype.toString.call(v) === '[object Date]') {
    return isNaN((v as Date).getTime()) ? 'invalid' : (v as Date);
  }
  return 'invalid';
}

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
  // Not worth pausing registration over: flagged on its cell, and the default is used meanwhile.
  const flagOnly = (key: SettingKey, message: string) => {
    flags[key] = `${message} Using the default until it is fixed.`;
  };
  const eventName = text(raw.eventName);
  if (!eventName) bad('eventName', 'Event name is missing.');

  const capRaw = raw.capacity;
  const capacity = typeof capRaw === 'number' ? capRaw : Number(text(capRaw));
  if (text(capRaw) === '' || !Number.isInteger(capacity) || capacity < 0) {
    bad('capacity', `Capacity must be a whole number, 0 or more (it is "${text(capRaw)}").`);
  }

  const tzText = text(raw.timeZone);
  const timeZone = tzText || defaultTimeZone;
  if (!isValidTimeZone(timeZone))
    bad('timeZone', `Time zone "${timeZone}" is not a known time zone (try Europe/London).`);

  const startsAt = asDate(raw.startsAt);
  if (startsAt === 'invalid')
    bad('startsAt', 'Starts at is not a date and time (type e.g. 2026-12-31 19:00).');
  const endsAt = asDate(raw.endsAt);
  if (endsAt === 'invalid') bad('endsAt', 'Ends at is not a date and time.');
  const closesAt = asDate(raw.closesAt);
  if (closesAt === 'invalid')
    bad(
      'closesAt',
      'Registration closes at is not a date and time (type e.g. 2026-12-24 18:00, or leave it blank).',
    );
  if (startsAt instanceof Date && endsAt instanceof Date && endsAt < startsAt) {
    bad('endsAt', 'Ends at is before Starts at.');
  }

  const windowRaw = text(raw.claimWindowHours);
  const claimWindowHours = windowRaw === '' ? 24 : Number(windowRaw);
  if (!(claimWindowHours > 0)) bad('claimWindowHours', 'Claim window (hours) must be a number above 0.');

  const expiryText = text(raw.offerExpiry).toLowerCase();
  const offerExpiry = expiryText.startsWith('wait') ? 'waitlist' : 'cancel';
  if (expiryText && !['cancel', 'waitlist'].includes(expiryText)) {
    bad(
      'offerExpiry',
      `When an offer runs out must be "cancel" or "waitlist" (it is "${text(raw.offerExpiry)}").`,
    );
  }

  // A poll interval is not worth closing registration over: the nearest interval Apps Script allows.
  const minutesRaw = Number(text(raw.replyCheckMinutes));
  const replyCheckMinutes =
    text(raw.replyCheckMinutes) === '' || !(minutesRaw > 0)
      ? 5
      : TRIGGER_MINUTES.reduce((best, m) =>
          Math.abs(m - minutesRaw) < Math.abs(best - minutesRaw) ? m : best,
        );

  const reminders: ReminderSlot[] = [];
  for (const [key, setting] of Object.entries(SLOT_SETTING) as Array<[SlotKey, SettingKey]>) {
    const slot = parseSlot(key, text(raw[setting]));
    if (typeof slot === 'string') {
      flagOnly(setting, `${SETTING_LABELS[setting][0]}: ${slot}`);
      reminders.push(DEFAULT_SLOTS[key]);
    } else if (slot) reminders.push(slot);
  }
  let quiet = parseQuiet(text(raw.quietHours));
  if (typeof quiet === 'string') {
    flagOnly('quietHours', quiet);
    quiet = DEFAULT_QUIET;
  }

  const partyText = text(raw.largestParty);
  let largestParty = partyText === '' ? 1 : Number(partyText);
  if (!Number.isInteger(largestParty) || largestParty < 1) {
    flagOnly('largestParty', `Largest party must be a whole number, 1 or more (it is "${partyText}").`);
    largestParty = 1;
  }
  const orderText = text(raw.smallerFirst).toLowerCase();
  if (orderText && !/^(yes|no|y|n|true|false)$/.test(orderText))
    flagOnly(
      'smallerFirst',
      `Smaller parties may go first must be yes or no (it is "${text(raw.smallerFirst)}").`,
    );
  const smallerFirst = !/^(no|n|false)$/.test(orderText);
  const editMailText = text(raw.hostEditMail).toLowerCase();
  if (editMailText && !/^(yes|no|y|n|true|false)$/.test(editMailText))
    flagOnly(
      'hostEditMail',
      `Email guests about my Status edits must be yes or no (it is "${text(raw.hostEditMail)}").`,
    );
  const hostEditMail = !/^(no|n|false)$/.test(editMailText);

  const settings: EventSettings = {
    largestParty,
    smallerFirst,
    hostEditMail,
    reminders,
    quietHours: quiet ? { ...quiet, timeZone } : null,
    replyCheckMinutes,
    offerExpiry,
    eventName,
    startsAt: startsAt instanceof Date ? startsAt : null,
    closesAt: closesAt instanceof Date ? closesAt : null,
    endsAt: endsAt instanceof Date ? endsAt : null,
    timeZone,
    location: text(raw.location),
    details: text(raw.details),
    capacity,
    claimWindowHours,
    replyTo: text(raw.replyTo),
    hostName: text(raw.hostName),
  };
  return problems.length ? { ok: false, problems, settings, flags } : { ok: true, settings, flags };
}
