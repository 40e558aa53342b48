/**
 * Every setting, once: its label in column A of the Settings sheet, its help text, its type, how it
 * is read, what blank means, and whether a problem with it pauses registration or only flags its
 * cell (the default is used meanwhile). The Settings sheet, the parser, the flags, the Set up
 * sidebar, the sheet's data validation and the README's table all derive from this list. Pure.
 */
import { clockText, parseClock } from './quiet';
import { DEFAULT_SLOTS, ReminderSlot, SlotKey, parseSlot, slotText } from './reminder-slots';

/** What kind of value a setting holds: it picks the sidebar's input and the cell's data validation. */
export type SettingType =
  | 'text'
  | 'longText'
  | 'dateTime'
  | 'timeZone'
  | 'wholeNumber'
  | 'hours'
  | 'choice'
  | 'yesNo'
  | 'email'
  | 'reminder'
  | 'quietHours';

export interface ParseContext {
  /** The spreadsheet's time zone: what a blank Time zone means. */
  defaultTimeZone: string;
}

export type Parsed<T> = { value: T } | { problem: string };

export interface SettingSpec<T = unknown> {
  label: string;
  help: string;
  type: SettingType;
  /** What a blank cell means, in words (the README's table, the sidebar's placeholder). */
  blank: string;
  /** 'pause': a problem pauses registration until it is fixed; 'flag': the cell is flagged, the default used. */
  onProblem: 'pause' | 'flag';
  /** The values a dropdown offers (a choice, yes/no, suggestions for a reminder or quiet hours). */
  choices?: readonly string[];
  /** A choice must be one of `choices` (false: they are suggestions, anything that parses goes). */
  strict?: boolean;
  /** The smallest number allowed. */
  min?: number;
  /** Shown in the Set up sidebar (the rest stay in the Settings sheet, for hosts who need them). */
  inSidebar?: boolean;
  parse(raw: unknown, ctx: ParseContext): Parsed<T>;
  /** The value used while a flagged problem waits to be fixed. */
  fallback?: T;
}

const YES_NO = /^(yes|no|y|n|true|false)$/;

export const cellText = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/** A date and time (the adapter has resolved typed text in the event's time zone), or blank. */
const dateTime =
  (problem: string) =>
  (raw: unknown): Parsed<Date | null> => {
    if (raw === '' || raw === null || raw === undefined) return { value: null };
    return isDate(raw) && !isNaN(raw.getTime()) ? { value: raw } : { problem };
  };

const wholeNumber =
  (label: string, min: number, blank: number | null) =>
  (raw: unknown): Parsed<number> => {
    const t = cellText(raw);
    if (t === '' && blank !== null) return { value: blank };
    const n = typeof raw === 'number' ? raw : Number(t);
    return t !== '' && Number.isInteger(n) && n >= min
      ? { value: n }
      : { problem: `${label} must be a whole number, ${min} or more (it is "${t}").` };
  };

const yesNo =
  (label: string) =>
  (raw: unknown): Parsed<boolean> => {
    const t = cellText(raw).toLowerCase();
    if (t && !YES_NO.test(t)) return { problem: `${label} must be yes or no (it is "${cellText(raw)}").` };
    return { value: !/^(no|n|false)$/.test(t) };
  };

const plain = (raw: unknown): Parsed<string> => ({ value: cellText(raw) });

const reminder =
  (key: SlotKey, label: string) =>
  (raw: unknown): Parsed<ReminderSlot | null> => {
    const slot = parseSlot(key, cellText(raw));
    return typeof slot === 'string' ? { problem: `${label}: ${slot}` } : { value: slot };
  };

export const DEFAULT_QUIET = { from: 21 * 60, to: 8 * 60 };

/** Quiet hours as typed: "21:00-08:00", blank (the default) or "off". */
function quietHours(raw: unknown): Parsed<{ from: number; to: number } | null> {
  const s = cellText(raw).toLowerCase();
  if (!s) return { value: DEFAULT_QUIET };
  if (/^(off|no|none|false)$/.test(s)) return { value: null };
  const m = /^(.+?)\s*(?:-|–|—|to|until)\s*(.+)$/.exec(s);
  const from = m ? parseClock(m[1]) : null;
  const to = m ? parseClock(m[2]) : null;
  if (from === null || to === null)
    return {
      problem: `Quiet hours must be two times like "21:00-08:00", or "off" (it is "${cellText(raw)}").`,
    };
  return { value: { from, to } };
}

/** The intervals ClockTriggerBuilder.everyMinutes accepts. */
export const TRIGGER_MINUTES = [1, 5, 10, 15, 30] as const;

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

const quietText = `${clockText(DEFAULT_QUIET.from)}-${clockText(DEFAULT_QUIET.to)}`;

/** The settings, in the order of the Settings sheet. */
export const SETTINGS = {
  eventName: {
    label: 'Event name',
    help: 'Shown on the form and in every email.',
    type: 'text',
    blank: 'required',
    onProblem: 'pause',
    inSidebar: true,
    parse: (raw: unknown): Parsed<string> =>
      cellText(raw) ? { value: cellText(raw) } : { problem: 'Event name is missing.' },
  },
  startsAt: {
    label: 'Starts at',
    help: 'Date and time, e.g. 2026-12-31 19:00 (in the event time zone). Double-click the cell for a date picker.',
    type: 'dateTime',
    blank: 'no start time (sign-ups stay open)',
    onProblem: 'pause',
    inSidebar: true,
    parse: dateTime('Starts at is not a date and time (type e.g. 2026-12-31 19:00).'),
  },
  endsAt: {
    label: 'Ends at',
    help: 'Optional.',
    type: 'dateTime',
    blank: 'no end time',
    onProblem: 'pause',
    inSidebar: true,
    parse: dateTime('Ends at is not a date and time.'),
  },
  timeZone: {
    label: 'Time zone',
    help: 'e.g. Europe/London or America/New_York. Blank: the spreadsheet time zone.',
    type: 'timeZone',
    blank: "the spreadsheet's time zone",
    onProblem: 'pause',
    inSidebar: true,
    parse: (raw: unknown, ctx: ParseContext): Parsed<string> => {
      const tz = cellText(raw) || ctx.defaultTimeZone;
      return isValidTimeZone(tz)
        ? { value: tz }
        : { problem: `Time zone "${tz}" is not a known time zone (try Europe/London).` };
    },
  },
  location: {
    label: 'Location',
    help: 'Optional.',
    type: 'text',
    blank: 'none',
    onProblem: 'pause',
    inSidebar: true,
    parse: plain,
  },
  details: {
    label: 'Details',
    help: 'Optional: a few lines for the confirmation email.',
    type: 'longText',
    blank: 'none',
    onProblem: 'pause',
    inSidebar: true,
    parse: plain,
  },
  capacity: {
    label: 'Capacity',
    help: 'How many seats: a whole number, 0 or more.',
    type: 'wholeNumber',
    blank: 'required',
    onProblem: 'pause',
    min: 0,
    inSidebar: true,
    parse: wholeNumber('Capacity', 0, null),
  },
  claimWindowHours: {
    label: 'Claim window (hours)',
    help: 'How long a freed seat is held for the next person on the waitlist.',
    type: 'hours',
    blank: '24',
    onProblem: 'pause',
    inSidebar: true,
    parse: (raw: unknown): Parsed<number> => {
      const t = cellText(raw);
      const n = t === '' ? 24 : Number(t);
      return n > 0 ? { value: n } : { problem: 'Claim window (hours) must be a number above 0.' };
    },
  },
  replyTo: {
    label: 'Reply-to address',
    help: 'Where guests reply to RSVP by email. Blank: your address with +rsvp.',
    type: 'email',
    blank: 'your address with +rsvp',
    onProblem: 'pause',
    inSidebar: true,
    parse: plain,
  },
  hostName: {
    label: 'Host name',
    help: 'The sender name on emails.',
    type: 'text',
    blank: 'your name',
    onProblem: 'pause',
    parse: plain,
  },
  offerExpiry: {
    label: 'When an offer runs out',
    help: 'cancel (default) or waitlist: where a guest goes who did not claim a freed seat in time.',
    type: 'choice',
    blank: 'cancel',
    onProblem: 'pause',
    choices: ['cancel', 'waitlist'],
    strict: true,
    parse: (raw: unknown): Parsed<'cancel' | 'waitlist'> => {
      const t = cellText(raw).toLowerCase();
      if (t && !['cancel', 'waitlist'].includes(t))
        return {
          problem: `When an offer runs out must be "cancel" or "waitlist" (it is "${cellText(raw)}").`,
        };
      return { value: t.startsWith('wait') ? 'waitlist' : 'cancel' };
    },
  },
  replyCheckMinutes: {
    label: 'Check replies every (minutes)',
    help: 'For RSVP by email reply: 1, 5 (default), 10, 15 or 30. Applies when you turn on email replies.',
    type: 'choice',
    blank: '5',
    onProblem: 'flag',
    choices: TRIGGER_MINUTES.map(String),
    // A poll interval is not worth a problem: the nearest interval Apps Script allows.
    parse: (raw: unknown): Parsed<number> => {
      const n = Number(cellText(raw));
      if (cellText(raw) === '' || !(n > 0)) return { value: 5 };
      return {
        value: TRIGGER_MINUTES.reduce((best, m) => (Math.abs(m - n) < Math.abs(best - n) ? m : best)),
      };
    },
  },
  closesAt: {
    label: 'Registration closes at',
    help: 'Optional, e.g. 2026-12-24 18:00 (event time zone): after it the form closes, no seats are offered, and those waiting are told.',
    type: 'dateTime',
    blank: 'when the event starts',
    onProblem: 'pause',
    inSidebar: true,
    parse: dateTime(
      'Registration closes at is not a date and time (type e.g. 2026-12-24 18:00, or leave it blank).',
    ),
  },
  reminderWeek: {
    label: 'Reminder a week before',
    help: `When the first reminder goes, e.g. "${slotText(DEFAULT_SLOTS.week)}" (blank: that), or "off".`,
    type: 'reminder',
    blank: slotText(DEFAULT_SLOTS.week),
    onProblem: 'flag',
    choices: [slotText(DEFAULT_SLOTS.week), 'off'],
    inSidebar: true,
    parse: reminder('week', 'Reminder a week before'),
    fallback: DEFAULT_SLOTS.week,
  },
  reminderDay: {
    label: 'Reminder the day before',
    help: `e.g. "${slotText(DEFAULT_SLOTS.day)}" (blank: that), or "off".`,
    type: 'reminder',
    blank: slotText(DEFAULT_SLOTS.day),
    onProblem: 'flag',
    choices: [slotText(DEFAULT_SLOTS.day), 'off'],
    inSidebar: true,
    parse: reminder('day', 'Reminder the day before'),
    fallback: DEFAULT_SLOTS.day,
  },
  reminderMorning: {
    label: 'Reminder on the day',
    help: `e.g. "${slotText(DEFAULT_SLOTS.morning)}" (blank: that; if the event starts less than 4 hours later, 2 hours before it), or "off".`,
    type: 'reminder',
    blank: slotText(DEFAULT_SLOTS.morning),
    onProblem: 'flag',
    choices: [slotText(DEFAULT_SLOTS.morning), 'off'],
    inSidebar: true,
    parse: reminder('morning', 'Reminder on the day'),
    fallback: DEFAULT_SLOTS.morning,
  },
  quietHours: {
    label: 'Quiet hours',
    help: `e.g. "${quietText}" (blank: that), or "off": emails that don't answer something a guest just did wait until they end, and no offer runs out in them.`,
    type: 'quietHours',
    blank: quietText,
    onProblem: 'flag',
    choices: [quietText, 'off'],
    inSidebar: true,
    parse: quietHours,
    fallback: DEFAULT_QUIET,
  },
  largestParty: {
    label: 'Largest party',
    help: 'How many seats one RSVP may ask for, the guest included: 1 (default) is no plus-ones; e.g. 4 lets a guest bring 3.',
    type: 'wholeNumber',
    blank: '1',
    onProblem: 'flag',
    min: 1,
    inSidebar: true,
    parse: wholeNumber('Largest party', 1, 1),
    fallback: 1,
  },
  smallerFirst: {
    label: 'Smaller parties may go first',
    help: 'yes (default) or no: when freed seats are too few for the first party waiting, the first smaller party behind gets them (the larger one keeps its place).',
    type: 'yesNo',
    blank: 'yes',
    onProblem: 'flag',
    choices: ['yes', 'no'],
    strict: true,
    parse: yesNo('Smaller parties may go first'),
    fallback: true,
  },
  hostEditMail: {
    label: 'Email guests about my Status edits',
    help: 'yes (default) or no: when you type a status into Guests (cancelled, confirmed, offered, waitlisted), the guest gets a short email saying so. No: your edits email nobody.',
    type: 'yesNo',
    blank: 'yes',
    onProblem: 'flag',
    choices: ['yes', 'no'],
    strict: true,
    parse: yesNo('Email guests about my Status edits'),
    fallback: true,
  },
} satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

/** Each setting's value once read: what its parser gives. */
export type SettingValues = {
  [K in SettingKey]: (typeof SETTINGS)[K]['parse'] extends (...a: never[]) => Parsed<infer T> ? T : never;
};

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The label and help text of each setting (column A and C of the Settings sheet). */
export const SETTING_LABELS = Object.fromEntries(
  SETTING_KEYS.map((k) => [k, [SETTINGS[k].label, SETTINGS[k].help] as const]),
) as Record<SettingKey, readonly [string, string]>;

/** The README's table of settings, generated (a test checks README.md holds exactly this). */
export function settingsMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = SETTING_KEYS.map((k) => {
    const s: SettingSpec = SETTINGS[k];
    const problem = s.onProblem === 'pause' ? 'pauses registration' : 'flags the cell, default used';
    return `| ${cell(s.label)} | ${cell(s.help)} | ${cell(s.blank)} | ${problem} |`;
  });
  return ['| Setting | What it does | Blank means | A problem… |', '|---|---|---|---|', ...rows].join('\n');
}
