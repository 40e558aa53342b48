/**
 * The keeper's transaction, "the one rule": inside the script lock, read the rows, decide (pure),
 * write the fewest blocks, flush, release. Nothing slow (mail, Gmail, rendering) happens inside.
 */
import { Decision, KeeperRequest, LogEntry, Policy, decide } from '../core/keeper';
import { Guest } from '../core/model';
import { EventSettings } from '../core/settings';
import { cellText } from '../core/text';
import { OutboxEntry, OutboxIntent, OutboxStatus, newEntries, planEntries } from '../messenger/outbox';
import { Write, planAppend } from './append';
import { GuestSnapshot, GuestTable, SheetLayoutError, repairPlan, rowId } from './guests';
import { LOG_HEADERS, SHEETS } from './layout';
import { LoggedChange, unloggedChanges } from '../core/log-replay';
import { readSettings, writeSummary } from './settings-sheet';
import { releaseLock, tryLock } from './locks';

export const LOCK_WAIT_MS = 20000;

export type TxFailure =
  | { ok: false; reason: 'busy'; message: string }
  | { ok: false; reason: 'closed'; message: string; problems: string[] }
  | { ok: false; reason: 'broken'; message: string };

export interface TxSuccess {
  ok: true;
  decision: Decision;
  settings: EventSettings;
  outbox: OutboxEntry[];
  /** The guest behind each email, as decided (the emails are rendered from these). */
  mailGuests: Guest[];
  url: string | null;
  /** Rows the keeper had to put right after the sheet moved during its write. */
  repaired: number;
}

export interface Sheets {
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet;
  settings: GoogleAppsScript.Spreadsheet.Sheet;
  guests: GoogleAppsScript.Spreadsheet.Sheet;
  outbox: GoogleAppsScript.Spreadsheet.Sheet;
  log: GoogleAppsScript.Spreadsheet.Sheet;
  timeZone: string;
  /** The web app URL, looked up before the lock (null until deployed). */
  url: string | null;
}

export const BUSY_MESSAGE = "We're busy right now: please try again in a moment.";

let opened: Sheets | null = null;

/**
 * The sheets, looked up once per execution (each execution is a fresh script context, so this
 * memo lives exactly as long as one request or trigger run).
 */
export function openSheets(): Sheets | null {
  if (opened) return opened;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const settings = ss.getSheetByName(SHEETS.settings);
  const guests = ss.getSheetByName(SHEETS.guests);
  const outbox = ss.getSheetByName(SHEETS.outbox);
  const log = ss.getSheetByName(SHEETS.log);
  if (!settings || !guests || !outbox || !log) return null;
  opened = { ss, settings, guests, outbox, log, timeZone: ss.getSpreadsheetTimeZone(), url: webAppUrl() };
  return opened;
}

export function webAppUrl(): string | null {
  try {
    return ScriptApp.getService().getUrl() || null;
  } catch {
    return null;
  }
}

/**
 * A lane whose own records must land in the same flush as the seats they caused (the email lane's
 * handled message ids: a reply counts exactly once because its row and its seat commit together).
 */
export interface LaneTx {
  /** Inside the lock, before the guests are read: the requests still to run. */
  requests(): KeeperRequest[];
  /** After the decision: every email to send (the keeper's, addressed by the lane) and the lane's rows, planned. */
  after(
    decision: Decision,
    guests: readonly Guest[],
  ): { mail: OutboxIntent[]; write: Write; log: LogEntry[] };
}

export interface TxOptions {
  waitMs?: number;
  /** 'sending': this execution sends the emails right after the lock; 'queued': the drain will. */
  mailStatus?: OutboxStatus;
}

export function runKeeper(requests: KeeperRequest[] | LaneTx, opts: TxOptions = {}): TxSuccess | TxFailure {
  const sheets = openSheets();
  if (!sheets) return NOT_SET_UP;
  const lock = LockService.getScriptLock();
  if (!tryLock(lock, opts.waitMs ?? LOCK_WAIT_MS))
    return { ok: false, reason: 'busy', message: BUSY_MESSAGE };
  try {
    return transact(sheets, requests, opts.mailStatus ?? 'sending');
  } finally {
    releaseLock(lock);
  }
}

export const NOT_SET_UP: TxFailure = {
  ok: false,
  reason: 'broken',
  message: 'The sheet is not set up yet: run RSVP → Set up this sheet.',
};

/** One keeper transaction. The caller holds the script lock. */
export function transact(
  sheets: Sheets,
  input: KeeperRequest[] | LaneTx,
  mailStatus: OutboxStatus,
): TxSuccess | TxFailure {
  const lane = Array.isArray(input) ? null : input;
  const table = new GuestTable(sheets.guests);
  const url = sheets.url;
  let flushed = false;
  try {
    const now = new Date();
    const settingsSnap = readSettings(sheets.settings, sheets.timeZone);
    const settings = settingsSnap.result;
    if (!settings.ok) {
      writeSummary(sheets.settings, settingsSnap.summaryRow, settings, null, now, url);
      return {
        ok: false,
        reason: 'closed',
        message: 'Registration is not open yet.',
        problems: settings.problems,
      };
    }
    const requests = lane ? lane.requests() : (input as KeeperRequest[]);
    const snap = table.read();
    const decision = decide({
      guests: snap.guests,
      capacity: settings.settings.capacity,
      requests,
      now,
      newToken: () => Utilities.getUuid(),
      policy: policyOf(settings.settings),
    });
    const extra = lane?.after(decision, snap.guests);
    const intents: OutboxIntent[] = extra ? extra.mail : decision.mail;
    // A recount also puts the Log right: changes an interrupted run left unlogged, rows deleted by hand.
    const late = !lane && !requests.length ? unloggedChanges(readLog(sheets.log), snap.guests) : [];
    const changed = decision.updated.length + decision.appended.length + late.length > 0;
    const outbox = newEntries(intents, settings.settings, mailStatus);
    if (changed || extra) {
      // Every read first (sizes for the appends), then only writes: see append.ts.
      const writes = [
        // Outbox first: if we die before the guest row lands, the drain finds no such guest and skips it.
        planEntries(sheets.outbox, outbox, now),
        table.planWrite(snap, decision.updated, decision.appended),
        planAppend(
          sheets.log,
          [...late, ...decision.log, ...(extra?.log ?? [])].map((l) => [
            now,
            cellText(l.email),
            cellText(l.name),
            l.from,
            l.to,
            l.lane,
            cellText(l.detail),
          ]),
        ),
        ...(extra ? [extra.write] : []),
      ];
      writes.forEach((w) => w());
    }
    // An empty request list is a recount: the summary is rewritten from the rows either way.
    if (changed || !requests.length) {
      writeSummary(sheets.settings, settingsSnap.summaryRow, settings, decision.counts, now, url);
    }
    SpreadsheetApp.flush();
    flushed = true;
    const repaired = decision.updated.length ? repairIfMoved(table, snap, decision.updated) : 0;
    const mailGuests = intents.map((i) => i.guest);
    return { ok: true, decision, settings: settings.settings, outbox, mailGuests, url, repaired };
  } catch (e) {
    if (e instanceof SheetLayoutError) return { ok: false, reason: 'broken', message: e.message };
    throw e;
  } finally {
    // Flush before the caller releases, so the next holder reads what we wrote (Google's advice), also on failure.
    if (!flushed) SpreadsheetApp.flush();
  }
}

/**
 * Our block write addressed rows by the numbers we read. If the host sorted or inserted rows in the
 * meantime, those cells now belong to other guests. Detect that with one read of the identity columns and
 * put every guest's state cells back: ours as decided, the others as they were. A row is known by its
 * token (never rewritten; a mailbox may have several rows, an old cancelled RSVP and a new one), or
 * by its email when the host typed it without one.
 */
function repairIfMoved(table: GuestTable, snap: GuestSnapshot, updated: Guest[]): number {
  const rows = updated.map((g) => g.row);
  const first = Math.min(...rows);
  const last = Math.max(...rows);
  const ids = table.idsAt(first, last);
  const expected = snap.guests.filter((g) => g.row >= first && g.row <= last);
  if (expected.every((g) => ids[g.row - first] === rowId(g))) return 0;
  const fixes = repairPlan(snap.guests, updated, table.read().guests);
  table.writeStateRows(fixes);
  SpreadsheetApp.flush();
  return fixes.length;
}

/** The Log's Email, From, To and Detail columns, oldest first (one read). */
function readLog(sheet: GoogleAppsScript.Spreadsheet.Sheet): LoggedChange[] {
  const last = sheet.getLastRow();
  if (last < 2) return [];
  const at = (h: (typeof LOG_HEADERS)[number]) => LOG_HEADERS.indexOf(h);
  return sheet
    .getRange(2, 1, last - 1, LOG_HEADERS.length)
    .getValues()
    .map((r) => ({
      email: String(r[at('Email')] ?? ''),
      from: String(r[at('From')] ?? ''),
      to: String(r[at('To')] ?? ''),
      detail: String(r[at('Detail')] ?? ''),
    }));
}

export function policyOf(s: EventSettings): Policy {
  return {
    claimWindowMs: s.claimWindowHours * 3600e3,
    startsAt: s.startsAt,
    expiredTo: s.offerExpiry === 'waitlist' ? 'waitlisted' : 'cancelled',
  };
}
