/** The Gmail side of the emulator: one mailbox with threads, messages, labels and a search subset. */

export interface MailMessage {
  id: string;
  threadId: string;
  from: string;
  to: string;
  cc?: string;
  replyTo?: string;
  subject: string;
  date: number;
  plainBody: string;
  htmlBody?: string;
  /**
   * Raw header lines, e.g. { 'Auto-Submitted': 'auto-replied' }; names matched case-insensitively. A list is
   * a header that occurs more than once, topmost (added last, e.g. by Gmail itself) first.
   */
  headers: Record<string, string | string[]>;
  unread: boolean;
  inInbox: boolean;
  /** True for mail the mailbox owner sent (replies and GmailApp.sendEmail). */
  sent: boolean;
  /**
   * The Authentication-Results Gmail itself stamped on receipt (inbound mail), kept apart from the
   * headers the message arrived with so the backend can place it as Gmail does (gmailAuthResultsAt).
   */
  gmailAuth?: string;
}

export interface MailThread {
  id: string;
  messageIds: string[];
  labels: string[];
}

export interface MailboxJSON {
  owner: string;
  seq: number;
  threads: MailThread[];
  messages: MailMessage[];
  labels: string[];
}

/** How the Gmail side reads what is not pinned down (BackendOptions: gmailAfterEpoch, gmailAuthResultsAt). */
export interface GmailModel {
  afterEpoch: 'seconds' | 'ignored' | 'nothing';
  authResultsAt: 'top' | 'bottom';
}

export class Mailbox {
  owner: string;
  model: GmailModel = { afterEpoch: 'seconds', authResultsAt: 'top' };
  threads: MailThread[] = [];
  messages: MailMessage[] = [];
  labels: string[] = [];
  private seq = 0;

  constructor(owner: string) {
    this.owner = owner;
  }

  private nextId(): string {
    this.seq += 1;
    return (0x18c0000000 + this.seq).toString(16);
  }

  message(id: string): MailMessage {
    const m = this.messages.find((x) => x.id === id);
    if (!m) throw new Error(`Invalid argument: id`);
    return m;
  }

  thread(id: string): MailThread {
    const t = this.threads.find((x) => x.id === id);
    if (!t) throw new Error(`Invalid argument: id`);
    return t;
  }

  /** Deliver a message; it joins `threadId`, or the thread of `inReplyTo`, or a new thread. */
  deliver(
    input: Partial<MailMessage> & { from: string; subject: string; plainBody: string },
    opts: { threadId?: string; inReplyTo?: string } = {},
  ): MailMessage {
    const id = this.nextId();
    let thread: MailThread | undefined;
    if (opts.threadId) thread = this.threads.find((t) => t.id === opts.threadId);
    if (!thread && opts.inReplyTo) {
      const parent = this.messages.find(
        (m) => m.id === opts.inReplyTo || m.headers['Message-ID'] === opts.inReplyTo,
      );
      if (parent) thread = this.thread(parent.threadId);
    }
    if (!thread) {
      thread = { id, messageIds: [], labels: [] };
      this.threads.push(thread);
    }
    // Every message has a Message-ID (unless the caller gives its own), whatever other headers it has.
    const msg: MailMessage = {
      ...input,
      id,
      threadId: thread.id,
      to: input.to ?? this.owner,
      date: input.date ?? Date.now(),
      headers: { 'Message-ID': `<${id}@mail.emulator>`, ...(input.headers ?? {}) },
      unread: input.unread ?? !input.sent,
      inInbox: input.inInbox ?? !input.sent,
      sent: input.sent ?? false,
    } as MailMessage;
    this.messages.push(msg);
    thread.messageIds.push(id);
    return msg;
  }

  /**
   * The headers as Gmail presents them, topmost first (every value of a repeated header). Gmail's
   * own stamp is added on receipt: above everything the message arrived with (default), or, modelled,
   * below it all.
   */
  headerList(m: MailMessage): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [k, v] of Object.entries(m.headers))
      (Array.isArray(v) ? v : [v]).forEach((x) => out.push([k, x]));
    if (!m.gmailAuth) return out;
    const stamp: [string, string] = ['Authentication-Results', m.gmailAuth];
    return this.model.authResultsAt === 'top' ? [stamp, ...out] : [...out, stamp];
  }

  /** getHeader: the topmost value of a header ('' when absent). */
  header(m: MailMessage, name: string): string {
    const hit = this.headerList(m).find(([k]) => k.toLowerCase() === name.toLowerCase());
    return hit ? hit[1] : '';
  }

  /**
   * The subset of Gmail's search syntax the product uses. As on Gmail, a thread is found when one of its
   * messages matches every message term (to:, from:, subject:, is:, in:inbox, after:, before:, newer_than:,
   * older_than:, words); label: terms apply to the thread. Newest thread first, like Gmail.
   */
  search(query: string, now: number): MailThread[] {
    const terms = query.match(/-?[a-z_]+:(?:"[^"]*"|\S+)|"[^"]*"|\S+/gi) ?? [];
    const threadTests: Array<(t: MailThread) => boolean> = [];
    const messageTests: Array<(m: MailMessage) => boolean> = [];
    for (const raw of terms) {
      const neg = raw.startsWith('-');
      const term = neg ? raw.slice(1) : raw;
      const [op, ...rest] = term.split(':');
      const arg = rest.join(':').replace(/^"|"$/g, '').toLowerCase();
      if (op.toLowerCase() === 'label' || (op.toLowerCase() === 'in' && arg === 'anywhere')) {
        const test = (t: MailThread) =>
          arg === 'anywhere' ||
          t.labels.some((l) => l.toLowerCase().replace(/[/ ]/g, '-') === arg.replace(/[/ ]/g, '-'));
        threadTests.push(neg ? (t) => !test(t) : test);
        continue;
      }
      const test = this.messageTest(op.toLowerCase(), arg, rest.length > 0, term, now);
      messageTests.push(neg ? (m) => !test(m) : test);
    }
    const last = (t: MailThread) => Math.max(...t.messageIds.map((id) => this.message(id).date));
    const latestSeq = (t: MailThread) => Math.max(...t.messageIds.map((id) => parseInt(id, 16)));
    return (
      this.threads
        .filter(
          (t) =>
            threadTests.every((fn) => fn(t)) &&
            t.messageIds.some((id) => messageTests.every((fn) => fn(this.message(id)))),
        )
        // Newest first; at the same millisecond, the later delivery is the newer.
        .sort((a, b) => last(b) - last(a) || latestSeq(b) - latestSeq(a))
    );
  }

  private messageTest(
    op: string,
    arg: string,
    hasOperator: boolean,
    term: string,
    now: number,
  ): (m: MailMessage) => boolean {
    switch (op) {
      case 'to':
        return (m) => tokenMatch(`${m.to},${m.cc ?? ''}`, arg);
      case 'from':
        return (m) => tokenMatch(m.from, arg);
      case 'subject':
        return (m) => m.subject.toLowerCase().includes(arg);
      case 'is':
        if (arg === 'unread') return (m) => m.unread;
        if (arg === 'read') return (m) => !m.unread;
        throw new Error(`not emulated: Gmail search is:${arg}`);
      case 'in':
        if (arg === 'inbox') return (m) => m.inInbox;
        throw new Error(`not emulated: Gmail search in:${arg}`);
      case 'after':
      case 'before': {
        // Gmail takes a date (yyyy/mm/dd, midnight in the account's zone; UTC here) or epoch seconds.
        const d = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(arg);
        const edge = d
          ? Date.UTC(+d[1], +d[2] - 1, +d[3])
          : /^\d{9,11}$/.test(arg)
            ? Number(arg) * 1000
            : NaN;
        if (isNaN(edge)) throw new Error(`not emulated: Gmail search ${op}:${arg}`);
        if (!d && this.model.afterEpoch === 'ignored') return () => true;
        if (!d && this.model.afterEpoch === 'nothing') return () => false;
        return op === 'after' ? (m) => m.date >= edge : (m) => m.date < edge;
      }
      case 'newer_than':
      case 'older_than': {
        const mm = /^(\d+)([dmyh])$/.exec(arg);
        if (!mm) throw new Error(`not emulated: Gmail search ${op}:${arg}`);
        const unit = { h: 3600e3, d: 86400e3, m: 30 * 86400e3, y: 365 * 86400e3 }[
          mm[2] as 'h' | 'd' | 'm' | 'y'
        ];
        const edge = now - Number(mm[1]) * unit;
        return op === 'newer_than' ? (m) => m.date > edge : (m) => m.date < edge;
      }
      default: {
        if (hasOperator) throw new Error(`not emulated: Gmail search operator ${op}:`);
        const word = term.replace(/"/g, '').toLowerCase();
        return (m) => `${m.subject} ${m.plainBody}`.toLowerCase().includes(word);
      }
    }
  }

  toJSON(): MailboxJSON {
    return {
      owner: this.owner,
      seq: this.seq,
      threads: this.threads,
      messages: this.messages,
      labels: this.labels,
    };
  }

  static fromJSON(j: MailboxJSON): Mailbox {
    const mb = new Mailbox(j.owner);
    mb.seq = j.seq;
    mb.threads = j.threads;
    mb.messages = j.messages;
    mb.labels = j.labels;
    return mb;
  }
}

/**
 * Gmail matches address terms as whole tokens, not substrings: `to:rsvp@x.com` finds mail to
 * rsvp@x.com, not to norsvp@x.com; `to:ada` finds a word "ada" in a name or an address.
 */
export function tokenMatch(header: string, arg: string): boolean {
  const h = header.toLowerCase();
  const addresses: string[] = h.match(/[^\s<>,;"()]+@[^\s<>,;"()]+/g) ?? [];
  if (arg.includes('@')) return addresses.includes(arg);
  const words = h.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const parts = arg.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (!parts.length) return false;
  // A term of several words ("example.com") matches those words in a row.
  for (let i = 0; i + parts.length <= words.length; i++) {
    if (parts.every((p, j) => words[i + j] === p)) return true;
  }
  return false;
}
