/** Sending what the Outbox holds: right after a transaction, and from the drain trigger. */
import { clockText } from '../core/quiet';
import { Guest } from '../core/model';
import {
  OutboxEntry,
  SendResult,
  dueEntries,
  holdReason,
  replacedResults,
  stillTrue,
  tooLate,
} from '../core/outbox';
import { EventSettings } from '../core/settings';
import { MailOutlook, SeatAnswer, TxSuccess, releaseLock, tryLock, workLock } from '../keeper/keeper';
import { needsMark, settleGoingOut } from '../sheets/going-out';
import { Workbook } from '../sheets/workbook';
import { sendEntries } from './mailer';

/** Send entries this execution owns (created as 'sending' by its transaction) and record the results. */
export function deliver(
  entries: OutboxEntry[],
  guests: Guest[],
  settings: EventSettings,
  url: string | null,
  until = Infinity,
): SendResult[] {
  const mine = entries.filter((e) => e.status === 'sending');
  if (!mine.length) return [];
  // A sign-up's own emails: only the Outbox is needed (its rows are recorded there).
  const book = Workbook.openLazily();
  if (!book) return [];
  const byToken = new Map(guests.map((g) => [g.token, g]));
  const results = sendEntries(mine, byToken, settings, url, until, false, eventFull(book));
  record(book, mine, results);
  return results;
}

/** The results into the Outbox, flushed, and then the at-most-once marks they settle removed. */
function record(book: Workbook, entries: readonly OutboxEntry[], results: SendResult[]): void {
  book.outbox.record(results);
  const kindOf = new Map(entries.map((e) => [e.id, e.kind]));
  const settled = results.filter((r) => {
    const kind = kindOf.get(r.id);
    return kind && needsMark(kind) && r.status !== 'queued' && r.status !== 'sending';
  });
  settleGoingOut(settled.map((r) => r.id));
}

/**
 * Whether no seat is left, from the summary the keeper wrote (read once, and only when an email needs
 * it: a cancelled guest is invited to sign up again only while there is room).
 */
function eventFull(book: Workbook): () => boolean {
  let full: boolean | null = null;
  return () => {
    if (full === null) full = book.settings.read().summaryValues['Seats left'] === 0;
    return full;
  };
}

/** After a transaction this execution ran itself. Outside the lock. Past `until` the rest is queued for the drain. */
export function deliverOwned(tx: TxSuccess, until = Infinity): SendResult[] {
  try {
    return deliver(tx.outbox, tx.mailGuests, tx.settings, tx.url, until);
  } catch (err) {
    // The seats are decided and the rows stay 'sending': the drain sends them once they are orphaned.
    console.error(`sending after a transaction failed: ${String(err)}`);
    return [];
  }
}

/** What became of the email a guest's request owed them: sent now, left queued for the drain, or none owed. */
export type MailState = 'sent' | 'queued' | 'none';

/** After a seat request, whichever execution's transaction answered it: each requester sends its own email. */
export function deliverAnswer(a: SeatAnswer): MailState {
  let own: MailState = 'none';
  if (a.entry) {
    const id = a.entry.id;
    const sent = deliver([a.entry], [a.outcome.guest], a.settings, a.url).some(
      (r) => r.id === id && r.status === 'sent',
    );
    own = sent ? 'sent' : 'queued';
  }
  if (a.extras) deliver(a.extras.entries, a.extras.guests, a.settings, a.url);
  return own;
}

/** What a drain did; `held`: queued emails that wait for quiet hours to end (at `heldUntil`). */
export interface DrainCounts {
  sent: number;
  queued: number;
  failed: number;
  skipped: number;
  held: number;
  heldUntil: string;
}

/**
 * The drain (time trigger and menu): send queued emails while the quota lasts. The document lock
 * keeps two drains from sending the same row; sign-ups never wait on it.
 */
export function drainOutbox(limit = 200, until = Date.now() + 4 * 60e3): DrainCounts {
  const counts: DrainCounts = { sent: 0, queued: 0, failed: 0, skipped: 0, held: 0, heldUntil: '' };
  const book = Workbook.open();
  if (!book) return counts;
  const lock = workLock();
  if (!tryLock(lock, 1000)) return counts;
  try {
    const settings = book.settings.read().result;
    if (!settings.ok) return counts;
    const rows = book.outbox.entries();
    const quiet = settings.settings.quietHours;
    const due = dueEntries(rows, Date.now(), quiet).slice(0, limit);
    counts.held = rows.filter((e) => e.status === 'queued' && holdReason(e, Date.now(), quiet)).length;
    if (counts.held && quiet) counts.heldUntil = clockText(quiet.to);
    if (!due.length) return counts;
    const replaced = replacedResults(rows, due);
    const skip = new Set(replaced.map((r) => r.id));
    const byToken = book.guests.byToken();
    // Emails whose premise no longer holds are skipped (sendEntries says why) and use no quota:
    // only the rest are counted against what is left today.
    const now = Date.now();
    const live = (e: OutboxEntry) =>
      stillTrue(e.kind, byToken.get(e.token)?.status, e.about) &&
      !tooLate(e.kind, settings.settings.startsAt, now);
    const toSend = due.filter((e) => !skip.has(e.id) && live(e));
    const stale = due.filter((e) => !skip.has(e.id) && !live(e));
    const quota = MailApp.getRemainingDailyQuota();
    const batch = [...stale, ...toSend.slice(0, Math.max(0, quota))];
    const results = [
      ...replaced,
      ...sendEntries(batch, byToken, settings.settings, book.url, until, true, eventFull(book)),
    ];
    record(book, due, results);
    for (const r of results) counts[r.status === 'sending' ? 'queued' : r.status]++;
    counts.queued += toSend.length - (batch.length - stale.length);
    return counts;
  } finally {
    releaseLock(lock);
  }
}

/**
 * Read before a recount takes the lock: today's mail quota and the reminders still waiting, so the
 * recount can start a slot's reminders early and warn the host when they will not all fit.
 */
export function mailOutlook(): MailOutlook {
  const book = Workbook.open();
  if (!book) return { mailQuota: null, queuedReminders: 0 };
  const waiting = book.outbox
    .entries()
    .filter((e) => e.kind === 'reminder' && (e.status === 'queued' || e.status === 'sending')).length;
  let mailQuota: number | null = null;
  try {
    mailQuota = MailApp.getRemainingDailyQuota();
  } catch {
    // Mail not authorized (a scope left unticked): plan without the quota; the send reports it.
  }
  return { mailQuota, queuedReminders: waiting };
}
