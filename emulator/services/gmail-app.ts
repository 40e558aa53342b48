/** GmailApp: threads, messages and labels of the owner's mailbox, by id; search, reply, send. */
import { ServiceEnv, realmArray, strict } from './env';
import { MailOpts, mailArgs, mailOpts } from './mail-app';

export function gmailApp(env: ServiceEnv) {
  const { rpc } = env;
  const gmailMessage = (id: string) =>
    strict('GmailMessage', {
      getId: () => id,
      getThread: () => gmailThread(rpc('gmail.message.get', id, 'threadId') as string),
      getFrom: () => rpc('gmail.message.get', id, 'from'),
      getTo: () => rpc('gmail.message.get', id, 'to'),
      getCc: () => rpc('gmail.message.get', id, 'cc') ?? '',
      getReplyTo: () => rpc('gmail.message.get', id, 'replyTo'),
      getSubject: () => rpc('gmail.message.get', id, 'subject'),
      getDate: () => rpc('gmail.message.get', id, 'date'),
      getPlainBody: () => rpc('gmail.message.get', id, 'plainBody'),
      getBody: () => rpc('gmail.message.get', id, 'htmlBody'),
      getHeader: (n: string) => rpc('gmail.message.get', id, 'header', n),
      getRawContent: () => rpc('gmail.message.get', id, 'raw'),
      isUnread: () => rpc('gmail.message.get', id, 'unread'),
      isInInbox: () => rpc('gmail.message.get', id, 'inInbox'),
      markRead: () => void rpc('gmail.message.markRead', id),
      reply: (body: string, o?: MailOpts) => void rpc('gmail.message.reply', id, body, mailOpts(o)),
    });
  const label = (name: string) =>
    strict('GmailLabel', {
      getName: () => name,
      addToThread: (t: { getId(): string }) => void rpc('gmail.thread.addLabel', t.getId(), name),
      removeFromThread: (t: { getId(): string }) => void rpc('gmail.thread.removeLabel', t.getId(), name),
      addToThreads: (ts: Array<{ getId(): string }>) =>
        void rpc(
          'gmail.label.addToThreads',
          name,
          ts.map((t) => t.getId()),
        ),
    });
  const gmailThread = (id: string): Record<string, unknown> => {
    const t = {
      getId: () => id,
      getFirstMessageSubject: () => rpc('gmail.thread.subject', id),
      getMessages: () => realmArray(env, (rpc('gmail.thread.messages', id) as string[]).map(gmailMessage)),
      getMessageCount: () => (rpc('gmail.thread.messages', id) as string[]).length,
      getLabels: () => realmArray(env, (rpc('gmail.thread.labels', id) as string[]).map(label)),
      addLabel: (l: { getName(): string }) => (rpc('gmail.thread.addLabel', id, l.getName()), t),
      removeLabel: (l: { getName(): string }) => (rpc('gmail.thread.removeLabel', id, l.getName()), t),
      markRead: () => (rpc('gmail.thread.markRead', id), t),
      moveToArchive: () => (rpc('gmail.thread.moveToArchive', id), t),
      reply: (body: string, o?: MailOpts) => (rpc('gmail.thread.reply', id, body, mailOpts(o)), t),
    };
    return strict('GmailThread', t);
  };
  return strict('GmailApp', {
    search: (q: string, start?: number, max?: number) =>
      realmArray(env, (rpc('gmail.search', q, start ?? 0, max ?? 500) as string[]).map(gmailThread)),
    getThreadById: (id: string) => (rpc('gmail.getThreadById', id) ? gmailThread(id) : null),
    getMessageById: (id: string) => (rpc('gmail.getMessageById', id) ? gmailMessage(id) : null),
    getAliases: () => realmArray(env, rpc('gmail.getAliases') as string[]),
    getUserLabelByName: (n: string) => (rpc('gmail.getUserLabelByName', n) ? label(n) : null),
    createLabel: (n: string) => label(rpc('gmail.createLabel', n) as string),
    sendEmail: (a: unknown, s?: string, b?: string, o?: MailOpts) =>
      void rpc('gmail.sendEmail', mailArgs(a, s, b, o)),
  });
}
