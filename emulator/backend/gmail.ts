/**
 * GmailApp: the owner's mailbox (threads, messages, labels, search), replies and sends, the daily
 * Gmail operations quota, and how Gmail presents a message (raw content, an HTML-only body as text).
 */
import type { MailMessage } from '../gmail';
import type { Backend } from './core';
import { ERR, GasError } from './errors';
import { sendMail } from './mail';
import type { Handlers, SentMail } from './types';
import { DAY } from './units';

export function gmailHandlers(b: Backend): Handlers {
  return {
    'gmail.search': (_ex, query: string, start = 0, max = 500) => {
      if (max > 500) throw new GasError('Argument max cannot exceed 500.');
      return b.mailbox
        .search(String(query), b.now())
        .slice(start, start + max)
        .map((t) => t.id);
    },
    'gmail.getThreadById': (_ex, id: string) => (b.mailbox.threads.some((t) => t.id === id) ? id : null),
    'gmail.getMessageById': (_ex, id: string) => (b.mailbox.messages.some((m) => m.id === id) ? id : null),
    'gmail.thread.messages': (_ex, id: string) => [...b.mailbox.thread(id).messageIds],
    'gmail.thread.subject': (_ex, id: string) =>
      b.mailbox.message(b.mailbox.thread(id).messageIds[0]).subject,
    'gmail.thread.labels': (_ex, id: string) => [...b.mailbox.thread(id).labels],
    'gmail.thread.addLabel': (_ex, id: string, label: string) => {
      if (!b.mailbox.labels.includes(label)) throw new GasError('Invalid argument: label');
      const t = b.mailbox.thread(id);
      if (!t.labels.includes(label)) t.labels.push(label);
      b.scheduleSave();
    },
    'gmail.label.addToThreads': (_ex, label: string, ids: string[]) => {
      if (!b.mailbox.labels.includes(label)) throw new GasError('Invalid argument: label');
      // GmailLabel.addToThreads takes at most 100 threads per call.
      if (ids.length > 100) throw new GasError('Invalid argument: threads');
      for (const id of ids) {
        const t = b.mailbox.thread(id);
        if (!t.labels.includes(label)) t.labels.push(label);
      }
      b.scheduleSave();
    },
    'gmail.getAliases': () => [],
    'gmail.thread.removeLabel': (_ex, id: string, label: string) => {
      const t = b.mailbox.thread(id);
      t.labels = t.labels.filter((l) => l !== label);
      b.scheduleSave();
    },
    'gmail.thread.markRead': (_ex, id: string) => {
      b.mailbox.thread(id).messageIds.forEach((m) => (b.mailbox.message(m).unread = false));
      b.scheduleSave();
    },
    'gmail.thread.moveToArchive': (_ex, id: string) => {
      b.mailbox.thread(id).messageIds.forEach((m) => (b.mailbox.message(m).inInbox = false));
      b.scheduleSave();
    },
    'gmail.thread.reply': (ex, id: string, body: string, options?: Record<string, unknown>) => {
      const ids = b.mailbox.thread(id).messageIds;
      void gmailReply(b, b.mailbox.message(ids[ids.length - 1]), body, options, ex.id);
    },
    'gmail.message.get': (_ex, id: string, field: keyof MailMessage | 'header' | 'raw', header?: string) => {
      const m = b.mailbox.message(id);
      const faults = b.messageFaults.get(id) ?? 0;
      if (faults > 0) {
        b.messageFaults.set(id, faults - 1);
        throw new GasError("We're sorry, a server error occurred. Please wait a bit and try again.");
      }
      if (field === 'header') return b.mailbox.header(m, String(header));
      if (field === 'raw') return rawContent(b, m);
      if (field === 'date') return new Date(m.date);
      if (field === 'htmlBody') return m.htmlBody ?? escapeHtml(m.plainBody).replace(/\n/g, '<br>');
      // An HTML-only message: Gmail gives its text with the tags stripped (quotes lose their '>' marks).
      if (field === 'plainBody' && !m.plainBody && m.htmlBody) return htmlAsGmailText(m.htmlBody);
      if (field === 'replyTo') return m.replyTo ?? '';
      return m[field];
    },
    'gmail.message.markRead': (_ex, id: string) => {
      b.mailbox.message(id).unread = false;
      b.scheduleSave();
    },
    'gmail.message.reply': (ex, id: string, body: string, options?: Record<string, unknown>) =>
      void gmailReply(b, b.mailbox.message(id), body, options, ex.id),
    'gmail.getUserLabelByName': (_ex, name: string) => (b.mailbox.labels.includes(name) ? name : null),
    'gmail.createLabel': (_ex, name: string) => {
      if (!b.mailbox.labels.includes(name)) b.mailbox.labels.push(name);
      b.scheduleSave();
      return name;
    },
    'gmail.sendEmail': (ex, m: Omit<SentMail, 'id' | 'at' | 'via'>) => {
      sendMail(b, { ...m, via: 'GmailApp', execId: ex.id });
      b.mailbox.deliver({
        from: b.opts.owner,
        to: m.to,
        subject: m.subject,
        plainBody: m.body,
        sent: true,
        date: b.now(),
      });
    },
  };
}

/**
 * Gmail read/write operations per day (20,000 on a consumer account). Counted: searches, thread and
 * message fetches, labels, replies; not the getters of a fetched message (they read what was fetched).
 */
export function chargeGmail(b: Backend, method: string): void {
  if (!method.startsWith('gmail.')) return;
  if (method === 'gmail.message.get' && !b.opts.gmailGettersCount) return;
  const now = b.now();
  if (!b.quota.gmailWindowStart || now - b.quota.gmailWindowStart >= DAY)
    b.quota = { ...b.quota, gmailUsed: 0, gmailWindowStart: now };
  if ((b.quota.gmailUsed ?? 0) >= b.opts.gmailOpsPerDay) throw new GasError(ERR.gmailQuota);
  b.quota.gmailUsed = (b.quota.gmailUsed ?? 0) + 1;
}

/**
 * GmailMessage.reply answers that message's sender (its Reply-To when set); GmailThread.reply answers the
 * thread's last message, even when that is the owner's own (then it goes to the owner, as on Gmail).
 * The replyTo option only sets the Reply-To of the answer.
 */
function gmailReply(
  b: Backend,
  target: MailMessage,
  body: string,
  o: Record<string, unknown> = {},
  execId?: string,
) {
  const threadId = target.threadId;
  const to = target.replyTo || target.from;
  const subject = /^re:/i.test(target.subject) ? target.subject : `Re: ${target.subject}`;
  const sent = sendMail(b, {
    via: 'GmailApp',
    execId,
    to,
    subject,
    body,
    htmlBody: o.htmlBody as string | undefined,
    name: o.name as string | undefined,
    replyTo: o.replyTo as string | undefined,
    attachments: o.attachments as SentMail['attachments'],
    threadId,
  });
  b.mailbox.deliver(
    {
      from: `${String(o.name ?? '')} <${b.opts.owner}>`.trim(),
      to,
      subject,
      plainBody: body,
      sent: true,
      date: b.now(),
      // As Gmail's replies do: the answer names the message it answers (unless modelled otherwise).
      headers: b.opts.gmailReplyInReplyTo ? { 'In-Reply-To': b.mailbox.header(target, 'Message-ID') } : {},
    },
    { threadId },
  );
  return sent.id;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** GmailMessage.getRawContent: the headers, then the plain body. */
function rawContent(b: Backend, m: MailMessage): string {
  const first: Array<[string, string]> = [
    ['From', m.from],
    ['To', m.to],
    ['Subject', m.subject],
    ['Date', new Date(m.date).toUTCString()],
  ];
  const rest = b.mailbox.headerList(m);
  // Gmail's stamp, when it is topmost, comes before everything the message arrived with.
  const top = m.gmailAuth && b.opts.gmailAuthResultsAt === 'top' ? rest.splice(0, 1) : [];
  const lines = [...top, ...first, ...rest].map(([k, x]) => `${k}: ${x}`);
  return `${lines.join('\r\n')}\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${m.plainBody}`;
}

/** What Gmail's getPlainBody gives for a message with only an HTML part: the text, tags dropped. */
function htmlAsGmailText(html: string): string {
  return html
    .replace(/<(style|script|head)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|blockquote|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
