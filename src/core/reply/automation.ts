/**
 * Mail that is not a guest's own reply: auto-replies, bounces, read receipts, mailing lists, no-reply
 * senders and the script's own mail. Pure.
 */
import { mailboxKey } from '../email';
import { oneLine } from '../text';
import { decodeEncodedWords } from './mime-words';
import { parseMailbox } from './sender';
import { InboundMessage } from './types';

/** Whether a From header is one of our own addresses (the script's answers sit in the same threads). */
export function fromOwnAddress(from: string, ownAddresses: string[]): boolean {
  const f = parseMailbox(from);
  if (!f) return false;
  const key = mailboxKey(f.email);
  return ownAddresses.some((own) => own && mailboxKey(own) === key);
}

const BOUNCE_SENDER = /^(mailer[-_.]?daemon|post[-_.]?master)([-_.].*)?$/;
/** Mailing-list software and its robots (Mailman, Sympa, LISTSERV, Majordomo): never a guest. */
const LIST_ROBOT =
  /^(owner-.+|.+-(owner|request|bounces)|listserv|majordomo|sympa|mailman|listmaster|ecartis|lyris)$/;
/** Challenge-response filters (Boxbe, SpamArrest…) asking the sender to prove they are a person. */
const CHALLENGE_SUBJECT =
  /^((please )?(confirm|verify)\b.{0,40}\b(e-?mail|message|sender|address)|.{0,40}\brequires? (your )?(confirmation|verification)\b|sender verification\b|authori[sz]ation required\b)/i;
const NO_REPLY_SENDER = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?)([-_].*)?$/;

/** Subjects of auto-replies and delivery reports, by their start (after whitespace). */
const AUTOMATED_SUBJECTS: ReadonlyArray<[RegExp, string]> = [
  [/^automatic reply\s*:/i, 'auto-reply'],
  [/^auto\s*:/i, 'auto-reply'],
  [/^auto[- ]?(reply|response)\b/i, 'auto-reply'],
  [/^out of (the )?office\b/i, 'auto-reply'],
  [/^undeliverable\s*:/i, 'bounce'],
  [/^undelivered mail\b/i, 'bounce'],
  [/^delivery status notification\b/i, 'bounce'],
  [/^mail delivery fail/i, 'bounce'],
  [/^delivery failure\b/i, 'bounce'],
  [/^returned mail\s*:/i, 'bounce'],
  [/^failure notice\b/i, 'bounce'],
];

function header(msg: InboundMessage, name: string): string | undefined {
  const v = msg.headers?.[name];
  return v === undefined || v === null ? undefined : String(v).trim();
}

const short = (s: string) => {
  const t = oneLine(s);
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
};

/**
 * Why this message is not a guest's own reply (auto-reply, bounce, mailing list, no-reply sender, our own
 * mail), or null. X-Auto-Response-Suppress is not a sign: Outlook sets it on ordinary mail.
 */
export function isAutomated(msg: InboundMessage, ownAddresses: string[]): string | null {
  if (header(msg, 'x-rsvp-auto') === '1') return 'own mail (X-RSVP-Auto)';

  const from = parseMailbox(msg.from);
  if (from && fromOwnAddress(msg.from, ownAddresses)) return `own mail (${from.email})`;

  const contentType = header(msg, 'content-type') ?? '';
  if (/^multipart\/report\b/i.test(contentType)) {
    if (/report-type\s*=\s*"?disposition-notification/i.test(contentType))
      return 'read receipt (multipart/report)';
    if (/report-type\s*=\s*"?feedback-report/i.test(contentType))
      return 'spam complaint (feedback report, ARF)';
    return 'bounce (multipart/report)';
  }
  if (header(msg, 'return-path') === '<>') return 'bounce (empty Return-Path)';
  const local = from ? from.email.slice(0, from.email.lastIndexOf('@')) : '';
  if (BOUNCE_SENDER.test(local)) return `bounce (from ${from?.email})`;
  if (LIST_ROBOT.test(local.toLowerCase())) return `mailing list robot (${from?.email})`;

  const autoSubmitted = header(msg, 'auto-submitted');
  if (autoSubmitted !== undefined && !/^no\b/i.test(autoSubmitted)) {
    return `auto-reply (Auto-Submitted: ${short(autoSubmitted)})`;
  }
  if (header(msg, 'x-autoreply') !== undefined) return 'auto-reply (X-Autoreply)';
  if (header(msg, 'x-autorespond') !== undefined) return 'auto-reply (X-Autorespond)';

  const precedence = (header(msg, 'precedence') ?? '').toLowerCase();
  const prec = /^(bulk|junk|list|auto_reply)\b/.exec(precedence);
  if (prec) {
    const kind = prec[1] === 'list' ? 'mailing list' : prec[1] === 'auto_reply' ? 'auto-reply' : 'bulk mail';
    return `${kind} (Precedence: ${prec[1]})`;
  }
  if (header(msg, 'list-id') !== undefined) return 'mailing list (List-Id)';
  if (header(msg, 'list-unsubscribe') !== undefined) return 'mailing list (List-Unsubscribe)';

  if (NO_REPLY_SENDER.test(local.split('+')[0])) return `no-reply sender (${from?.email})`;

  const subject = oneLine(decodeEncodedWords(String(msg.subject ?? '')));
  for (const [re, kind] of AUTOMATED_SUBJECTS) {
    if (re.test(subject)) return `${kind} (subject "${short(subject)}")`;
  }
  // Subject after any "Re:"/"Fwd:": a filter's challenge often answers the subject we sent.
  const bare = subject.replace(/^((re|fwd?|aw|sv|vs)\s*:\s*)+/i, '');
  if (CHALLENGE_SUBJECT.test(bare)) return `challenge-response filter (subject "${short(subject)}")`;
  return null;
}
