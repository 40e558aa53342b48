/**
 * The Settings sheet: the host's settings (label | value) and the summary block the keeper writes.
 * The only code that knows where they are.
 */
import { CLOSED_LINE, closedBy } from '../core/deadline';
import { Counts, plural } from '../core/model';
import { SETTING_LABELS, SettingKey, SettingsResult, isValidTimeZone, parseSettings } from '../core/settings';
import { SUMMARY_LABELS, SUMMARY_UNITS } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export interface SettingsSnapshot {
  result: SettingsResult;
  /** Row of the first summary label ('Confirmed'), or null when the block is missing. */
  summaryRow: number | null;
  /** The summary block as last written, by label. */
  summaryValues: Partial<Record<(typeof SUMMARY_LABELS)[number], unknown>>;
  /** The row of each setting's label (its value is in column B of that row). */
  rowOf: Partial<Record<SettingKey, number>>;
  /** Each setting's cell as read, dates resolved in the event's time zone (what the parser saw). */
  raw: Partial<Record<SettingKey, unknown>>;
}

/** How the Set up sidebar shows and sends a date: the wall clock in the event's time zone. */
export const FORM_DATE = "yyyy-MM-dd'T'HH:mm";

/** Notes we put on a bad setting start with this, so we clear only our own. */
const FLAG_PREFIX = 'RSVP: ';
/** A light red that reads as "fix me" in both Sheets themes; cleared when the value is fixed. */
export const FLAG_BACKGROUND = '#f4c7c3';

const WALL = 'yyyy-MM-dd HH:mm:ss';

/**
 * A date the host typed is stored in the spreadsheet's time zone; the host meant the event's.
 * Re-read the wall-clock digits in the event time zone.
 */
function inEventZone(v: unknown, sheetTz: string, eventTz: string): { value: unknown; gap?: string } {
  if (!isValidTimeZone(eventTz)) return { value: v };
  let wall: string | null = null;
  if (Object.prototype.toString.call(v) === '[object Date]') {
    if (sheetTz === eventTz) return { value: v };
    wall = Utilities.formatDate(v as Date, sheetTz, WALL);
  } else {
    const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$/.exec(String(v ?? '').trim());
    if (m) wall = `${m[1]} ${m[2].padStart(2, '0')}:${m[3]}:00`;
  }
  if (wall === null) return { value: v };
  const value = Utilities.parseDate(wall, eventTz, WALL);
  // A time the clocks skip (02:30 on the spring-forward night) does not exist: it is read an hour
  // later, and the cell says so.
  const read = Utilities.formatDate(value, eventTz, WALL);
  const gap =
    read === wall
      ? undefined
      : `${wall.slice(11, 16)} does not exist on ${wall.slice(0, 10)} in ${eventTz} (the clocks change): using ${read.slice(11, 16)}.`;
  return { value, gap };
}

export class SettingsTable {
  constructor(
    private readonly sheet: Sheet,
    private readonly spreadsheetTz: string,
  ) {}

  /** The size of the last read, for the next one in this execution. */
  private shape: { rows: number; cols: number } | null = null;

  /** One read: the settings as parsed, and the summary block as last written. */
  read(): SettingsSnapshot {
    return readSettings(this.values(), this.spreadsheetTz);
  }

  /**
   * Every cell in use. The first read in an execution asks Sheets where the data ends; a later one
   * (a leader's next round, or a second read in the same round) reads that block and one row more, and asks again
   * only if that row is not empty (rows were added or inserted since) or the sheet got shorter. A
   * setting typed further down, below a blank row, counts from the execution's next first read.
   */
  private values(): unknown[][] {
    const s = this.shape;
    if (s) {
      try {
        const v = this.sheet.getRange(1, 1, s.rows + 1, s.cols).getValues();
        if (v[s.rows].every((c) => c === '' || c === null)) return v.slice(0, s.rows);
      } catch {
        // Fewer rows than that now (the host deleted some): read it whole.
      }
    }
    const values = this.sheet.getDataRange().getValues();
    this.shape = { rows: values.length, cols: values[0]?.length ?? 1 };
    return values;
  }

  /**
   * Each setting with a problem gets a note saying what is wrong and a red background; a fixed one
   * loses both. One read of the notes; writes only where something changes.
   */
  flagProblems(snap: SettingsSnapshot): number {
    const entries = Object.entries(snap.rowOf) as Array<[SettingKey, number]>;
    if (!entries.length) return 0;
    const last = Math.max(...entries.map(([, r]) => r));
    const notes = this.sheet.getRange(1, 2, last, 1).getNotes();
    let flagged = 0;
    for (const [key, row] of entries) {
      const want = snap.result.flags[key];
      const have = String(notes[row - 1]?.[0] ?? '');
      const cell = this.sheet.getRange(row, 2);
      if (want) {
        flagged++;
        if (have !== FLAG_PREFIX + want) cell.setNote(FLAG_PREFIX + want).setBackground(FLAG_BACKGROUND);
      } else if (have.startsWith(FLAG_PREFIX)) cell.setNote('').setBackground(null);
    }
    return flagged;
  }

  /**
   * Each setting as the Set up sidebar shows it: text, and a date as its wall clock in the event's
   * time zone (FORM_DATE), for the browser's own date and time picker.
   */
  formValues(snap: SettingsSnapshot): Record<SettingKey, string> {
    const tz = snap.result.settings.timeZone || this.spreadsheetTz;
    const out = {} as Record<SettingKey, string>;
    for (const key of Object.keys(SETTING_LABELS) as SettingKey[]) {
      const v = snap.raw[key];
      out[key] =
        Object.prototype.toString.call(v) === '[object Date]'
          ? Utilities.formatDate(v as Date, tz, FORM_DATE)
          : v === null || v === undefined
            ? ''
            : String(v);
    }
    return out;
  }

  /**
   * Write settings by label (a missing row is added below the others): a date given as its wall
   * clock in the event's time zone is stored so that the sheet shows those digits (readSettings
   * reads a typed date's digits in the event's zone). Only cells whose value changes are written.
   */
  writeSettings(
    snap: SettingsSnapshot,
    values: Partial<Record<SettingKey, string | number>>,
    dateKeys: ReadonlySet<SettingKey>,
  ): number {
    let written = 0;
    const before = this.formValues(snap);
    for (const [key, value] of Object.entries(values) as Array<[SettingKey, string | number]>) {
      const row = snap.rowOf[key];
      if (!row) continue;
      const cell: unknown =
        dateKeys.has(key) && value !== ''
          ? Utilities.parseDate(String(value), this.spreadsheetTz, FORM_DATE)
          : typeof value === 'number'
            ? value
            : // Plain text, never a formula or a number the sheet guesses at.
              `'${String(value)}`;
      if (String(value) === before[key]) continue;
      this.sheet.getRange(row, 2).setValue(cell);
      written++;
    }
    return written;
  }

  /** One write of the whole summary block (nothing when the block is missing). */
  writeSummary(
    snap: SettingsSnapshot,
    counts: Counts | null,
    now: Date,
    url: string | null,
    warnings: readonly string[] = [],
  ): void {
    writeSummary(this.sheet, snap.summaryRow, snap.result, counts, now, url, warnings);
  }
}

function readSettings(values: unknown[][], spreadsheetTz: string): SettingsSnapshot {
  const byLabel = new Map<string, unknown>();
  let summaryRow: number | null = null;
  const summaryValues: SettingsSnapshot['summaryValues'] = {};
  const rowByLabel = new Map<string, number>();
  // Settings are found by label wherever they are: Set up appends a setting a newer version added
  // below the summary block, and it must count there too.
  const settingLabels = new Set<string>(Object.values(SETTING_LABELS).map(([label]) => label));
  values.forEach((r, i) => {
    const label = String(r[0] ?? '').trim();
    if (!label) return;
    if (label === SUMMARY_LABELS[0] && summaryRow === null) summaryRow = i + 1;
    if (summaryRow !== null && !settingLabels.has(label)) {
      const k = label as (typeof SUMMARY_LABELS)[number];
      if (SUMMARY_LABELS.includes(k) && !(k in summaryValues)) summaryValues[k] = r[1];
      return;
    }
    if (!byLabel.has(label)) {
      byLabel.set(label, r[1]);
      rowByLabel.set(label, i + 1);
    }
  });
  const rowOf: SettingsSnapshot['rowOf'] = {};
  const raw: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, [label]] of Object.entries(SETTING_LABELS)) {
    raw[key as SettingKey] = byLabel.get(label);
    const row = rowByLabel.get(label);
    if (row) rowOf[key as SettingKey] = row;
  }
  const eventTz = String(raw.timeZone ?? '').trim() || spreadsheetTz;
  // "08:00" typed into a cell becomes a time of day (a Date in 1899): read back the clock it shows.
  for (const k of ['reminderWeek', 'reminderDay', 'reminderMorning'] as const)
    if (Object.prototype.toString.call(raw[k]) === '[object Date]')
      raw[k] = Utilities.formatDate(raw[k] as Date, spreadsheetTz, 'HH:mm');
  const gaps: Partial<Record<SettingKey, string>> = {};
  for (const k of ['startsAt', 'closesAt', 'endsAt'] as const) {
    const { value, gap } = inEventZone(raw[k], spreadsheetTz, eventTz);
    raw[k] = value;
    if (gap) gaps[k] = gap;
  }
  const result = parseSettings(raw, spreadsheetTz);
  // Flagged on its cell only: the time used is said, and registration stays open.
  for (const [k, gap] of Object.entries(gaps) as Array<[SettingKey, string]>)
    if (!result.flags[k]) result.flags[k] = gap;
  return { result, summaryRow, summaryValues, rowOf, raw };
}

export function statusLine(result: SettingsResult, counts: Counts | null, now = new Date()): string {
  if (!result.ok)
    return `Registration is paused until Settings are fixed (the cells in red): ${result.problems.join(' ')}`;
  const closed = closedBy(result.settings, now.getTime());
  if (!counts) return closed ? CLOSED_LINE[closed] : 'Open';
  return [
    closed ? CLOSED_LINE[closed] : mainLine(counts),
    ...parties(counts),
    ...heldForOffers(counts),
    ...duplicates(counts),
  ].join('; ');
}

function mainLine(c: Counts): string {
  if (c.overBy > 0) return `Over capacity by ${c.overBy}: new sign-ups go to the waitlist`;
  if (c.seatsLeft > 0) return `Open: ${c.seatsLeft} of ${c.capacity} seats left`;
  return `Full: waitlist open (${c.waitlisted} waiting)`;
}

/** With plus-ones, seats and RSVPs differ: say how many RSVPs the seats are. */
const parties = (c: Counts) =>
  c.seats.confirmed !== c.confirmed || c.seats.waitlisted !== c.waitlisted
    ? [
        `${plural(c.seats.confirmed, 'seat')} confirmed for ${plural(c.confirmed, 'RSVP')}, ${plural(c.seats.waitlisted, 'seat')} asked for by ${c.waitlisted} waiting`,
      ]
    : [];

/** Seats offered to the waitlist are not free, but not taken yet either: say where they went. */
const heldForOffers = (c: Counts) =>
  c.seats.offered ? [`${plural(c.seats.offered, 'seat')} held for offers (waiting to be claimed)`] : [];

const duplicates = (c: Counts) =>
  c.duplicate ? [`${plural(c.duplicate, 'duplicate row')} in Guests (not counted: see their notes)`] : [];

function writeSummary(
  sheet: Sheet,
  summaryRow: number | null,
  result: SettingsResult,
  counts: Counts | null,
  now: Date,
  url: string | null,
  warnings: readonly string[],
): void {
  if (summaryRow === null) return;
  const c = counts;
  // Seats, not rows: what the capacity counts (the same numbers while every party is 1).
  const values = [
    c ? c.seats.confirmed : '',
    c ? c.seats.offered : '',
    c ? c.seats.waitlisted : '',
    c ? c.invited : '',
    c ? c.cancelled : '',
    c && Number.isFinite(c.seatsLeft) ? c.seatsLeft : '',
    [statusLine(result, counts, now), ...warnings].join('. '),
    now,
    url ? `'${url}` : 'Not deployed yet: Deploy → New deployment → Web app',
  ];
  // Each figure with its unit beside it, in the same write.
  sheet
    .getRange(summaryRow, 2, values.length, 2)
    .setValues(values.map((v, i) => [v, SUMMARY_UNITS[SUMMARY_LABELS[i]]]));
}
