/**
 * MailApp, and the sending that GmailApp shares with it: header and size checks, and the daily
 * recipient quota both count against. Every email sent is a SentMail in `backend.mail`.
 */
import type { Backend } from './core';
import { ERR, GasError } from './errors';
import type { Handlers, SentMail } from './types';
import { DAY, bytes } from './units';

/** An email's body (plain or HTML), about 200 KB. */
const MAX_BODY = 200 * 1024;

export function mailHandlers(b: Backend): Handlers {
  return {
    'mail.send': (ex, m: Omit<SentMail, 'id' | 'at' | 'via'>) =>
      void sendMail(b, { ...m, via: 'MailApp', execId: ex.id }),
    'mail.quota': () => mailRemaining(b),
  };
}

export function mailRemaining(b: Backend): number {
  const now = b.now();
  if (b.quota.mailWindowStart && now - b.quota.mailWindowStart >= DAY) {
    b.quota = { ...b.quota, mailUsed: 0, mailWindowStart: 0 };
  }
  return Math.max(0, b.opts.mailQuotaPerDay - b.quota.mailUsed);
}

function chargeMail(b: Backend, recipients: number): void {
  if (mailRemaining(b) < recipients) throw new GasError(ERR.mailQuota);
  if (!b.quota.mailWindowStart) b.quota.mailWindowStart = b.now();
  b.quota.mailUsed += recipients;
}

export function sendMail(b: Backend, m: Omit<SentMail, 'id' | 'at'>): SentMail {
  for (const [k, v] of Object.entries({
    to: m.to,
    subject: m.subject,
    name: m.name,
    replyTo: m.replyTo,
    cc: m.cc,
  })) {
    // Stricter than Google on purpose: header injection must be visible in tests.
    if (typeof v === 'string' && /[\r\n]/.test(v)) throw new GasError(`Invalid argument: ${k}`);
  }
  if (!m.to && !m.cc && !m.bcc) throw new GasError('Failed to send email: no recipient');
  if (m.subject.length > 250) throw new GasError('Invalid argument: subject');
  const recipients = [m.to, m.cc, m.bcc]
    .filter(Boolean)
    .join(',')
    .split(',')
    .filter((s) => s.trim()).length;
  // Each address in a comma list is a recipient, counted against the day's quota one by one.
  if (recipients > 50) throw new GasError('Limit Exceeded: Email Recipients Per Message.');
  if (bytes(m.body ?? '') > MAX_BODY || bytes(m.htmlBody ?? '') > MAX_BODY)
    throw new GasError('Limit Exceeded: Email Body Size.');
  chargeMail(b, recipients);
  const sent: SentMail = { id: `mail-${b.mail.length + 1}`, at: b.now(), ...m };
  b.mail.push(sent);
  b.scheduleSave();
  return sent;
}
