/**
 * The keeper's transaction, "the one rule": inside the script lock, read the rows, decide (pure),
 * write the fewest blocks, flush, release. Nothing slow (mail, Gmail, rendering) happens inside.
 */
import {
  Decision,
  KeeperRequest,
  LogEntry,
  Policy,
  SeatRequest,
  decide,
  isAction,
  rowsAfter,
} from '../core/keeper';
import { Settled, settledFromIndex } from '../core/flat-index';
import { waitlistClosedNotices } from '../core/deadline';
import { factsChange, factsHistory, factsOf } from '../core/event-facts';
import { planReminders } from '../core/reminders';
import { unloggedChanges, withoutLoggedLate } from '../core/log-replay';
import { Guest, countGuests } from '../core/model';
import { OutboxEntry, OutboxIntent, OutboxStatus, newEntries } from '../core/outbox';
import { EventSettings } from '../core/settings';
import { Write } from '../sheets/append';
import { LogRead } from '../sheets/log-table';
import { setCalendarSequence } from '../sheets/calendar-sequence';
import { GuestSnapshot, GuestsTable, SheetLayoutError, repairPlan, rowId } from '../sheets/guests-table';
import { NOT_SET_UP_MESSAGE, Workbook } from '../sheets/workbook';
import { releaseLock, tryLock } from './locks';

export const LOCK_WAIT_MS = 20000;

/** Log rows a host edit reads back: the recount that may have logged it late ran seconds before. */
const LOG_TAIL = 200;

export const BUSY_MESSAGE = "We're busy right now: please try again in a moment.";

export type TxFailure =
  | { ok: false; reason: 'busy'; message: string }
  | { ok: false; reason: 'closed'; message: string; problems: string[] }
  | { ok: false; reason: 'broken'; message: string };

export const NOT_SET_UP: TxFailure = { ok: false, reason: 'broken', message: NOT_SET_UP_MESSAGE };

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

/**
 * What a lane (or the recount's upkeep) adds to the keeper's transaction. It can only add: the
 * keeper's own emails are always queued (a lane may address them, one for one), and each
 * contribution's emails, rows and Log entries come on top, in a fixed order.
 */
export interface LaneContribution {
  /** Its own emails (an invite, an answer to a reply, a reminder), after the keeper's. */
  mail: OutboxIntent[];
  /** Its rows (planned: reads now, writes later). */
  rows?: Write;
  /** Log rows after the keeper's. */
  log: LogEntry[];
  /** Log rows before the keeper's: changes an earlier run made and never logged. */
  logBefore?: LogEntry[];
  /** Lines for the summary sheet (a reminder the quota cannot carry). */
  warnings?: string[];
  /** After the flush (the writes have landed). */
  afterFlush?(): void;
  /** The same email, addressed by the lane (in reply to the guest's message, say). */
  address?(m: OutboxIntent): OutboxIntent;
  /**
   * An email an earlier run of the same work already queued (it died after its Outbox rows landed and
   * before its own records did): not queued twice.
   */
  queued?(m: OutboxIntent): boolean;
}

/**
 * A lane whose own records must land in the same flush as the seats they caused (the email lane's
 * handled message ids: a reply counts exactly once because its row and its seat commit together).
 */
export interface LaneTransaction {
  /** Inside the lock, before the guests are read: the requests still to run. */
  requests(): KeeperRequest[];
  /** After the decision, what the lane adds to the same flush. */
  contribute(decision: Decision, guests: readonly Guest[]): LaneContribution;
}

/**
 * Every email the transaction queues: the keeper's (addressed by the contributions, never dropped
 * or swapped for another), then each contribution's own; only what an earlier run already queued is
 * left out. Pure.
 */
export function transactionMail(
  keeperMail: readonly OutboxIntent[],
  parts: readonly LaneContribution[],
): OutboxIntent[] {
  const addressed = keeperMail.map((m) =>
    parts.reduce((sofar, p) => {
      const a = p.address ? p.address(sofar) : sofar;
      // One for one: an address may say where the email goes, not which email or to whom.
      if (a.kind !== m.kind || a.guest !== m.guest)
        throw new Error(`a lane changed the keeper's ${m.kind} email`);
      return a;
    }, m),
  );
  const all = [...addressed, ...parts.flatMap((p) => p.mail)];
  return all.filter((m) => !parts.some((p) => p.queued?.(m)));
}

/** What the upkeep knows about mail before the lock: for planning reminders under the daily quota. */
export interface MailOutlook {
  mailQuota: number | null;
  queuedReminders: number;
  /** The Log as read before the lock: inside it, only the rows since are read (issue 24). */
  log?: LogRead;
  /**
   * A big list as read before the lock, with the Index then: inside it, the list is used as read if
   * the Index and the last row are unchanged and the decision writes no row (issue 24).
   */
  guests?: PreRead;
}

interface PreRead {
  snap: GuestSnapshot;
  lastRow: number;
  index: string;
}

/** The Index's values as one comparable text, or null when it cannot be trusted (missing, typed over). */
function indexText(book: Workbook): string | null {
  const read = book.index()?.read();
  return read ? JSON.stringify(read) : null;
}

/** Guests read before the lock (a big list only; a small one is cheap to read inside it). */
function preRead(book: Workbook): PreRead | undefined {
  try {
    const lastRow = book.guests.lastRow();
    if (lastRow < FLAT_FROM_ROWS) return undefined;
    const index = indexText(book);
    return index ? { snap: book.guests.read(lastRow), lastRow, index } : undefined;
  } catch {
    // (a moved column, say): the transaction reads inside the lock and says what is wrong.
    return undefined;
  }
}

const NO_OUTLOOK: MailOutlook = { mailQuota: null, queuedReminders: 0 };

export interface TxOptions {
  waitMs?: number;
  outlook?: MailOutlook;
  /** 'sending': this execution sends the emails right after the lock; 'queued': the drain will. */
  mailStatus?: OutboxStatus;
}

/** Take the script lock (or answer busy), run one transaction, release. */
export function withLock(
  requests: KeeperRequest[] | LaneTransaction,
  opts: TxOptions = {},
): TxSuccess | TxFailure {
  const book = Workbook.open();
  if (!book) return NOT_SET_UP;
  // A recount's upkeep reads the whole Log: before the lock, so inside it only the tail is read.
  const recount = Array.isArray(requests) && !requests.length;
  const outlook = recount
    ? { ...(opts.outlook ?? NO_OUTLOOK), log: book.log.read(), guests: preRead(book) }
    : opts.outlook;
  book.prepareTransaction();
  const lock = LockService.getScriptLock();
  if (!tryLock(lock, opts.waitMs ?? LOCK_WAIT_MS))
    return { ok: false, reason: 'busy', message: BUSY_MESSAGE };
  try {
    return transact(book, requests, opts.mailStatus ?? 'sending', outlook);
  } finally {
    releaseLock(lock);
    book.mendIndex();
  }
}

/** One keeper transaction. The caller holds the script lock. */
export function transact(
  book: Workbook,
  input: KeeperRequest[] | LaneTransaction,
  mailStatus: OutboxStatus,
  outlook: MailOutlook = NO_OUTLOOK,
): TxSuccess | TxFailure {
  const lane = Array.isArray(input) ? null : input;
  const url = book.url;
  let flushed = false;
  try {
    const now = new Date();
    const settingsSnap = book.settings.read();
    const settings = settingsSnap.result;
    if (!settings.ok) {
      // A typo in Settings pauses registration; the counts stay visible (seats left needs a capacity).
      const rows = book.guests.read().guests;
      book.settings.writeSummary(
        settingsSnap,
        countGuests(rows, settings.flags.capacity ? NaN : (settings.settings.capacity ?? NaN)),
        now,
        url,
      );
      return {
        ok: false,
        reason: 'closed',
        message: 'Registration is not open yet.',
        problems: settings.problems,
      };
    }
    const requests = lane ? lane.requests() : (input as KeeperRequest[]);
    const decideOn = (guests: readonly Guest[], sheet?: Settled) =>
      decide({
        guests,
        capacity: settings.settings.capacity,
        requests,
        now,
        newToken: () => Utilities.getUuid(),
        policy: policyOf(settings.settings),
        sheet,
      });
    const lastRow = book.guests.lastRow();
    const flat =
      lane || lastRow < FLAT_FROM_ROWS
        ? null
        : flatDecision(book, lastRow, requests, settings.settings, now, decideOn);
    // A recount of a big list: the rows read before the lock, if nothing a decision counts moved since
    // and it writes no row (then there is nothing to write over). Otherwise every row, now.
    const pre = outlook.guests;
    const unchanged =
      !lane && !requests.length && pre && pre.lastRow === lastRow && indexText(book) === pre.index;
    const early = unchanged ? decideOn(pre.snap.guests) : null;
    const usePre = !!early && !early.updated.length;
    const snap = flat ? flat.snap : usePre ? pre!.snap : book.guests.read(lastRow);
    const decision = flat?.decision ?? (usePre ? early! : decideOn(snap.guests));
    const parts = [
      ...(lane ? [lane.contribute(decision, snap.guests)] : []),
      // A recount (no lane, no requests) also puts the Log right and does the event's upkeep.
      ...(!lane && !requests.length
        ? [upkeep(book, snap.guests, decision, settings.settings, now, outlook)]
        : []),
    ];
    const intents = transactionMail(decision.mail, parts);
    // A host's edit a recount has logged late since it was made is not logged a second time.
    const hostEdit = requests.some((r) => 'action' in r && r.action === 'host-edit');
    const own = hostEdit ? withoutLoggedLate(decision.log, book.log.recent(LOG_TAIL)) : decision.log;
    const log = [...parts.flatMap((p) => p.logBefore ?? []), ...own, ...parts.flatMap((p) => p.log)];
    const rows = parts.flatMap((p) => (p.rows ? [p.rows] : []));
    const changed = decision.updated.length + decision.appended.length + log.length + intents.length > 0;
    const outbox = newEntries(intents, settings.settings, mailStatus, () => Utilities.getUuid(), now);
    if (changed || rows.length) {
      // Every read first (sizes for the appends), then only writes: see append.ts.
      const writes = [
        // Outbox first: if we die before the guest row lands, the drain finds no such guest and skips it.
        book.outbox.planAppend(outbox, now),
        book.guests.planWrite(snap, decision.updated, decision.appended),
        book.log.planAppend(log, now),
        ...rows,
      ];
      writes.forEach((w) => w());
    }
    // An empty request list is a recount: the summary is rewritten from the rows either way.
    if (changed || !requests.length)
      book.settings.writeSummary(
        settingsSnap,
        decision.counts,
        now,
        url,
        parts.flatMap((p) => p.warnings ?? []),
      );
    book.flush();
    flushed = true;
    parts.forEach((p) => p.afterFlush?.());
    const repaired = decision.updated.length ? repairIfMoved(book, book.guests, snap, decision.updated) : 0;
    const mailGuests = intents.map((i) => i.guest);
    return { ok: true, decision, settings: settings.settings, outbox, mailGuests, url, repaired };
  } catch (e) {
    if (e instanceof SheetLayoutError) return { ok: false, reason: 'broken', message: e.message };
    throw e;
  } finally {
    // Flush before the caller releases, so the next holder reads what we wrote (Google's advice), also on failure.
    if (!flushed) book.flush();
  }
}

/**
 * Below this many rows a read of every row costs less than the Index, the search and the header
 * read together (`npm run bench -- --scale`: at 1,000 guests the two paths hold the lock alike).
 */
const FLAT_FROM_ROWS = 300;

/**
 * Seat requests decided without reading every row (issue 24): the sheet's counts and header from the
 * Index (one read), the requests' own mailboxes found by Sheets (one search, a read per row found). Only
 * when the index proves the rows settled and the decision only adds rows; otherwise null, and the
 * transaction reads every row as before.
 */
function flatDecision(
  book: Workbook,
  lastRow: number,
  requests: readonly KeeperRequest[],
  s: EventSettings,
  now: Date,
  decideOn: (guests: readonly Guest[], sheet: Settled) => Decision,
): { snap: GuestSnapshot; decision: Decision } | null {
  const index = requests.length && !requests.some(isAction) ? book.index() : null;
  if (!index) return null;
  const read = index.read();
  // A formula that is not the keeper's (typed over, or rewritten by Sheets as rows moved): put back
  // after the lock (see withLock), so the next requests need not read every row.
  if (!read) book.indexToMend = true;
  // The Index counts by column letter: the columns must be where the keeper expects them (if not,
  // the read of every row says what is wrong).
  if (!read || !GuestsTable.headerOk(read.header)) return null;
  const sheet = settledFromIndex(read.counts, s.capacity, now.getTime(), book.timeZone);
  if ('why' in sheet) return null;
  const found = book.guests.findMailboxes(requests.map((r) => (r as SeatRequest).email));
  if (!found) return null;
  const decision = decideOn(found, sheet);
  // A request that changes a row already there (an invited guest confirming): every row is read.
  if (decision.updated.length) return null;
  return { snap: { guests: found, lastRow }, decision };
}

/**
 * Our block write addressed rows by the numbers we read. If the host sorted or inserted rows in the
 * meantime, those cells now belong to other guests. Detect that with one read of the identity columns and
 * put every guest's state cells back: ours as decided, the others as they were. A row is known by its
 * token (never rewritten; a mailbox may have several rows, an old cancelled RSVP and a new one), or
 * by its email when the host typed it without one.
 */
function repairIfMoved(book: Workbook, table: GuestsTable, snap: GuestSnapshot, updated: Guest[]): number {
  const rows = updated.map((g) => g.row);
  const first = Math.min(...rows);
  const last = Math.max(...rows);
  const ids = table.idsAt(first, last);
  const expected = snap.guests.filter((g) => g.row >= first && g.row <= last);
  if (expected.every((g) => ids[g.row - first] === rowId(g))) return 0;
  const now = table.read().guests;
  const fixes = repairPlan(snap.guests, updated, now);
  table.writeStateRows(fixes);
  const answers = table.repairAnswers(now);
  book.flush();
  return fixes.length + answers;
}

/**
 * The recount's own contribution (the 10-minute run): changes an interrupted run left unlogged and
 * rows deleted by hand go into the Log; past the deadline each guest still waiting is told, once;
 * the event's time and place are recorded as the host changes them; the reminders that are due are
 * queued (each once: its Log row lands in this flush with its Outbox row).
 */
function upkeep(
  book: Workbook,
  read: readonly Guest[],
  decision: Decision,
  s: EventSettings,
  now: Date,
  outlook: MailOutlook,
): LaneContribution {
  const logged = outlook.log ? book.log.since(outlook.log) : book.log.changes();
  const after = rowsAfter(read, decision);
  const notices = waitlistClosedNotices(after, logged, s.closesAt, now);
  const facts = factsChange(logged, factsOf(s));
  const reminders = planReminders({
    guests: after,
    log: logged,
    slots: s.reminders,
    startsAt: s.startsAt,
    timeZone: s.timeZone,
    quiet: s.quietHours,
    now,
    mailQuota: outlook.mailQuota,
    queuedReminders: outlook.queuedReminders,
    facts: factsOf(s),
  });
  return {
    mail: [...notices.mail, ...reminders.mail],
    logBefore: unloggedChanges(logged, read),
    log: [...notices.log, ...facts, ...reminders.log],
    warnings: reminders.warnings,
    // A new version of the time or place: calendar files sent from now on replace the saved ones.
    afterFlush: facts.length ? () => setCalendarSequence(factsHistory(logged).length) : undefined,
  };
}

export function policyOf(s: EventSettings): Policy {
  return {
    claimWindowMs: s.claimWindowHours * 3600e3,
    startsAt: s.startsAt,
    closesAt: s.closesAt,
    expiredTo: s.offerExpiry === 'waitlist' ? 'waitlisted' : 'cancelled',
    quiet: s.quietHours,
    smallerFirst: s.smallerFirst,
    hostEditMail: s.hostEditMail,
    largestParty: s.largestParty,
  };
}
