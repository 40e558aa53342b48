/**
 * "What if" before a change (issue 26): the capacity, the registration deadline or the largest
 * party. The keeper's own pure decision runs on a read of the rows, without the lock, with the
 * changed settings; nothing is written. Apply writes the settings and runs the keeper as usual, then
 * says what differed from the preview if the sheet moved meanwhile.
 */
import { decide, rowsAfter } from '../../core/keeper';
import { waitlistClosedNotices } from '../../core/deadline';
import { DryRun, describeDryRun, dryRunDiff } from '../../core/dry-run';
import { plural } from '../../core/model';
import { EventSettings } from '../../core/settings';
import { SettingKey } from '../../core/settings-schema';
import { keeper } from '../../keeper/keeper';
import { deliverOwned, mailOutlook } from '../../messenger/send';
import { NOT_SET_UP_MESSAGE, Workbook } from '../../sheets/workbook';

/** How the dashboard's deadline field is typed (and shown back). */
const TYPED_DATE = 'yyyy-MM-dd HH:mm';

export type DryRunAnswer = { ok: false; message: string } | ({ ok: true; change: Change } & DryRun);

/** What the host would change: any of these (a date as typed in the form: 2026-12-31 19:00). */
export interface Change {
  capacity?: number;
  largestParty?: number;
  closesAt?: string;
}

const whole = (raw: unknown, min: number, max: number): number | null => {
  const n = Number(String(raw ?? '').trim());
  return String(raw ?? '').trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
};

/** The change as the dashboard sends it (a bare number is a capacity), checked; or what is wrong. */
function readChange(raw: unknown): { ok: true; change: Change } | { ok: false; message: string } {
  const o = (raw !== null && typeof raw === 'object' ? raw : { capacity: raw }) as Record<string, unknown>;
  const change: Change = {};
  if (o.capacity !== undefined && o.capacity !== '') {
    const n = whole(o.capacity, 0, 1_000_000);
    if (n === null) return { ok: false, message: 'Type the capacity as a whole number (0 or more).' };
    change.capacity = n;
  }
  if (o.largestParty !== undefined && o.largestParty !== '') {
    const n = whole(o.largestParty, 1, 50);
    if (n === null) return { ok: false, message: 'Type the largest party as a whole number from 1 to 50.' };
    change.largestParty = n;
  }
  if (typeof o.closesAt === 'string' && o.closesAt.trim()) {
    if (!/^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(o.closesAt.trim()))
      return { ok: false, message: 'Type the deadline as 2026-12-31 19:00.' };
    change.closesAt = o.closesAt.trim();
  }
  if (!Object.keys(change).length)
    return { ok: false, message: 'Type a capacity, a deadline or a largest party first.' };
  return { ok: true, change };
}

function changed(s: EventSettings, c: Change, tz: string): { settings: EventSettings; words: string[] } {
  const fmt = (d: Date | null) => (d ? Utilities.formatDate(d, tz, TYPED_DATE) : 'none');
  const next = { ...s };
  const words: string[] = [];
  if (c.capacity !== undefined) {
    const diff = c.capacity - s.capacity;
    words.push(
      `Capacity ${s.capacity} → ${c.capacity} (${diff >= 0 ? '+' : ''}${diff} ${Math.abs(diff) === 1 ? 'seat' : 'seats'})`,
    );
    next.capacity = c.capacity;
  }
  if (c.largestParty !== undefined) {
    words.push(`Largest party ${s.largestParty ?? 1} → ${c.largestParty}`);
    next.largestParty = c.largestParty;
  }
  if (c.closesAt !== undefined) {
    const at = Utilities.parseDate(c.closesAt, tz, TYPED_DATE);
    words.push(`Registration closes ${fmt(s.closesAt ?? null)} → ${fmt(at)}`);
    next.closesAt = at;
  }
  return { settings: next, words };
}

/** What the change would do now: offers, confirmations, passed over, emails, quota. */
export function previewChange(raw: unknown): DryRunAnswer {
  const book = Workbook.open();
  if (!book) return { ok: false, message: NOT_SET_UP_MESSAGE };
  const c = readChange(raw);
  if (!c.ok) return c;
  const r = book.settings.read().result;
  if (!r.ok) return { ok: false, message: `Fix Settings first (the cells in red): ${r.problems.join(' ')}` };
  const tz = r.settings.timeZone || book.timeZone;
  const { settings: s, words } = changed(r.settings, c.change, tz);
  const guests = book.guests.read().guests;
  const now = new Date();
  const d = decide({
    guests,
    capacity: s.capacity,
    requests: [],
    now,
    newToken: () => 'dry-run',
    policy: keeper.policyOf(s),
  });
  // A deadline moved into the past: every guest still waiting is told, once (the recount's upkeep).
  const notices = waitlistClosedNotices(rowsAfter(guests, d), book.log.changes(), s.closesAt ?? null, now);
  const run = describeDryRun(
    words.join(', '),
    guests,
    { ...d, mail: [...d.mail, ...notices.mail] },
    {
      now,
      quiet: s.quietHours ?? null,
      quota: MailApp.getRemainingDailyQuota(),
    },
  );
  const held = d.counts.seats.confirmed + d.counts.seats.offered;
  const over =
    held > s.capacity
      ? ` Seats held are ${held - s.capacity} over it: nobody loses a seat, and nobody is offered one until they are under.`
      : '';
  const told = notices.mail.length
    ? ` ${plural(notices.mail.length, 'guest')} waiting would be told the waitlist has closed.`
    : '';
  return { ok: true, change: c.change, ...run, text: run.text + over + told };
}

/** The capacity alone (the dashboard's first field). */
export const previewCapacity = (n: unknown): DryRunAnswer => previewChange({ capacity: n });

/** Apply: the settings written and the keeper run; what differed from the preview, if anything. */
export function applyChange(raw: unknown, seen: unknown): string {
  const book = Workbook.open();
  if (!book) return NOT_SET_UP_MESSAGE;
  const c = readChange(raw);
  if (!c.ok) return c.message;
  const snap = book.settings.read();
  // Written as the Set up form writes a date (its wall clock, see writeSettings).
  const values: Partial<Record<SettingKey, string | number>> = {
    ...c.change,
    ...(c.change.closesAt ? { closesAt: c.change.closesAt.replace(' ', 'T') } : {}),
  };
  book.settings.writeSettings(snap, values, new Set<SettingKey>(['closesAt']));
  book.flush();
  const before = book.guests.read().guests;
  const tx = keeper.recount(mailOutlook());
  if (!tx.ok) return `Saved, but the recount did not run: ${tx.message}`;
  deliverOwned(tx);
  const done = describeDryRun('Done', before, tx.decision, {
    now: new Date(),
    quiet: tx.settings.quietHours ?? null,
    quota: null,
  });
  const p = (seen ?? {}) as { offered?: unknown; confirmed?: unknown };
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const diff = dryRunDiff({ offered: list(p.offered), confirmed: list(p.confirmed) }, done);
  return [done.text, diff].filter(Boolean).join(' ');
}

export const applyCapacity = (n: unknown, seen: unknown): string => applyChange({ capacity: n }, seen);
