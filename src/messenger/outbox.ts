/**
 * The Outbox sheet: every email the system owes someone. A row is written inside the keeper's
 * transaction (so a crash after the lock cannot lose the email), sent right after the lock by the
 * execution that created it, and otherwise by the drain trigger, on later days if the quota is out.
 */
import { normalizeEmail } from '../core/email';
import { Guest } from '../core/model';
import { EventSettings } from '../core/settings';
import { cellText, oneLine } from '../core/text';
import { Write, planAppend } from '../sheets/append';
import { rowToGuest } from '../sheets/guests';
import { OUTBOX_COL } from '../sheets/layout';
import { ownerAddress, replyAddress } from './reply-address';
import { EmailKind, STILL_TRUE, render, subjectFor } from './templates';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

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
}

/** A 'sending' row older than this belongs to an execution that died: the drain takes it over. */
export const ORPHAN_MS = 10 * 60e3;
/** Failures other than the quota before a row is given up (and shown as failed to the host). */
export const MAX_TRIES = 5;
/** Apps Script's daily-quota errors ("Service invoked too many times for one day: email."…). */
export const isQuotaError = (e: unknown): boolean =>
  /too many times for one day|quota/i.test(String((e as Error)?.message ?? e));

/** Marks an answer to a message that goes as a plain email (its Reply-To points elsewhere). */
export const BY_MAIL = 'mail:';

/** The message an Outbox row answers, however it is sent ('' if none). */
export const answeredMessage = (inReplyTo: string) =>
  inReplyTo.startsWith(BY_MAIL) ? inReplyTo.slice(BY_MAIL.length) : inReplyTo;

export interface OutboxIntent {
  kind: EmailKind;
  guest: Guest;
  inReplyTo?: string;
}

export function newEntries(
  intents: OutboxIntent[],
  settings: EventSettings,
  status: OutboxStatus,
): OutboxEntry[] {
  return intents.map(({ kind, guest, inReplyTo }) => ({
    id: Utilities.getUuid(),
    to: guest.email,
    name: guest.name,
    kind,
    token: guest.token,
    subject: subjectFor(kind, settings, guest.position),
    status,
    tries: 0,
    inReplyTo: inReplyTo ?? '',
  }));
}

export function planEntries(sheet: Sheet, entries: OutboxEntry[], now: Date): Write {
  return planAppend(
    sheet,
    entries.map((e) => [
      cellText(e.id),
      now,
      cellText(e.to),
      cellText(e.name),
      e.kind,
      cellText(e.subject),
      e.status,
      e.tries,
      '',
      '',
      cellText(e.token),
      cellText(e.inReplyTo),
    ]),
  );
}

export interface SendResult {
  id: string;
  status: OutboxStatus;
  tries: number;
  error: string;
  sentAt: Date | '';
}

/**
 * Send entries now. The guest's current row decides the content (position may have moved), and an
 * email whose premise no longer holds (a confirmation for someone who has since cancelled) is skipped.
 */
export function sendEntries(
  entries: OutboxEntry[],
  guestsByToken: Map<string, Guest>,
  settings: EventSettings,
  url: string | null,
  /** Past this time the rest stay queued (an execution has 6 minutes). */
  until = Infinity,
  /** The drain: a 'sending' row is one whose sender died, maybe after sending it. */
  takingOver = false,
  /** Whether no seat is left now (asked only when an email's wording depends on it). */
  eventFull: () => boolean = () => false,
): SendResult[] {
  const results: SendResult[] = [];
  let quotaOut = false;
  for (const e of entries) {
    const g = guestsByToken.get(e.token);
    const tries = e.tries + 1;
    if (!g || !STILL_TRUE[e.kind]?.includes(g.status)) {
      results.push({
        id: e.id,
        status: 'skipped',
        tries,
        error: g ? `guest is now ${g.status}` : 'guest not found',
        sentAt: '',
      });
      continue;
    }
    // The row's address as it is now (the host may have typed it): one plain address or nothing is sent.
    const address = normalizeEmail(g.email);
    if (!address.ok) {
      results.push({
        id: e.id,
        status: 'failed',
        tries,
        error: `not sent: "${oneLine(g.email).slice(0, 100)}" is not one plain email address (${address.message}) Fix the Email cell in Guests.`,
        sentAt: '',
      });
      continue;
    }
    if (quotaOut || Date.now() > until) {
      const why = quotaOut ? 'daily email quota used up' : 'out of time: the next run sends it';
      results.push({ id: e.id, status: 'queued', tries: e.tries, error: why, sentAt: '' });
      continue;
    }
    try {
      const mail = render(e.kind, g, settings, url, Utilities.formatDate, {
        calendarUid: e.kind === 'confirmed' ? calendarUid(g.token) : undefined,
        eventFull: e.kind === 'cancelled' || e.kind === 'expired' ? eventFull() : false,
      });
      const options = {
        htmlBody: mail.htmlBody,
        // Settings cells are typed by the host: still one line each before they become headers.
        name: oneLine(settings.hostName || settings.eventName).slice(0, 60),
        replyTo: replyAddress(settings) || undefined,
        attachments: mail.ics ? [Utilities.newBlob(mail.ics, 'text/calendar', 'invite.ics')] : undefined,
      };
      // An answer to a guest's reply goes back in their thread, to that message's sender (a thread's
      // reply() answers the thread's last message, which may be our own); if it is gone, a plain email.
      const inThread = e.inReplyTo && !e.inReplyTo.startsWith(BY_MAIL);
      const original = inThread ? GmailApp.getMessageById(e.inReplyTo) : null;
      // The thread itself records whether a dead sender's answer went out: don't send it twice.
      if (original && takingOver && e.status === 'sending' && answeredInThread(original)) {
        results.push({
          id: e.id,
          status: 'sent',
          tries,
          error: 'found in the thread: sent before its sender stopped',
          sentAt: '',
        });
        continue;
      }
      if (original) original.reply(mail.body, options);
      else MailApp.sendEmail({ to: address.email, subject: mail.subject, body: mail.body, ...options });
      results.push({ id: e.id, status: 'sent', tries, error: '', sentAt: new Date() });
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      if (isQuotaError(message)) {
        quotaOut = true;
        results.push({
          id: e.id,
          status: 'queued',
          tries: e.tries,
          error: 'daily email quota used up',
          sentAt: '',
        });
      } else {
        results.push({
          id: e.id,
          status: tries >= MAX_TRIES ? 'failed' : 'queued',
          tries,
          error: message,
          sentAt: '',
        });
      }
    }
  }
  return results;
}

/**
 * A calendar event's UID for a guest: derived from their token (so every update of their event has the
 * same UID and calendars update it in place) but one-way, so the UID never gives the token away.
 */
export function calendarUid(token: string): string {
  const digest = Utilities.computeDigest(
    Utilities.DigestAlgorithm.SHA_256,
    `sheet-rsvp calendar uid\n${token}`,
  );
  const hex = digest
    .slice(0, 16)
    .map((b) => (b & 255).toString(16).padStart(2, '0'))
    .join('');
  return `${hex}@sheet-rsvp`;
}

/** Whether the thread holds our reply to this message (Gmail sets In-Reply-To to its Message-ID). */
function answeredInThread(m: GoogleAppsScript.Gmail.GmailMessage): boolean {
  const id = m.getHeader('Message-ID');
  if (!id) return false;
  const owner = ownerAddress();
  return m
    .getThread()
    .getMessages()
    .some(
      (x) => x.getHeader('In-Reply-To').includes(id) && (!owner || x.getFrom().toLowerCase().includes(owner)),
    );
}

/** Record results, finding each row by id (the host may have sorted the Outbox meanwhile). */
export function recordResults(sheet: Sheet, results: SendResult[]): void {
  if (!results.length) return;
  const ids = sheet.getRange(1, OUTBOX_COL.Id + 1, Math.max(1, sheet.getLastRow()), 1).getValues();
  const rowOf = new Map<string, number>();
  ids.forEach((r, i) => rowOf.set(String(r[0]), i + 1));
  const first = OUTBOX_COL.Status + 1;
  const located = results.map((r) => ({ r, row: rowOf.get(r.id) })).filter((x) => x.row !== undefined);
  if (!located.length) return;
  const rows = located.map((x) => x.row as number);
  const lo = Math.min(...rows);
  const hi = Math.max(...rows);
  if (hi - lo + 1 === located.length) {
    // Contiguous (the usual case: one sign-up, or a batch appended together): one write.
    const block = located
      .sort((a, b) => (a.row as number) - (b.row as number))
      .map(({ r }) => [r.status, r.tries, r.sentAt, r.error]);
    sheet.getRange(lo, first, block.length, 4).setValues(block);
  } else {
    for (const { r, row } of located)
      sheet.getRange(row as number, first, 1, 4).setValues([[r.status, r.tries, r.sentAt, r.error]]);
  }
}

export function rowToEntry(r: unknown[]): OutboxEntry & { created: Date | null } {
  const s = (i: number) => String(r[i] ?? '');
  const created = r[OUTBOX_COL.Created];
  return {
    id: s(OUTBOX_COL.Id),
    created: Object.prototype.toString.call(created) === '[object Date]' ? (created as Date) : null,
    to: s(OUTBOX_COL.To),
    name: s(OUTBOX_COL.Name),
    kind: s(OUTBOX_COL.Kind) as EmailKind,
    token: s(OUTBOX_COL.Token),
    subject: s(OUTBOX_COL.Subject),
    status: s(OUTBOX_COL.Status) as OutboxStatus,
    tries: Number(r[OUTBOX_COL.Tries]) || 0,
    inReplyTo: s(OUTBOX_COL['In reply to']),
  };
}

/** Rows the drain should take: queued ones, and 'sending' ones orphaned by a dead execution. */
export function dueEntries(values: unknown[][], now: number): OutboxEntry[] {
  return values
    .slice(1)
    .map(rowToEntry)
    .filter(
      (e) =>
        e.id &&
        (e.status === 'queued' ||
          (e.status === 'sending' && (!e.created || now - e.created.getTime() > ORPHAN_MS))),
    );
}

/** Due rows a later row replaces (see supersededIds), recorded as skipped instead of sent. */
export function replacedResults(values: unknown[][], due: OutboxEntry[]): SendResult[] {
  const replaced = supersededIds(values.slice(1).map(rowToEntry));
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
export function supersededIds(rows: Array<OutboxEntry & { created: Date | null }>): Set<string> {
  const key = (e: OutboxEntry) => `${e.token}\n${e.kind}\n${answeredMessage(e.inReplyTo)}`;
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

export function guestsByToken(guestValues: unknown[][]): Map<string, Guest> {
  const map = new Map<string, Guest>();
  guestValues.slice(1).forEach((r, i) => {
    const g = rowToGuest(r, i + 2);
    if (g.token) map.set(g.token, g);
  });
  return map;
}
