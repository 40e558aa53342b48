/**
 * The Outbox's domain: every email the system owes someone, as entries and the pure rules about
 * them (what is still worth sending, what is due, what a later entry replaces). The keeper creates
 * entries inside its transaction; the messenger sends them; the Outbox table stores them. Pure.
 */
import type { MailKind } from './keeper';
import { Guest } from './model';
import { QuietHours, clockText, isQuiet, quietEnd } from './quiet';
import { EventSettings } from './settings';
import { Audience, parseMessageAbout } from './messages';
import { oneLine } from './text';

/** 'closed': a "yes" by email after registration closed, answered in the thread (the sender may be on no row).
 * 'cancel-link': a reply asked to cancel but could not be proven to come from the guest, so the guest
 * (at their own address) gets the link that cancels instead. */
export type EmailKind = MailKind | 'cancel-link' | 'closed' | 'message';

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface OutboxEntry {
  id: string;
  to: string;
  name: string;
  kind: EmailKind;
  token: string;
  subject: string;
  status: OutboxStatus;
  tries: number;
  /**
   * The Gmail message (a guest's reply) this email answers: its id (sent as a reply in its thread), or
   * BY_MAIL + its id (sent as a plain email); '' for an email that answers no message.
   */
  inReplyTo: string;
  /**
   * Not before this time, and never in quiet hours: an email that is not an immediate answer to the
   * guest (an offer, a reminder, a notice). null: an answer, sent at once.
   */
  sendAfter: Date | null;
  /** For a reminder: the time and place the guest was told when they confirmed, if they changed since (JSON). */
  about: string;
}

/** An entry as stored: with the time its row was written. */
export type StoredEntry = OutboxEntry & { created: Date | null };

/** What the keeper decided to send: the kind, the guest, and the message it answers, if any. */
export interface OutboxIntent {
  kind: EmailKind;
  guest: Guest;
  inReplyTo?: string;
  /** An answer to something the guest just did (see MailIntent); an answer to their message always is. */
  immediate?: boolean;
  about?: string;
  /** The subject, when it is not the kind's own (a host's message). */
  subject?: string;
}

/** The outcome of one send attempt, as recorded in the entry's row. */
export interface SendResult {
  id: string;
  status: OutboxStatus;
  tries: number;
  error: string;
  sentAt: Date | '';
}

/** A 'sending' row older than this belongs to an execution that died: the drain takes it over. */
export const ORPHAN_MS = 10 * 60e3;
/** Failures other than the quota before a row is given up (and shown as failed to the host). */
export const MAX_TRIES = 5;

/**
 * Notices owed once and carrying nothing the guest needs to act on: sent at most once. A sender
 * stopped between sending and recording leaves the row unrecorded; for these, the next sender does
 * not send again (messenger/going-out.ts). Everything else is sent at least once: a guest must get
 * their confirmation or offer link, even twice.
 */
export const AT_MOST_ONCE: ReadonlySet<EmailKind> = new Set<EmailKind>(['waitlist-closed', 'message']);
/** Apps Script's daily-quota errors ("Service invoked too many times for one day: email."…). */
export const isQuotaError = (e: unknown): boolean =>
  /too many times for one day|quota/i.test(String((e as Error)?.message ?? e));

/** Marks an answer to a message that goes as a plain email (its Reply-To points elsewhere). */
export const BY_MAIL = 'mail:';

/** The message an Outbox row answers, however it is sent ('' if none). */
export const answeredMessage = (inReplyTo: string) =>
  inReplyTo.startsWith(BY_MAIL) ? inReplyTo.slice(BY_MAIL.length) : inReplyTo;

/** The statuses under which an email still makes sense when it is finally sent. */
export const STILL_TRUE: Record<EmailKind, string[]> = {
  confirmed: ['confirmed'],
  waitlisted: ['waitlisted'],
  invited: ['invited'],
  offered: ['offered'],
  cancelled: ['cancelled'],
  expired: ['cancelled', 'waitlisted'],
  left: ['cancelled'],
  'waitlist-closed': ['waitlisted'],
  reminder: ['confirmed'],
  'cancel-link': ['confirmed', 'waitlisted', 'offered', 'invited'],
  closed: [],
  // (and only those the message was written to: see stillTrue)
  message: ['confirmed', 'offered', 'waitlisted', 'invited'],
};

/**
 * Whether an email still makes sense for a guest now in `status` (undefined: no such row). The
 * "registration is closed" answer is about the message, not a row: always.
 */
export const stillTrue = (kind: EmailKind, status: string | undefined, about = ''): boolean =>
  kind === 'closed' ||
  (status !== undefined &&
    !!STILL_TRUE[kind]?.includes(status) &&
    // A host's message goes to those it was written to: a guest who moved on (cancelled, or from the
    // waitlist to a seat when it was for those waiting) is not sent it.
    (kind !== 'message' || !!parseMessageAbout(about)?.audience.includes(status as Audience)));

/** A reminder that could not go before the start (quota, quiet hours) has nothing left to remind of. */
export const tooLate = (kind: EmailKind, startsAt: Date | null, now: number): boolean =>
  kind === 'reminder' && !!startsAt && now >= startsAt.getTime();

export function subjectFor(kind: EmailKind, s: EventSettings, position: number | null): string {
  const ev = oneLine(s.eventName);
  const subjects: Record<EmailKind, string> = {
    confirmed: `You're in: ${ev}`,
    waitlisted: `You're number ${position ?? '?'} on the waitlist: ${ev}`,
    invited: `You're invited: ${ev}`,
    offered: `A seat opened up: claim it for ${ev}`,
    cancelled: `You're cancelled: ${ev}`,
    expired: `Your held seat was released: ${ev}`,
    left: `You've left the waitlist: ${ev}`,
    'waitlist-closed': `Registration has closed: ${ev}`,
    reminder: `Reminder: ${ev}`,
    closed: `Registration is closed: ${ev}`,
    'cancel-link': `Cancel your RSVP: ${ev}`,
    message: ev,
  };
  return subjects[kind].slice(0, 250);
}

/**
 * New entries for what the keeper decided, each with a fresh id. One that may wait (not an answer to
 * the guest) and falls in quiet hours is queued until they end, whatever the caller asked.
 */
export function newEntries(
  intents: readonly OutboxIntent[],
  settings: EventSettings,
  status: OutboxStatus,
  newId: () => string,
  now: Date = new Date(),
): OutboxEntry[] {
  return intents.map(({ kind, guest, inReplyTo, immediate, about, subject }) => {
    const answer = !!immediate || !!inReplyTo;
    // Stamped for the host (when it would go, by today's Settings); whether it waits is decided when it
    // is sent, from the Settings then (quiet hours turned off send it at once).
    const sendAfter = answer ? null : new Date(quietEnd(now.getTime(), settings.quietHours));
    return {
      id: newId(),
      to: guest.email,
      name: guest.name,
      kind,
      token: guest.token,
      subject: (subject ?? subjectFor(kind, settings, guest.position)).slice(0, 250),
      status: status === 'sending' && ((sendAfter && sendAfter > now) || BULK.has(kind)) ? 'queued' : status,
      tries: 0,
      inReplyTo: inReplyTo ?? '',
      sendAfter,
      about: about ?? '',
    };
  });
}

/**
 * Emails that come by the hundred (a reminder slot, the deadline's notice): never sent by the
 * transaction's own execution, always by the drain, which keeps to the quota and the time a run has.
 */
const BULK = new Set<EmailKind>(['reminder', 'waitlist-closed', 'message']);

/**
 * Why an entry must wait now, or null when it may go. Only quiet hours hold an email, and only by the
 * Settings at the moment of sending: a "Send after" cell says the email may wait for them (a cleared
 * cell sends it at once), not until when.
 */
export function holdReason(
  e: { sendAfter?: Date | null },
  now: number,
  quiet: QuietHours | null,
): string | null {
  if (!e.sendAfter || !quiet || !isQuiet(now, quiet)) return null;
  return `held by quiet hours until ${clockText(quiet.to)} (Settings)`;
}

/**
 * Rows the drain should take: queued ones (not held by quiet hours or their time), and 'sending' ones
 * orphaned by a dead execution.
 */
export function dueEntries(
  rows: readonly StoredEntry[],
  now: number,
  quiet: QuietHours | null = null,
): StoredEntry[] {
  return rows.filter(
    (e) =>
      e.id &&
      (e.status === 'queued' ||
        (e.status === 'sending' && (!e.created || now - e.created.getTime() > ORPHAN_MS))) &&
      !holdReason(e, now, quiet),
  );
}

/** Due rows a later row replaces (see supersededIds), recorded as skipped instead of sent. */
export function replacedResults(rows: readonly StoredEntry[], due: readonly OutboxEntry[]): SendResult[] {
  const replaced = supersededIds(rows);
  return due
    .filter((e) => replaced.has(e.id))
    .map((e): SendResult => ({
      id: e.id,
      status: 'skipped',
      tries: e.tries,
      error: 'replaced by a later email of the same kind',
      sentAt: '',
    }));
}

/**
 * Unsent rows that a later row for the same guest, kind and message replaces. An email is rendered
 * from the guest's row as it is when sent, so the later row says all the earlier one would. The
 * earlier one is left over from a transaction that half-landed, or from a sender that died, and then
 * the guest's retry went through: sending both would email the guest twice.
 */
export function supersededIds(rows: readonly StoredEntry[]): Set<string> {
  // Two messages from the host are two emails, never one in place of the other.
  const which = (e: OutboxEntry) =>
    e.kind === 'message' ? (parseMessageAbout(e.about)?.id ?? e.id) : answeredMessage(e.inReplyTo);
  const key = (e: OutboxEntry) => `${e.token}\n${e.kind}\n${which(e)}`;
  // Later = created later; in the same millisecond, the row appended after it.
  const later = (a: [number, number], b: [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
  const latest = new Map<string, [number, number]>();
  rows.forEach((e, i) => {
    if (!e.id || !e.token || !e.created || e.status === 'failed' || e.status === 'skipped') return;
    const at: [number, number] = [e.created.getTime(), i];
    const prev = latest.get(key(e));
    if (!prev || later(at, prev)) latest.set(key(e), at);
  });
  const out = new Set<string>();
  rows.forEach((e, i) => {
    const unsent = e.status === 'queued' || e.status === 'sending';
    const last = latest.get(key(e));
    if (unsent && e.created && last && later(last, [e.created.getTime(), i])) out.add(e.id);
  });
  return out;
}
