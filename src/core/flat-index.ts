/**
 * The Guests sheet's counts as Sheets itself computes them (issue 24): formulas on a hidden sheet,
 * recalculated by Google whenever a row changes, so one small read inside the lock sees what a read
 * of every row would, at a cost that does not grow with the list. The keeper trusts them only when
 * they prove the rows are settled (every status known, every party a plain number, the waiting line
 * numbered 1…n, no offer due); otherwise it reads every row as before. Pure.
 */
import { Counts, STATUSES, Status } from './model';
import { instantOf } from './zoned';

/** As Sheets spells it back (no quotes where none are needed): see sameFormula in index-table.ts. */
const G = 'Guests!';
const EMAIL = `${G}A2:A`;
const STATUS = `${G}C2:C`;
const POSITION = `${G}D2:D`;
const EXPIRES = `${G}H2:H`;
const PARTY = `${G}K2:K`;
const TOKEN = `${G}J2:J`;
const emailed = (...more: string[]) => [EMAIL, '"<>"', ...more].join(',');
const is = (s: string) => `${STATUS},"${s}"`;

const SEATED = ['confirmed', 'offered', 'waitlisted'] as const;

/**
 * Each formula with its label (row 1 of the hidden sheet), in the order they are read. Sheets
 * recalculates every one of them over the whole list whenever a row changes, so each reads as few
 * columns as it can: a formula that asks for a status needs no email condition, since the index is
 * trusted only when no row has a status without an email.
 */
export const INDEX_FORMULAS: ReadonlyArray<readonly [string, string]> = [
  ['rows with an email', `=COUNTIFS(${emailed()})`],
  ['different emails', `=COUNTUNIQUEIFS(${EMAIL},${emailed()})`],
  ['rows with a token', `=COUNTIFS(${emailed(TOKEN, '"<>"')})`],
  ['different tokens', `=COUNTUNIQUEIFS(${TOKEN},${emailed(TOKEN, '"<>"')})`],
  ['statuses without an email', `=COUNTIFS(${EMAIL},"",${STATUS},"<>")`],
  ...STATUSES.map((s) => [s, `=COUNTIFS(${is(s)})`] as const),
  ...SEATED.flatMap((s) => [
    [`${s}: party typed`, `=COUNTIFS(${is(s)},${PARTY},"<>")`] as const,
    [`${s}: party 2 or more`, `=COUNTIFS(${is(s)},${PARTY},">=2")`] as const,
    [`${s}: party sum`, `=SUMIFS(${PARTY},${is(s)})`] as const,
  ]),
  ['positions', `=COUNT(${POSITION})`],
  ['last position', `=MAX(${POSITION})`],
  ['positions sum', `=SUM(${POSITION})`],
  ['waitlisted with a position', `=COUNTIFS(${is('waitlisted')},${POSITION},">=1")`],
  ['earliest offer deadline', `=MINIFS(${EXPIRES},${is('offered')})`],
  ['offers with a deadline', `=COUNTIFS(${is('offered')},${EXPIRES},">0")`],
];

/** The rows outside a decision's view, as the index counts them. */
export interface Settled {
  counts: Counts;
  lastPosition: number;
}

/** An offer deadline this close to now sends the keeper to the rows (it may be due by the write). */
const DUE_MARGIN_MS = 60e3;

/**
 * The instant of a Sheets day number (days since 30 December 1899 on the wall clock of the
 * spreadsheet's zone), to the minute below: a deadline read so is never later than it is.
 */
function instantOfSerial(serial: number, timeZone: string): number {
  const d = new Date(Math.floor((serial - 25569) * 1440) * 60e3);
  return instantOf(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
    },
    timeZone,
  );
}

/**
 * What the index says, or why it cannot be trusted (the keeper then reads every row): a value that
 * is not a number (an error, a sheet not set up), a status the keeper would have to settle, a party
 * typed as a word, a waiting line with gaps, or an offer that may be due.
 */
export function settledFromIndex(
  values: readonly unknown[],
  capacity: number,
  nowMs: number,
  /** The spreadsheet's time zone (a date in a formula is a day number of its wall clock). */
  timeZone: string,
): Settled | { why: string } {
  if (
    values.length !== INDEX_FORMULAS.length ||
    values.some((v) => typeof v !== 'number' || !Number.isFinite(v))
  )
    return { why: 'index not computed' };
  const v = values as number[];
  let k = 0;
  const rows = v[k++];
  const [emails, tokens, uniqueTokens] = [v[k++], v[k++], v[k++]];
  // A copied row (same token, or the same address typed twice) is marked a duplicate by the keeper first.
  if (emails !== rows || tokens !== uniqueTokens) return { why: 'a copied row' };
  // Every status below is then an emailed row's (the keeper counts no row without an email).
  if (v[k++] !== 0) return { why: 'a status without an email' };
  const n = Object.fromEntries(STATUSES.map((s) => [s, v[k++]])) as Record<Status, number>;
  if (STATUSES.reduce((a, s) => a + n[s], 0) !== rows) return { why: 'a status to settle' };
  const seats = { confirmed: 0, offered: 0, waitlisted: 0 };
  for (const s of SEATED) {
    const [typed, twoUp, sum] = [v[k++], v[k++], v[k++]];
    if (typed !== twoUp || !Number.isInteger(sum)) return { why: 'a party to settle' };
    seats[s] = n[s] - typed + sum;
  }
  const [positions, last, sum, placed] = [v[k++], v[k++], v[k++], v[k++]];
  const w = n.waitlisted;
  if (positions !== w || placed !== w || last !== w || sum !== (w * (w + 1)) / 2)
    return { why: 'waiting line to renumber' };
  const [earliest, withDeadline] = [v[k++], v[k++]];
  if (withDeadline !== n.offered) return { why: 'an offer without a deadline' };
  if (n.offered && instantOfSerial(earliest, timeZone) <= nowMs + DUE_MARGIN_MS)
    return { why: 'an offer may be due' };
  const held = seats.confirmed + seats.offered;
  // Seats free while someone waits: the line moves (offers), which needs the waiting rows.
  if (w && held < capacity) return { why: 'seats free with a line' };
  return {
    counts: {
      ...n,
      capacity,
      seats,
      seatsLeft: Math.max(0, capacity - held),
      overBy: Math.max(0, held - capacity),
    },
    lastPosition: w,
  };
}

/** Counts of two disjoint sets of rows, added (or, with sign -1, the second taken from the first). */
export function addCounts(a: Counts, b: Counts, sign: 1 | -1 = 1): Counts {
  const seats = {
    confirmed: a.seats.confirmed + sign * b.seats.confirmed,
    offered: a.seats.offered + sign * b.seats.offered,
    waitlisted: a.seats.waitlisted + sign * b.seats.waitlisted,
  };
  const held = seats.confirmed + seats.offered;
  const c = Object.fromEntries(STATUSES.map((s) => [s, a[s] + sign * b[s]])) as Record<Status, number>;
  return {
    ...c,
    capacity: a.capacity,
    seats,
    seatsLeft: Math.max(0, a.capacity - held),
    overBy: Math.max(0, held - a.capacity),
  };
}
