/**
 * The simulator's invariants, read from the Google side (the backend's cells and mail), never from
 * what the product says about itself. Pure functions over a snapshot; each returns the violations.
 */
import { mailboxKey } from '../../src/core/email';
import { QuietHours, isQuiet, parseClock } from '../../src/core/quiet';
import { Record_, records, settingValue, text } from './sheet';

export const HELD = new Set(['confirmed', 'offered']);
const LIVE = new Set(['confirmed', 'offered', 'waitlisted', 'invited']);
const KNOWN = new Set([...LIVE, 'cancelled', 'duplicate']);
/** The statuses the keeper knows: anything else a host typed is pending its revert. */
export const KNOWN_STATUSES: ReadonlySet<string> = KNOWN;

export interface GuestRow {
  row: number;
  email: string;
  name: string;
  status: string;
  position: unknown;
  offerExpires: unknown;
  token: string;
  /** Seats the row is for (the Party cell; blank is 1). */
  party: number;
}

/** The Guests sheet as rows (header checked by the caller's layout). */
export function guestRows(raw: unknown[][]): GuestRow[] {
  return records(raw).map((r) => ({
    row: r.row,
    email: text(r, 'Email'),
    name: text(r, 'Name'),
    status: text(r, 'Status'),
    position: r['Waitlist #'],
    offerExpires: r['Offer expires'],
    token: text(r, 'Token'),
    party: Number(r.Party || 1),
  }));
}

/** One Log row, by header. */
export interface LogRow {
  when: unknown;
  email: string;
  from: string;
  to: string;
  lane: string;
  detail: string;
}

export const logRows = (raw: unknown[][]): LogRow[] =>
  records(raw).map((r) => ({
    when: r.When,
    email: text(r, 'Email'),
    from: text(r, 'From'),
    to: text(r, 'To'),
    lane: text(r, 'Lane'),
    detail: text(r, 'Detail'),
  }));

/** Rows holding a seat (by token), reading a Status cell as the keeper does (a host may type " Confirmed "). */
export const heldTokens = (rows: GuestRow[]) =>
  new Set(rows.filter((g) => HELD.has(g.status.trim().toLowerCase())).map((g) => g.token || `row ${g.row}`));

/** Capacity as the keeper reads it: a whole number ≥ 0, or null (registration closed). */
export function capacityOf(settings: unknown[][]): number | null {
  const v = settingValue(settings, 'Capacity');
  const n = typeof v === 'number' ? v : Number(String(v ?? '').trim());
  return String(v ?? '').trim() !== '' && Number.isInteger(n) && n >= 0 ? n : null;
}

/** At a quiet moment (nothing running): the list is in order. */
export function quietViolations(guestsRaw: unknown[][], settingsRaw: unknown[][]): string[] {
  const out: string[] = [];
  const rows = guestRows(guestsRaw);
  for (const g of rows) {
    if (!g.email && !g.status) continue;
    if (!KNOWN.has(g.status)) out.push(`row ${g.row} (${g.email}) has status "${g.status}"`);
    if (g.status === 'offered' && !(g.offerExpires instanceof Date))
      out.push(`row ${g.row} (${g.email}) is offered with no deadline`);
  }
  const positions = rows
    .filter((g) => g.status === 'waitlisted')
    .map((g) => Number(g.position))
    .sort((a, b) => a - b);
  if (positions.some((p, i) => p !== i + 1))
    out.push(`waitlist positions are ${JSON.stringify(positions)}, not 1..${positions.length}`);
  const live = new Map<string, number>();
  for (const g of rows.filter((x) => LIVE.has(x.status))) {
    const k = mailboxKey(g.email);
    if (live.has(k)) out.push(`two live rows for one mailbox: rows ${live.get(k)} and ${g.row} (${g.email})`);
    else live.set(k, g.row);
  }
  const summary = new Map(settingsRaw.map((r) => [String(r[0] ?? ''), r[1]]));
  // The summary counts seats (party sizes), which is rows while every party is 1.
  const seats = (status: string) => rows.filter((g) => g.status === status).reduce((n, g) => n + g.party, 0);
  const counts: Record<string, number> = {
    Confirmed: seats('confirmed'),
    Offered: seats('offered'),
    Waitlisted: seats('waitlisted'),
  };
  for (const [label, n] of Object.entries(counts)) {
    if (summary.has(label) && summary.get(label) !== n && capacityOf(settingsRaw) !== null)
      out.push(`the summary says ${label} ${String(summary.get(label))}, the rows ${n}`);
  }
  return out;
}

/**
 * The Log replayed gives every row's status: each email's rows as a list (a mailbox may hold an old
 * cancelled RSVP and a new one); 'new' adds one, a change moves one that was in the 'from' status.
 */
export function logViolations(logRaw: unknown[][], guestsRaw: unknown[][]): string[] {
  const replayed = new Map<string, string[]>();
  for (const { email, from, to, detail } of logRows(logRaw)) {
    if (!email) continue;
    const list = replayed.get(email) ?? [];
    replayed.set(email, list);
    if (detail.startsWith('reverted')) continue;
    const i = list.indexOf(from);
    // A late first status fills the gap a change from it left (see replayRows in core/log-replay.ts).
    const gap = list.findIndex((s) => s.startsWith(`${to}?>`));
    if (from === 'new' && detail.startsWith("logged late: this row's first status") && gap >= 0)
      list[gap] = list[gap].slice(to.length + 2);
    else if (from === 'new') list.push(to);
    else if (i >= 0) list[i] = to;
    else if (from !== to) list.push(`${from}?>${to}`);
  }
  const inSheet = new Map<string, string[]>();
  for (const g of guestRows(guestsRaw)) {
    if (!g.email) continue;
    inSheet.set(g.email, [...(inSheet.get(g.email) ?? []), g.status]);
  }
  const out: string[] = [];
  for (const email of new Set([...replayed.keys(), ...inSheet.keys()])) {
    const a = [...(replayed.get(email) ?? [])].sort().join(',');
    const b = [...(inSheet.get(email) ?? [])].sort().join(',');
    if (a !== b) out.push(`${email}: the Log replays to [${a}], the sheet holds [${b}]`);
  }
  return out;
}

export interface Mail {
  to: string;
  subject: string;
  execId?: string;
}

/**
 * Every email owed is sent or queued, once: no Outbox row left unsent after the final drain (but
 * what the spent daily quota holds back), every row marked
 * sent has its email, and no email went out more often than rows say, except where an execution was
 * killed between sending and recording (MailApp leaves nothing to check: the one documented window).
 */
export function mailViolations(
  outboxRaw: unknown[][],
  mail: Mail[],
  killed: Set<string>,
  /** The day's quota is spent: an email may still wait in the Outbox (queued, once). */
  quotaSpent = false,
): string[] {
  const out: string[] = [];
  // An answer in the guest's thread goes out as "Re: <their subject>": matched by recipient only.
  // An email is rendered from the guest's row when sent: its waitlist number may differ from the row's.
  // And an answer goes to the spelling the guest wrote from: one mailbox, so matched by mailbox.
  // A reminder's subject says "today" or "tomorrow" as it is sent: matched by its prefix.
  const key = (to: string, subject: string) =>
    `${mailboxKey(to)}\n${subject.replace(/\d+/g, '#').replace(/^(Reminder: ).*/, '$1')}`;
  const rows = records(outboxRaw).filter((r) => text(r, 'Id'));
  const sentRows = new Map<string, number>();
  for (const r of rows) {
    const [id, to, subject, status, inReplyTo] = ['Id', 'To', 'Subject', 'Status', 'In reply to'].map((h) =>
      text(r, h),
    );
    if (status === 'sending' || (status === 'queued' && !quotaSpent))
      out.push(`Outbox row ${id} to ${to} ("${subject}") is still ${status} after the final drain`);
    const inThread = inReplyTo !== '' && !inReplyTo.startsWith('mail:');
    const k = key(to, inThread ? 'Re:' : subject);
    if (status === 'sent') sentRows.set(k, (sentRows.get(k) ?? 0) + 1);
  }
  const mails = new Map<string, { n: number; byKilled: number }>();
  for (const m of mail) {
    const address = /<([^>]+)>/.exec(m.to)?.[1] ?? m.to;
    const k = key(address, /^Re: /.test(m.subject) ? 'Re:' : m.subject);
    const e = mails.get(k) ?? { n: 0, byKilled: 0 };
    e.n++;
    if (m.execId && killed.has(m.execId)) e.byKilled++;
    mails.set(k, e);
  }
  for (const k of new Set([...sentRows.keys(), ...mails.keys()])) {
    const [to, subject] = k.split('\n');
    const n = sentRows.get(k) ?? 0;
    const e = mails.get(k) ?? { n: 0, byKilled: 0 };
    if (e.n < n) out.push(`${to} ("${subject}"): ${n} Outbox rows marked sent, ${e.n} emails`);
    if (e.n > n + e.byKilled)
      out.push(`${to} ("${subject}"): ${e.n} emails for ${n} Outbox rows marked sent`);
  }
  return out;
}

/** Emails that answer nothing the guest just did: they must wait out quiet hours. */
const NOT_AN_ANSWER =
  /^(A seat opened up|Your held seat was released|Registration has closed|You're invited|Reminder: )/;

/** The quiet hours the Settings sheet holds (blank: the default 21:00-08:00), or null when off. */
export function quietHoursOf(settings: unknown[][], timeZone: string): QuietHours | null {
  return parseQuiet(String(settingValue(settings, 'Quiet hours') ?? ''), timeZone);
}

/** A Quiet hours cell's value (blank: the default 21:00-08:00), or null when off. */
export function parseQuiet(value: string, timeZone: string): QuietHours | null {
  const v = value.trim();
  if (v.toLowerCase() === 'off') return null;
  const [a, b] = v ? v.split('-') : ['21:00', '08:00'];
  const from = parseClock(a ?? '');
  const to = parseClock(b ?? '');
  return from === null || to === null ? null : { from, to, timeZone };
}

/** How long a run may act on the Settings it read at its start: a change within this is not its to see. */
const SETTINGS_READ_SLACK_MS = 120e3;

/**
 * Reminders and quiet hours, from the mail sent and the Log: no email that answers nothing goes out
 * in quiet hours, no reminder at or after the start, and no guest is reminded of one slot more often
 * than they were confirmed (a guest who cancels and signs up again is a new RSVP).
 */
export function reminderViolations(
  mail: Array<Mail & { at: number }>,
  logRaw: unknown[][],
  /** The quiet hours in effect at a moment (the host may change them during the run). */
  quiet: QuietHours | null | ((at: number) => QuietHours | null),
  startsAt: number | null,
): string[] {
  const out: string[] = [];
  const at = typeof quiet === 'function' ? quiet : () => quiet;
  // Quiet by the setting in effect as it went out, and by the one a run started a moment before read.
  const quietThen = (t: number) => isQuiet(t, at(t)) && isQuiet(t, at(t - SETTINGS_READ_SLACK_MS));
  for (const m of mail) {
    if (NOT_AN_ANSWER.test(m.subject) && quietThen(m.at))
      out.push(`"${m.subject}" to ${m.to} went out in quiet hours (${new Date(m.at).toISOString()})`);
    if (m.subject.startsWith('Reminder: ') && startsAt !== null && m.at >= startsAt)
      out.push(`a reminder to ${m.to} went out after the start`);
  }
  const confirmations = new Map<string, number>();
  const reminded = new Map<string, number>();
  for (const { email, from, to, detail } of logRows(logRaw)) {
    if (to === 'confirmed' && from !== 'confirmed')
      confirmations.set(email, (confirmations.get(email) ?? 0) + 1);
    if (detail.startsWith('reminder: ')) {
      const k = `${email}\n${detail}`;
      reminded.set(k, (reminded.get(k) ?? 0) + 1);
    }
  }
  for (const [k, n] of reminded) {
    const [email, detail] = k.split('\n');
    if (n > (confirmations.get(email) ?? 0))
      out.push(`${email} got "${detail}" ${n} times, confirmed ${confirmations.get(email) ?? 0} times`);
  }
  return out;
}

/** The Replies result of a "yes" by email after registration closed, answered politely in its thread. */
export const TOLD_CLOSED = 'closed: told registration has closed';

/**
 * The registration deadline, from the Log, the Replies and the mail: from `closesAt` on, no guest lane
 * (form, email, import) puts anyone on the list and no seat is offered; each guest still waiting at
 * the end was told once that the waitlist has closed (a Log row, and at most one such email); each
 * reply answered "registration has closed" got exactly one answer in its thread, and none was left
 * for the host's review.
 */
export function deadlineViolations(
  logRaw: unknown[][],
  mail: Array<Mail & { threadId?: string; body?: string }>,
  guestsRaw: unknown[][],
  closesAt: number,
  repliesRaw: unknown[][] = [],
): string[] {
  const out: string[] = [];
  const told = new Map<string, number>();
  for (const r of logRows(logRaw)) {
    const when = r.when instanceof Date ? r.when.getTime() : NaN;
    const { email, from, to, lane, detail } = r;
    if (detail === 'told: the waitlist has closed') told.set(email, (told.get(email) ?? 0) + 1);
    if (!(when >= closesAt)) continue;
    const joined = (from === 'new' || from === 'invited') && (to === 'confirmed' || to === 'waitlisted');
    if (joined && ['form', 'email', 'import'].includes(lane))
      out.push(`${email} joined (${from} > ${to}, ${lane}) after registration closed`);
    if (from === 'waitlisted' && to === 'offered')
      out.push(`${email} was offered a seat after registration closed`);
  }
  for (const g of guestRows(guestsRaw))
    if (g.status === 'waitlisted' && told.get(g.email) !== 1)
      out.push(
        `${g.email} is still waiting but was told ${told.get(g.email) ?? 0} times that the waitlist closed`,
      );
  const closedMails = new Map<string, number>();
  for (const m of mail)
    if (m.subject.startsWith('Registration has closed: '))
      closedMails.set(m.to, (closedMails.get(m.to) ?? 0) + 1);
  for (const [to, n] of closedMails) if (n > 1) out.push(`${to} got ${n} "Registration has closed" emails`);
  for (const r of records(repliesRaw)) {
    const [id, status, result, thread] = ['Message id', 'Status', 'Result', 'Thread'].map((h) => text(r, h));
    if (status === 'review' && /^for you to answer: closed/.test(result))
      out.push(`reply ${id} after registration closed was left for the host instead of answered`);
    if (result !== TOLD_CLOSED) continue;
    const answers = mail.filter(
      (m) => m.threadId === thread && /has closed, so we can't add you/.test(m.body ?? ''),
    ).length;
    if (answers !== 1)
      out.push(`reply ${id} was told registration has closed ${answers} times in its thread`);
  }
  return out;
}

/**
 * The email a Log transition owes its guest, if any, read from the Log as a host would: each change
 * of what a guest holds (a seat, a place in line, an offer, or none) is told to them. A change put
 * back, a copy marked, a change a recount logged late (its transaction's mail landed before its Log
 * row, or never ran), and the host's own edits with their emails turned off owe nothing.
 */
/**
 * Every message the host sent is queued once for each of its recipients (its Messages row says how
 * many, its Outbox rows carry its id), and nobody gets one message twice.
 */
export function messageViolations(
  messagesRaw: unknown[][],
  outboxRaw: unknown[][],
  mail: ReadonlyArray<{ to: string; subject: string }>,
): string[] {
  const out: string[] = [];
  const rows = records(outboxRaw).filter((r) => text(r, 'Kind') === 'message');
  const idOf = (r: Record_) => {
    try {
      return String((JSON.parse(text(r, 'About')) as { id?: string }).id ?? '');
    } catch {
      return '';
    }
  };
  for (const m of records(messagesRaw)) {
    const id = text(m, 'Id');
    const mine = rows.filter((r) => idOf(r) === id);
    if (mine.length !== Number(m.Recipients))
      out.push(
        `message ${id} was for ${String(m.Recipients)} guests but ${mine.length} Outbox rows carry it`,
      );
    const seen = new Set<string>();
    for (const r of mine) {
      const who = text(r, 'Token') || text(r, 'To');
      if (seen.has(who)) out.push(`message ${id} was queued twice for ${text(r, 'To')}`);
      seen.add(who);
    }
    const subject = text(m, 'Subject');
    const sent = new Map<string, number>();
    for (const x of mail) if (x.subject === subject) sent.set(x.to, (sent.get(x.to) ?? 0) + 1);
    for (const [to, k] of sent) if (k > 1) out.push(`message "${subject}" went to ${to} ${k} times`);
  }
  return out;
}

/**
 * The door: no row has more people arrived than its party, and every check-in the Log records was
 * of a confirmed RSVP (the door refuses any other).
 */
export function doorViolations(guestsRaw: unknown[][], logRaw: unknown[][]): string[] {
  const out: string[] = [];
  for (const r of records(guestsRaw)) {
    const arrived = Number(r.Arrived || 0);
    const party = Number(r.Party || 1);
    if (arrived > party)
      out.push(`row ${r.row} (${text(r, 'Email')}): ${arrived} arrived, party of ${party}`);
  }
  for (const l of logRows(logRaw))
    if (/^checked in/.test(l.detail) && l.to !== 'confirmed')
      out.push(`${l.email} was checked in while ${l.to || 'blank'} (${l.detail})`);
  return out;
}

/** No email (subject, text, HTML, attachments) carries a private answer a guest gave. */
export function privateAnswerViolations(
  mail: ReadonlyArray<{ to: string; subject: string }>,
  values: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  for (const m of mail) {
    const all = JSON.stringify(m);
    for (const v of values)
      if (all.includes(v)) out.push(`a private answer (${v}) went out in an email to ${m.to}`);
  }
  return out;
}

export function owedKind(r: LogRow, hostEditMail: boolean): string | null {
  const { from, to, lane, detail } = r;
  if (from === to || detail.startsWith('reverted') || detail.startsWith('logged late')) return null;
  if (lane === 'host') return hostEditMail && HOST_TOLD.has(to) ? to : null;
  if (detail === 'offer expired') return 'expired';
  if (to === 'offered') return 'offered';
  if (to === 'confirmed' || to === 'waitlisted') return to;
  if (to === 'cancelled') return detail === 'left the waitlist' ? 'left' : 'cancelled';
  return null;
}

const HOST_TOLD = new Set(['confirmed', 'offered', 'waitlisted', 'cancelled']);

/**
 * Every email owed is queued: each Log transition that owes its guest an email (owedKind) has an
 * Outbox row of that kind for that mailbox, counted one for one. Computed from state changes, so a
 * transaction that drops or swaps the keeper's emails is caught whatever was sent later.
 */
export function owedMailViolations(
  logRaw: unknown[][],
  outboxRaw: unknown[][],
  settingsRaw: unknown[][],
): string[] {
  const hostEditMail =
    String(settingValue(settingsRaw, 'Email guests about my Status edits') ?? 'yes')
      .trim()
      .toLowerCase() !== 'no';
  const owed = new Map<string, LogRow[]>();
  for (const r of logRows(logRaw)) {
    const kind = r.email ? owedKind(r, hostEditMail) : null;
    if (!kind) continue;
    const k = `${mailboxKey(r.email)} ${kind}`;
    owed.set(k, [...(owed.get(k) ?? []), r]);
  }
  const queued = new Map<string, number>();
  for (const r of records(outboxRaw)) {
    const k = `${mailboxKey(text(r, 'To'))} ${text(r, 'Kind')}`;
    queued.set(k, (queued.get(k) ?? 0) + 1);
  }
  const out: string[] = [];
  for (const [k, rows] of owed) {
    const n = queued.get(k) ?? 0;
    if (n >= rows.length) continue;
    const [email, kind] = k.split(' ');
    const last = rows[rows.length - 1];
    out.push(
      `${email} is owed ${rows.length} "${kind}" email(s) by the Log (last: ${last.from} > ${last.to}, ${last.lane}${last.detail ? `, ${last.detail}` : ''}), the Outbox holds ${n}`,
    );
  }
  return out;
}
