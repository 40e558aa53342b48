/** Sending what the Outbox holds: right after a transaction, and from the drain trigger. */
import { Guest } from '../core/model';
import { EventSettings } from '../core/settings';
import { SeatAnswer, serveQueue } from '../sheets/combiner';
import { readSettings } from '../sheets/settings-sheet';
import { releaseLock, tryLock } from '../sheets/locks';
import { KeeperRequest } from '../core/keeper';
import { TxFailure, TxSuccess, openSheets, runKeeper, webAppUrl } from '../sheets/transaction';
import {
  OutboxEntry,
  dueEntries,
  guestsByToken,
  recordResults,
  replacedResults,
  sendEntries,
} from './outbox';

/** Send entries this execution owns (created as 'sending' by its transaction) and record the results. */
function deliver(
  entries: OutboxEntry[],
  guests: Guest[],
  settings: EventSettings,
  url: string | null,
  until = Infinity,
): void {
  const mine = entries.filter((e) => e.status === 'sending');
  if (!mine.length) return;
  const sheets = openSheets();
  if (!sheets) return;
  const byToken = new Map(guests.map((g) => [g.token, g]));
  recordResults(sheets.outbox, sendEntries(mine, byToken, settings, url, until));
}

/** After a transaction this execution ran itself. Outside the lock. Past `until` the rest is queued for the drain. */
export function deliverOwned(tx: TxSuccess, until = Infinity): void {
  deliver(tx.outbox, tx.mailGuests, tx.settings, tx.url, until);
}

/** A keeper transaction run by this execution, then the emails it owes (recounts, expiries, host edits). */
export function keep(requests: KeeperRequest[] = []): TxSuccess | TxFailure {
  const tx = runKeeper(requests);
  if (tx.ok) {
    try {
      deliverOwned(tx);
    } catch (err) {
      console.error(`sending after a transaction failed: ${String(err)}`);
    }
  }
  return tx;
}

/** After a seat request, whichever execution's transaction answered it: each requester sends its own email. */
export function deliverAnswer(a: SeatAnswer): void {
  if (a.entry) deliver([a.entry], [a.outcome.guest], a.settings, a.url);
  if (a.extras) deliver(a.extras.entries, a.extras.guests, a.settings, a.url);
}

/** Seat requests left in the queue by requesters that died or gave up: run them and send their emails. */
export function serveLeftovers(): void {
  const left = serveQueue();
  if (left) deliver(left.entries, left.guests, left.settings, left.url);
}

/**
 * The drain (time trigger and menu): send queued emails while the quota lasts. The document lock
 * keeps two drains from sending the same row; sign-ups never wait on it.
 */
export function drainOutbox(
  limit = 200,
  until = Date.now() + 4 * 60e3,
): { sent: number; queued: number; failed: number; skipped: number } {
  const counts = { sent: 0, queued: 0, failed: 0, skipped: 0 };
  const sheets = openSheets();
  if (!sheets) return counts;
  const lock = LockService.getDocumentLock();
  if (!tryLock(lock, 1000)) return counts;
  try {
    const values = sheets.outbox.getDataRange().getValues();
    const due = dueEntries(values, Date.now()).slice(0, limit);
    if (!due.length) return counts;
    const settings = readSettings(sheets.settings, sheets.timeZone).result;
    if (!settings.ok) return counts;
    const replaced = replacedResults(values, due);
    const skip = new Set(replaced.map((r) => r.id));
    const toSend = due.filter((e) => !skip.has(e.id));
    const quota = MailApp.getRemainingDailyQuota();
    const batch = toSend.slice(0, Math.max(0, quota));
    const byToken = guestsByToken(sheets.guests.getDataRange().getValues());
    const results = [
      ...replaced,
      ...sendEntries(batch, byToken, settings.settings, webAppUrl(), until, true),
    ];
    recordResults(sheets.outbox, results);
    for (const r of results) counts[r.status === 'sending' ? 'queued' : r.status]++;
    counts.queued += toSend.length - batch.length;
    return counts;
  } finally {
    releaseLock(lock);
  }
}
