/** Where everything lives in the spreadsheet. Columns are found by header name when read. */

/** A column's letters from its 0-based index (0 → A, 26 → AA). */
export const columnLetters = (i: number): string =>
  (i >= 26 ? columnLetters(Math.floor(i / 26) - 1) : '') + String.fromCharCode(65 + (i % 26));

export const SHEETS = {
  settings: 'Settings',
  guests: 'Guests',
  import: 'Import',
  outbox: 'Outbox',
  log: 'Log',
  replies: 'Replies',
  checks: 'Checks',
  /** Hidden: the Guests counts as Sheets computes them (core/flat-index.ts). */
  index: 'Index',
} as const;

export const GUEST_HEADERS = [
  'Email',
  'Name',
  'Status',
  'Waitlist #',
  'Source',
  'Created',
  'Updated',
  'Offer expires',
  'Note',
  'Token',
  /** Seats the RSVP is for (the guest and their plus-ones). Last, so sheets made before it keep their columns. */
  'Party',
] as const;
export const GUEST_COL = Object.fromEntries(GUEST_HEADERS.map((h, i) => [h, i])) as Record<
  (typeof GUEST_HEADERS)[number],
  number
>;
/** Columns the keeper writes on an existing row. Email, Name and Token are never rewritten, so a write
 * that lands on a moved row cannot change who a row is about. */
export const GUEST_STATE_FIRST = GUEST_COL.Status;
export const GUEST_STATE_LAST = GUEST_COL.Note;

export const OUTBOX_HEADERS = [
  'Id',
  'Created',
  'To',
  'Name',
  'Kind',
  'Subject',
  'Status',
  'Tries',
  'Sent at',
  'Error',
  'Token',
  /** The Gmail message id of the guest's reply this email answers (it goes back in that thread). */
  'In reply to',
  /** Not before (and never in quiet hours): blank for an answer to the guest, sent at once. */
  'Send after',
  /** A reminder: the time and place the guest was first told, when they changed since. */
  'About',
] as const;
export const OUTBOX_COL = Object.fromEntries(OUTBOX_HEADERS.map((h, i) => [h, i])) as Record<
  (typeof OUTBOX_HEADERS)[number],
  number
>;

export const LOG_HEADERS = ['When', 'Email', 'Name', 'From', 'To', 'Lane', 'Detail'] as const;

/**
 * One row per inbound reply the email lane has looked at (a failed attempt adds a row too): the handled
 * message ids that make each reply count exactly once, and the host's view of what each reply did.
 */
export const REPLY_HEADERS = [
  'Message id',
  'Received',
  'From',
  'Subject',
  'Said',
  'Status',
  'Result',
  'Thread',
] as const;
export const REPLY_COL = Object.fromEntries(REPLY_HEADERS.map((h, i) => [h, i])) as Record<
  (typeof REPLY_HEADERS)[number],
  number
>;

/** Party is optional: blank is 1 (a host importing without plus-ones never fills it). */
export const IMPORT_HEADERS = ['Name', 'Email', 'Result', 'Party'] as const;

export const SUMMARY_TITLE = 'Summary (kept up to date by RSVP: edits here are overwritten)';
export const SUMMARY_LABELS = [
  'Confirmed',
  'Offered',
  'Waitlisted',
  'Invited',
  'Cancelled',
  'Seats left',
  'Status',
  'Updated',
  'Web app URL',
] as const;

/**
 * What each summary figure counts, written beside it (the Help column): seats (party sizes summed,
 * what the capacity counts) or RSVPs (people on the list), the same units as the dashboard's.
 */
export const SUMMARY_UNITS: Record<(typeof SUMMARY_LABELS)[number], string> = {
  Confirmed: 'seats confirmed (a party counts its size)',
  Offered: 'seats held for offers, waiting to be claimed',
  Waitlisted: 'seats asked for by those waiting',
  Invited: 'RSVPs invited, not yet confirmed',
  Cancelled: 'RSVPs cancelled',
  'Seats left': 'seats free (capacity − confirmed − offered)',
  Status: '',
  Updated: '',
  'Web app URL': '',
};

/** RSVP → Check this deployment: one row per check. */
export const CHECK_HEADERS = ['Check', 'Result', 'Observed', 'What to do', 'When'] as const;
