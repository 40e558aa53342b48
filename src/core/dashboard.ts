/**
 * The host's dashboard: everything worth a glance, assembled from what the tables read. Pure, and
 * JSON-safe on the way out (google.script.run refuses a Date in a return value): dates are
 * pre-formatted strings in the event's time zone.
 */
import { SizeInput, sizeWarnings } from './capacity-warnings';
import { CLOSED_LINE, closedBy } from './deadline';
import { Guest, STATUSES, countGuests, isStatus, partyOf } from './model';
import { holdReason } from './outbox';
import { clockText } from './quiet';
import { REMINDER_LABEL, slotTime } from './reminders';
import { Question, missingRequired, tally } from './questions';
import { SettingsResult } from './settings';

export interface DashboardInput {
  now: Date;
  settings: SettingsResult;
  guests: readonly Guest[];
  outbox: ReadonlyArray<{ status: string; kind?: string; token?: string; sendAfter?: Date | null }>;
  /** The Status line the last recount wrote in the summary (it carries the reminder forecast). */
  summaryStatus?: string;
  replies: ReadonlyArray<{ from: string; subject: string; said: string; status: string; threadId: string }>;
  log: ReadonlyArray<{ when: Date | null; email: string; from: string; to: string; detail: string }>;
  /** Handler functions of the installed triggers, one entry per trigger. */
  triggers: readonly string[];
  /** Triggers the sheet needs (set up installs them). */
  requiredTriggers: ReadonlyArray<{ fn: string; what: string }>;
  mailQuotaLeft: number;
  webAppUrl: string | null;
  /** The last "Check this deployment" rows (empty when it never ran). */
  checks?: ReadonlyArray<{ check: string; result: string; todo: string }>;
  /** Formats a date in the event's time zone (Utilities.formatDate bound to it). */
  format: (d: Date) => string;
  actions: ReadonlyArray<{ fn: string; label: string }>;
  /** The spreadsheet's size (see capacity-warnings.ts); absent: not measured. */
  size?: SizeInput;
  /** Each guest row's people arrived at the door (index as `guests`); absent: nobody checked in yet. */
  arrived?: readonly number[];
  /** The host's questions, and each guest row's answer cells by lower-cased label (index as `guests`). */
  answers?: { questions: readonly Question[]; cells: ReadonlyArray<Record<string, string>> };
}

export interface DashboardData {
  eventName: string;
  capacity: number | null;
  /** `unit`: confirmed, offered and waitlisted count seats; invited, cancelled and duplicate RSVPs. */
  counts: Array<{ status: string; count: number; unit: 'seats' | 'RSVPs' }>;
  seatsLeft: number | null;
  statusLine: string;
  /** `mail`: whether the guest has been emailed the offer (sent, queued, held by quiet hours until …). */
  offers: Array<{ name: string; email: string; deadline: string; mail: string }>;
  nextWaiting: Array<{ position: number; name: string; email: string; party: number }>;
  emailsQueued: number;
  /** Of those, held by quiet hours now, and when they end ("08:00"). */
  emailsHeld: number;
  heldUntil: string;
  emailsFailed: number;
  mailQuotaLeft: number;
  replies: Array<{ from: string; subject: string; said: string; threadUrl: string }>;
  log: Array<{ when: string; email: string; change: string; detail: string }>;
  warnings: string[];
  /** Each reminder slot that is on, with when it goes (or went), and the quiet hours. */
  reminders: string[];
  actions: Array<{ fn: string; label: string }>;
  webAppUrl: string | null;
  updated: string;
  /** People arrived (checked in) against confirmed seats; once the event has started, the confirmed RSVPs nobody of came. */
  door: { arrived: number; confirmed: number; noShows: number | null };
  /** Each question's answers counted ("12 Vegetarian, 3 Vegan (people)"), and the RSVPs missing a required one. */
  answers: { lines: string[]; missing: number };
}

const SHOWN_WAITING = 5;
const SHOWN_LOG = 8;
const SHOWN_REPLIES = 10;

export const threadUrl = (threadId: string) =>
  `https://mail.google.com/mail/#all/${encodeURIComponent(threadId)}`;

function doorCounts(i: DashboardInput): DashboardData['door'] {
  const confirmed = i.guests
    .map((g, k) => ({ g, arrived: i.arrived?.[k] ?? 0 }))
    .filter(({ g }) => g.email && g.status === 'confirmed');
  const started = !!i.settings.settings.startsAt && i.now.getTime() >= i.settings.settings.startsAt.getTime();
  return {
    arrived: confirmed.reduce((n, x) => n + x.arrived, 0),
    confirmed: confirmed.reduce((n, x) => n + partyOf(x.g.party), 0),
    noShows: started ? confirmed.filter((x) => !x.arrived).length : null,
  };
}

/** What the questions' answers add up to, over the live RSVPs (a choice's count in its question's unit). */
function answerLines(i: DashboardInput): DashboardData['answers'] {
  const a = i.answers;
  if (!a || !a.questions.length) return { lines: [], missing: 0 };
  const live = i.guests
    .map((g, k) => ({ g, cells: a.cells[k] ?? {} }))
    .filter(({ g }) => g.email && ['confirmed', 'offered', 'waitlisted', 'invited'].includes(g.status));
  const lines = a.questions
    .filter((q) => q.type === 'one choice' || q.type === 'several choices' || q.type === 'yes/no')
    .map((q) => {
      const t = tally(
        q,
        live.map(({ g, cells }) => ({ cell: cells[q.label.toLowerCase()] ?? '', party: partyOf(g.party) })),
      );
      const counted = t.counts.filter((c) => c.n).map((c) => `${c.n} ${c.choice}`);
      return `${q.label}: ${counted.length ? counted.join(', ') : 'no answers yet'} (${t.unit})`;
    });
  const lower = (cells: Record<string, string>) =>
    Object.fromEntries(a.questions.map((q) => [q.label, cells[q.label.toLowerCase()] ?? '']));
  const missing = live.filter(({ cells }) => missingRequired(a.questions, lower(cells)).length).length;
  return { lines, missing };
}

export function buildDashboard(i: DashboardInput): DashboardData {
  const s = i.settings;
  const capacityBad = !!s.flags.capacity;
  const capacity = capacityBad || typeof s.settings.capacity !== 'number' ? null : s.settings.capacity;
  const live = i.guests.filter((g) => g.email);
  const c = countGuests(live, capacity ?? NaN);
  // Seats where a party counts (as the summary shows them); rows for the rest.
  const counts: DashboardData['counts'] = STATUSES.map((status) =>
    status === 'confirmed' || status === 'offered' || status === 'waitlisted'
      ? { status, count: c.seats[status], unit: 'seats' as const }
      : { status, count: c[status], unit: 'RSVPs' as const },
  );
  // A status the host typed that we don't know yet (pending its revert): shown as it is.
  const other = new Map<string, number>();
  for (const g of live)
    if (!isStatus(g.status)) other.set(String(g.status), (other.get(String(g.status)) ?? 0) + 1);
  for (const [status, count] of other) counts.push({ status: status || '(blank)', count, unit: 'RSVPs' });

  const warnings: string[] = [];
  if (!s.ok) warnings.push(`Registration is paused until Settings are fixed: ${s.problems.join(' ')}`);
  if (c.duplicate)
    warnings.push(
      `${c.duplicate} duplicate row(s) in Guests, not counted: delete them or set them to cancelled.`,
    );
  if (other.size)
    warnings.push(
      `${[...other.values()].reduce((a, b) => a + b, 0)} row(s) with a status the keeper doesn't know: it puts them back on the next edit or Recount.`,
    );
  if (c.overBy)
    warnings.push(`Over capacity by ${c.overBy}: nobody is removed; new sign-ups go to the waitlist.`);
  for (const t of i.requiredTriggers) {
    const n = i.triggers.filter((fn) => fn === t.fn).length;
    if (n === 0) warnings.push(`Missing trigger: ${t.what}. Run RSVP → Set up this sheet.`);
  }
  for (const fn of new Set(i.triggers)) {
    const n = i.triggers.filter((x) => x === fn).length;
    if (n > 1)
      warnings.push(
        `The trigger for ${fn} is installed ${n} times: remove the extra ones (Extensions → Apps Script → Triggers).`,
      );
  }
  const queued = i.outbox.filter((e) => e.status === 'queued' || e.status === 'sending').length;
  // Held as the drain holds them: by the Settings now.
  const quiet = s.settings.quietHours ?? null;
  const isHeld = (e: DashboardInput['outbox'][number]) =>
    e.status === 'queued' && !!holdReason(e, i.now.getTime(), quiet);
  const held = i.outbox.filter(isHeld).length;
  // Each guest's latest offer email, in one pass over the Outbox.
  const offerEntry = new Map<string, DashboardInput['outbox'][number]>();
  for (const e of i.outbox) if (e.kind === 'offered' && e.token) offerEntry.set(e.token, e);
  const offerMail = (token: string) => {
    const e = offerEntry.get(token);
    if (!e) return 'email not queued';
    if (e.status === 'sent') return 'emailed';
    if (isHeld(e)) return `email held by quiet hours until ${clockText(quiet?.to ?? 0)}`;
    if (e.status === 'failed') return 'email failed (see the Outbox)';
    return e.status === 'skipped' ? 'email skipped' : 'email queued';
  };
  if (i.mailQuotaLeft <= 0)
    warnings.push(
      `Today's email quota is spent: ${queued} email(s) wait in the Outbox and go out when it resets.`,
    );
  // The recount's forecast ("Reminders: 40 to send in the next 24 hours but only 20 emails left…").
  const forecast = /Reminders: .*$/.exec(i.summaryStatus ?? '')?.[0];
  const waitingReminders = i.outbox.filter(
    (e) => e.kind === 'reminder' && (e.status === 'queued' || e.status === 'sending'),
  ).length;
  if (forecast) warnings.push(forecast);
  if (i.size) warnings.push(...sizeWarnings(i.size));
  else if (waitingReminders > i.mailQuotaLeft && i.mailQuotaLeft > 0)
    warnings.push(
      `${waitingReminders} reminders wait in the Outbox but only ${i.mailQuotaLeft} emails are left in today's quota: the rest go as it refills.`,
    );
  for (const c of i.checks ?? [])
    if (c.result === 'fail')
      warnings.push(`Deployment check failed: ${c.check}.${c.todo ? ` ${c.todo}` : ''}`);
  if (!i.webAppUrl)
    warnings.push('The web app is not deployed: Deploy → New deployment → Web app, to get the form link.');

  const byPosition = (a: Guest, b: Guest) => (a.position ?? Infinity) - (b.position ?? Infinity);
  return {
    answers: answerLines(i),
    door: doorCounts(i),
    eventName: s.settings.eventName || '(no event name)',
    capacity,
    counts,
    seatsLeft: capacity === null ? null : c.seatsLeft,
    statusLine: statusLineOf(s, c.seatsLeft, capacity, c.waitlisted, c.offered, i.now),
    offers: live
      .filter((g) => g.status === 'offered')
      .map((g) => ({
        name: g.name,
        email: g.email,
        deadline: g.offerExpires ? i.format(g.offerExpires) : '',
        mail: offerMail(g.token),
      })),
    nextWaiting: live
      .filter((g) => g.status === 'waitlisted')
      .sort(byPosition)
      .slice(0, SHOWN_WAITING)
      .map((g) => ({ position: g.position ?? 0, name: g.name, email: g.email, party: partyOf(g.party) })),
    emailsQueued: queued,
    emailsHeld: held,
    heldUntil: held && quiet ? clockText(quiet.to) : '',
    emailsFailed: i.outbox.filter((e) => e.status === 'failed').length,
    mailQuotaLeft: i.mailQuotaLeft,
    replies: i.replies
      .filter((r) => r.status === 'review')
      .slice(-SHOWN_REPLIES)
      .map((r) => ({
        from: r.from,
        subject: r.subject,
        said: r.said,
        threadUrl: r.threadId ? threadUrl(r.threadId) : '',
      })),
    log: i.log
      .filter((l) => l.email)
      .slice(-SHOWN_LOG)
      .reverse()
      .map((l) => ({
        when: l.when ? i.format(l.when) : '',
        email: l.email,
        change: `${l.from} → ${l.to}`,
        detail: l.detail,
      })),
    warnings,
    reminders: reminderLines(s, i.now, i.format),
    actions: i.actions.map((a) => ({ fn: a.fn, label: a.label })),
    webAppUrl: i.webAppUrl,
    updated: i.format(i.now),
  };
}

function statusLineOf(
  s: SettingsResult,
  seatsLeft: number,
  capacity: number | null,
  waitlisted: number,
  offered: number,
  now: Date,
): string {
  if (!s.ok || capacity === null) return 'Registration is paused';
  const closed = closedBy(s.settings, now.getTime());
  if (closed) return CLOSED_LINE[closed];
  const held = offered ? ` · ${offered} held for offers` : '';
  return seatsLeft > 0
    ? `Open: ${seatsLeft} of ${capacity} seats left${held}`
    : `Full: ${waitlisted} on the waitlist${held}`;
}

/** "The day before: Fri 13 Nov, 18:00", with "(sent)" once it has passed, then the quiet hours. */
function reminderLines(s: SettingsResult, now: Date, format: (d: Date) => string): string[] {
  const e = s.settings;
  const start = e.startsAt?.getTime();
  const slots = (e.reminders ?? [])
    .map((slot) => ({ slot, at: start === undefined ? null : slotTime(slot, start, e.timeZone ?? 'UTC') }))
    .sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  const lines = slots.map(({ slot, at }) => {
    const label = REMINDER_LABEL[slot.key];
    const what = label.charAt(0).toUpperCase() + label.slice(1);
    if (start === undefined) return `${what}: once Starts at is set`;
    if (at === null) return `${what}: none (the event starts before it)`;
    return `${what}: ${format(new Date(at))}${at <= now.getTime() ? ' (due: sent to those confirmed before it)' : ''}`;
  });
  if (!lines.length) lines.push('Reminders are off.');
  const q = e.quietHours;
  lines.push(q ? `Quiet hours: ${clockText(q.from)}–${clockText(q.to)}` : 'Quiet hours: off');
  return lines;
}
