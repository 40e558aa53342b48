/** MailApp, and the arguments it shares with GmailApp's sendEmail and reply. */
import { ServiceEnv, strict } from './env';

/** A Blob as it travels to the backend (see utilities.ts). */
interface Attachment {
  toWire(): { name: string; contentType: string; data: string };
}

export type MailOpts = {
  htmlBody?: string;
  name?: string;
  replyTo?: string;
  cc?: string;
  bcc?: string;
  attachments?: Attachment[];
  inlineImages?: Record<string, Attachment>;
  noReply?: boolean;
};

const wireImages = (o?: Record<string, Attachment>) =>
  o ? Object.fromEntries(Object.entries(o).map(([k, b]) => [k, b.toWire()])) : undefined;

/** sendEmail(recipient, subject, body, options) or sendEmail(message): one message for the backend. */
export const mailArgs = (a: unknown, subject?: string, body?: string, options?: MailOpts) => {
  const m =
    typeof a === 'object' && a !== null
      ? (a as MailOpts & { to: string; subject: string; body?: string })
      : { ...(options ?? {}), to: String(a), subject: String(subject ?? ''), body: String(body ?? '') };
  return {
    to: m.to,
    subject: m.subject,
    body: m.body ?? '',
    htmlBody: m.htmlBody,
    name: m.name,
    replyTo: m.replyTo,
    cc: m.cc,
    bcc: m.bcc,
    attachments: (m.attachments ?? []).map((b) => b.toWire()),
    inlineImages: wireImages(m.inlineImages),
  };
};

/** A reply's options, attachments made wire-ready. */
export const mailOpts = (o?: MailOpts) =>
  o
    ? {
        ...o,
        attachments: (o.attachments ?? []).map((b) => b.toWire()),
        inlineImages: wireImages(o.inlineImages),
      }
    : {};

export function mailApp(env: ServiceEnv) {
  const { rpc } = env;
  return strict('MailApp', {
    sendEmail: (a: unknown, s?: string, b?: string, o?: MailOpts) =>
      void rpc('mail.send', mailArgs(a, s, b, o)),
    getRemainingDailyQuota: () => rpc('mail.quota'),
  });
}
