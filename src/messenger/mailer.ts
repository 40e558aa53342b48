/**
 * Sending Outbox entries: each email rendered from its guest's row as it is now, sent as a reply in
 * the guest's thread when it answers one, and the outcome of each reported for its row. Past the
 * daily quota or the time given, the rest stay queued for the drain.
 */
import { Workbook } from '../sheets/workbook';
import { passLink } from '../sheets/door-keys';
import { passGifBase64 } from '../core/pass';
import { calendarSequence } from '../sheets/calendar-sequence';
import { normalizeEmail } from '../core/email';
import { Guest, blankGuest } from '../core/model';
import {
  BY_MAIL,
  MAX_TRIES,
  OutboxEntry,
  stillTrue,
  tooLate,
  SendResult,
  holdReason,
  isQuotaError,
} from '../core/outbox';
import { EventSettings } from '../core/settings';
import { oneLine } from '../core/text';
import { ownerAddress, replyAddress } from './reply-address';
import { goingOutMarks, markGoingOut, needsMark, unmarkGoingOut } from '../sheets/going-out';
import { render } from './templates';

/**
 * Send entries now. The guest's current row decides the content (position may have moved), and an
 * email whose premise no longer holds (a confirmation for someone who has since cancelled) is skipped.
 */
/** The Pass versions of the guests this batch sends a pass to (one read for many, a row for a few). */
function passVersionsOf(entries: readonly OutboxEntry[], byToken: Map<string, Guest>): Map<string, string> {
  const guests = entries
    .filter((e) => e.kind === 'confirmed' || e.kind === 'reminder')
    .map((e) => byToken.get(e.token))
    .filter((g): g is Guest => !!g && g.row > 0);
  try {
    return Workbook.openLazily()?.guests.passVersions(guests) ?? new Map();
  } catch {
    return new Map();
  }
}

/** Whether the form asks the host's questions (read once per batch, and only for an email that says so). */
function hostAsksQuestions(): boolean {
  try {
    return (Workbook.open()?.questions()?.read().questions.length ?? 0) > 0;
  } catch {
    return false;
  }
}

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
  const sequence = calendarSequence();
  let quotaOut = false;
  const marked = entries.some((e) => needsMark(e.kind)) ? goingOutMarks() : new Set<string>();
  let asks: boolean | null = null;
  const asksQuestions = () => (asks ??= hostAsksQuestions());
  let versions: Map<string, string> | null = null;
  const passFor = (g: Guest): string | null => {
    if (g.status !== 'confirmed' || !g.token) return null;
    versions ??= passVersionsOf(entries, guestsByToken);
    return passLink(g, versions.get(g.token) ?? '');
  };
  for (const e of entries) {
    if (marked.has(e.id)) {
      results.push({
        id: e.id,
        status: 'skipped',
        tries: e.tries + 1,
        error: 'may have gone out before its sender stopped: not sent twice',
        sentAt: '',
      });
      continue;
    }
    // An answer to someone on no row (a "yes" after registration closed) is addressed from its entry.
    const g =
      e.kind === 'closed' && !e.token
        ? entryGuest(e)
        : (guestsByToken.get(e.token) ?? (e.kind === 'closed' ? entryGuest(e) : undefined));
    const tries = e.tries + 1;
    // A reminder that could not go before the start (quota, quiet hours) has nothing left to remind of.
    const late = tooLate(e.kind, settings.startsAt, Date.now());
    if (!g || !stillTrue(e.kind, g.status, e.about) || late) {
      results.push({
        id: e.id,
        status: 'skipped',
        tries,
        error: late ? 'the event has started' : g ? `guest is now ${g.status}` : 'guest not found',
        sentAt: '',
      });
      continue;
    }
    // Checked at the moment of sending: an email planned at 20:59 does not go out at 21:00.
    const held = holdReason(e, Date.now(), settings.quietHours);
    if (held) {
      results.push({ id: e.id, status: 'queued', tries: e.tries, error: held, sentAt: '' });
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
    // Every link is built from the form's public /exec link: until it is known, an email that carries
    // links waits (nothing goes out with a /dev link, or with its buttons missing).
    if (!url && needsLink(e.kind)) {
      results.push({ id: e.id, status: 'queued', tries: e.tries, error: WAITING_FOR_LINK, sentAt: '' });
      continue;
    }
    if (quotaOut || Date.now() > until) {
      const why = quotaOut ? 'daily email quota used up' : 'out of time: the next run sends it';
      results.push({ id: e.id, status: 'queued', tries: e.tries, error: why, sentAt: '' });
      continue;
    }
    try {
      const mail = render(e.kind, g, settings, url, Utilities.formatDate, {
        calendarUid: e.kind === 'confirmed' || e.kind === 'reminder' ? calendarUid(g.token) : undefined,
        calendarSequence: sequence,
        now: new Date(),
        asksQuestions: e.kind === 'confirmed' && g.source !== 'form' ? asksQuestions() : false,
        passLink: e.kind === 'confirmed' || e.kind === 'reminder' ? passFor(g) : null,
        about: e.about,
        eventFull:
          e.kind === 'cancelled' || e.kind === 'expired' || e.kind === 'invited' || e.kind === 'left'
            ? eventFull()
            : false,
      });
      const options = mailOptions(settings, mail);
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
      if (needsMark(e.kind)) markGoingOut(e.id);
      if (original) original.reply(mail.body, options);
      else MailApp.sendEmail({ to: address.email, subject: mail.subject, body: mail.body, ...options });
      results.push({ id: e.id, status: 'sent', tries, error: '', sentAt: new Date() });
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      // Refused, so not sent: it may go again (its mark would make the next sender skip it).
      if (needsMark(e.kind)) unmarkGoingOut(e.id);
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

/** Why an email waits for the form's link (the Outbox's Error column and the dashboard say it). */
export const WAITING_FOR_LINK =
  "waiting for the form's link: open the form once, or set its /exec link on the dashboard";

/** The answers that carry no link: everything else has buttons built from the form's link. */
const needsLink = (kind: OutboxEntry['kind']) => kind !== 'closed' && kind !== 'waitlist-closed';

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

/** The guest an entry names, for an email that needs no row. */
const entryGuest = (e: OutboxEntry): Guest => ({ ...blankGuest(e.to), name: e.name, token: e.token });

/**
 * "Send me a test sign-up": the confirmation a guest would get, rendered as for a guest and sent to
 * the host alone, marked as a test. No row, no Outbox, no Log: nothing is counted. Its links carry a
 * token no row has, so they open "not found" rather than act on anyone.
 */
export function sendTestConfirmation(settings: EventSettings, url: string): string {
  const to = ownerAddress();
  if (!to) return 'No email address for you is known, so no test was sent.';
  const guest = {
    email: to,
    name: settings.hostName || 'Test guest',
    token: `test-${Utilities.getUuid()}`,
    position: null,
    status: 'confirmed',
    offerExpires: null,
    party: 1,
  };
  const mail = render('confirmed', guest, settings, url, Utilities.formatDate, {
    calendarUid: calendarUid(guest.token),
    calendarSequence: calendarSequence(),
    now: new Date(),
  });
  const note = 'This is a test: what a guest gets when they sign up. You were not added to the list.';
  MailApp.sendEmail({
    to,
    subject: `[Test] ${mail.subject}`.slice(0, 250),
    body: `${note}\n\n${mail.body}`,
    ...mailOptions(settings, mail),
    htmlBody: `<p><em>${note}</em></p>${mail.htmlBody}`,
  });
  return `Sent a test of the confirmation email to ${to}. You were not added to the guest list.`;
}

/**
 * What every email carries besides its text: the HTML, the sender name, Reply-To, the calendar file,
 * and a confirmed guest's pass: its QR code drawn here (no outside service sees the link), inline
 * (cid:pass) and attached, since some mail apps show only attachments.
 */
function mailOptions(
  settings: EventSettings,
  mail: { htmlBody: string; ics?: string | null; pass?: string },
) {
  const pass = mail.pass
    ? Utilities.newBlob(Utilities.base64Decode(passGifBase64(mail.pass)), 'image/gif', 'pass.gif')
    : null;
  const attachments = [
    ...(mail.ics ? [Utilities.newBlob(mail.ics, 'text/calendar', 'invite.ics')] : []),
    ...(pass ? [pass] : []),
  ];
  return {
    htmlBody: mail.htmlBody,
    // Settings cells are typed by the host: still one line each before they become headers.
    name: oneLine(settings.hostName || settings.eventName).slice(0, 60),
    replyTo: replyAddress(settings) || undefined,
    attachments: attachments.length ? attachments : undefined,
    ...(pass ? { inlineImages: { pass } } : {}),
  };
}
