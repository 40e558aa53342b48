/**
 * "What if" before a capacity change (issue 26): the keeper's own pure decision on a read of the
 * rows, without the lock, with the new capacity; nothing is written. Apply writes the capacity and
 * runs the keeper as usual, then says what differed from the preview if the sheet moved meanwhile.
 */
import { decide } from '../../core/keeper';
import { DryRun, describeDryRun, dryRunDiff } from '../../core/dry-run';
import { keeper } from '../../keeper/keeper';
import { deliverOwned, mailOutlook } from '../../messenger/send';
import { NOT_SET_UP_MESSAGE, Workbook } from '../../sheets/workbook';

export type DryRunAnswer = { ok: false; message: string } | ({ ok: true; capacity: number } & DryRun);

function capacityOf(raw: unknown): number | null {
  const n = Number(String(raw ?? '').trim());
  return Number.isInteger(n) && n >= 0 && n <= 1_000_000 ? n : null;
}

/** What a new capacity would do now: offers, confirmations, passed over, emails, quota. */
export function previewCapacity(raw: unknown): DryRunAnswer {
  const book = Workbook.open();
  if (!book) return { ok: false, message: NOT_SET_UP_MESSAGE };
  const n = capacityOf(raw);
  if (n === null) return { ok: false, message: 'Type the capacity as a whole number (0 or more).' };
  const r = book.settings.read().result;
  if (!r.ok) return { ok: false, message: `Fix Settings first (the cells in red): ${r.problems.join(' ')}` };
  const s = r.settings;
  const guests = book.guests.read().guests;
  const now = new Date();
  const d = decide({
    guests,
    capacity: n,
    requests: [],
    now,
    newToken: () => 'dry-run',
    policy: keeper.policyOf(s),
  });
  const diff = n - s.capacity;
  const change = `Capacity ${s.capacity} → ${n} (${diff >= 0 ? '+' : ''}${diff} ${Math.abs(diff) === 1 ? 'seat' : 'seats'})`;
  const run = describeDryRun(change, guests, d, {
    now,
    quiet: s.quietHours ?? null,
    quota: MailApp.getRemainingDailyQuota(),
  });
  const held = d.counts.seats.confirmed + d.counts.seats.offered;
  const over =
    held > n
      ? ` Seats held are ${held - n} over it: nobody loses a seat, and nobody is offered one until they are under.`
      : '';
  return { ok: true, capacity: n, ...run, text: run.text + over };
}

/** Apply: the capacity written and the keeper run; what differed from the preview, if anything. */
export function applyCapacity(raw: unknown, seen: unknown): string {
  const book = Workbook.open();
  if (!book) return NOT_SET_UP_MESSAGE;
  const n = capacityOf(raw);
  if (n === null) return 'Type the capacity as a whole number (0 or more).';
  const snap = book.settings.read();
  book.settings.writeSettings(snap, { capacity: n }, new Set());
  book.flush();
  const before = book.guests.read().guests;
  const tx = keeper.recount(mailOutlook());
  if (!tx.ok) return `Capacity is now ${n}, but the recount did not run: ${tx.message}`;
  deliverOwned(tx);
  const s = tx.settings;
  const done = describeDryRun(`Capacity is now ${n}`, before, tx.decision, {
    now: new Date(),
    quiet: s.quietHours ?? null,
    quota: null,
  });
  const p = (seen ?? {}) as { offered?: unknown; confirmed?: unknown };
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const diff = dryRunDiff({ offered: list(p.offered), confirmed: list(p.confirmed) }, done);
  return [done.text, diff].filter(Boolean).join(' ');
}
