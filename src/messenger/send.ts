/** Sending what the Outbox holds: right after a transaction, and from the drain trigger. */
import { Guest } from '../core/model';
import { readSettings } from '../sheets/settings-sheet';
import { TxSuccess, openSheets, webAppUrl } from '../sheets/transaction';
import { dueEntries, guestsByToken, recordResults, sendEntries } from './outbox';

/** Send the emails this execution's transaction queued as 'sending' (it owns them). Outside the lock. */
export function deliverOwned(tx: TxSuccess): void {
  const mine = tx.outbox.filter((e) => e.status === 'sending');
  if (!mine.length) return;
  const sheets = openSheets();
  if (!sheets) return;
  const byToken = new Map<string, Guest>();
  for (const o of tx.decision.outcomes) byToken.set(o.guest.token, o.guest);
  recordResults(sheets.outbox, sendEntries(mine, byToken, tx.settings, tx.url));
}

/**
 * The drain (time trigger and menu): send queued emails while the quota lasts. The document lock
 * keeps two drains from sending the same row; sign-ups never wait on it.
 */
export function drainOutbox(limit = 200): { sent: number; queued: number; failed: number; skipped: number } {
  const counts = { sent: 0, queued: 0, failed: 0, skipped: 0 };
  const sheets = openSheets();
  if (!sheets) return counts;
  const lock = LockService.getDocumentLock();
  if (!lock || !lock.tryLock(1000)) return counts;
  try {
    const due = dueEntries(sheets.outbox.getDataRange().getValues(), Date.now()).slice(0, limit);
    if (!due.length) return counts;
    const settings = readSettings(sheets.settings, sheets.timeZone).result;
    if (!settings.ok) return counts;
    const quota = MailApp.getRemainingDailyQuota();
    const batch = due.slice(0, Math.max(0, quota));
    const byToken = guestsByToken(sheets.guests.getDataRange().getValues());
    const results = sendEntries(batch, byToken, settings.settings, webAppUrl());
    recordResults(sheets.outbox, results);
    for (const r of results) counts[r.status === 'sending' ? 'queued' : r.status]++;
    counts.queued += due.length - batch.length;
    return counts;
  } finally {
    lock.releaseLock();
  }
}
