/** Shared test helpers: a fresh runtime with the built bundle set up, and views of its sheets. */
import { BackendOptions, TriggerSpec } from '../emulator/backend';
import { records, text } from '../scripts/sim/sheet';
import { ExecutionResult, RunOptions, Runtime } from '../emulator/runtime';

export const GUEST_HEADERS = [
  'Email',
  'Name',
  'Status',
  'Waitlist #',
  'Source',
  'Created',
  'Updated',
  'Offer expires',
  'Note',
  'Token',
  'Party',
];

export async function setUpRuntime(
  opts: {
    capacity?: number;
    backend?: BackendOptions;
    settings?: Record<string, unknown>;
    /** false: nobody has opened the form yet, so its public link is not known. */
    learnUrl?: boolean;
  } = {},
): Promise<Runtime> {
  const rt = new Runtime({ backendOptions: { url: 'http://localhost:8080/exec', ...opts.backend } });
  const r = await rt.run('setUp', [], { context: 'editor' });
  if (!r.ok) throw new Error(`setUp failed: ${r.error?.message}`);
  const settings = { Capacity: opts.capacity ?? 10, ...opts.settings };
  for (const [label, value] of Object.entries(settings)) setSetting(rt, label, value);
  await rt.run('recount', [], { context: 'editor' });
  // The host opens the form once after deploying it: the product learns its public /exec link there
  // (outside a web app request getUrl() answers /dev).
  if (opts.learnUrl !== false) await rt.web('GET');
  return rt;
}

/** Host edit of one setting, found by its label (without firing onEdit). */
export function setSetting(rt: Runtime, label: string, value: unknown): void {
  const rows = rt.backend.sheetRaw('Settings');
  const i = rows.findIndex((r) => r[0] === label);
  if (i < 0) throw new Error(`no setting ${label}`);
  rt.backend.hostEdit('Settings', `B${i + 1}`, [[value]]);
}

export interface GuestRow {
  email: string;
  name: string;
  status: string;
  position: number | '';
  source: string;
  token: string;
  row: number;
  /** Seats the RSVP is for (the Party cell; blank is 1). */
  party: number;
}

export function guests(rt: Runtime): GuestRow[] {
  const raw = rt.backend.sheetRaw('Guests');
  expect(raw[0]).toEqual(GUEST_HEADERS);
  return records(raw).map((r) => ({
    email: text(r, 'Email'),
    name: text(r, 'Name'),
    status: text(r, 'Status'),
    position: r['Waitlist #'] as number | '',
    source: text(r, 'Source'),
    token: text(r, 'Token'),
    row: r.row,
    party: Number(r.Party || 1),
  }));
}

/** A sheet's rows below its header, each as header → value (read by header, never by index). */
export const sheetRecords = (rt: Runtime, sheet: string) => records(rt.backend.sheetRaw(sheet));

/** One column of a sheet, by its header, below the header row. */
export const column = (rt: Runtime, sheet: string, header: string): unknown[] =>
  sheetRecords(rt, sheet).map((r) => r[header]);

/** The first Guests row of `email`, its cells as they are (Party as typed, Note, Token), by header. */
export const guestRecord = (rt: Runtime, email: string) =>
  sheetRecords(rt, 'Guests').find((r) => r.Email === email);

/** A Log row, read by header. */
export interface LogRow {
  row: number;
  when: unknown;
  email: string;
  name: string;
  from: string;
  to: string;
  lane: string;
  detail: string;
}

export const logRows = (rt: Runtime): LogRow[] =>
  sheetRecords(rt, 'Log').map((r) => ({
    row: r.row,
    when: r.When,
    email: text(r, 'Email'),
    name: text(r, 'Name'),
    from: text(r, 'From'),
    to: text(r, 'To'),
    lane: text(r, 'Lane'),
    detail: text(r, 'Detail'),
  }));

/** An Outbox row, read by header (Tries and the times as they are). */
export interface OutboxRow {
  row: number;
  id: string;
  created: unknown;
  to: string;
  name: string;
  kind: string;
  subject: string;
  status: string;
  tries: unknown;
  sentAt: unknown;
  error: string;
  token: string;
  inReplyTo: string;
  sendAfter: unknown;
  about: string;
}

export const outboxRows = (rt: Runtime): OutboxRow[] =>
  sheetRecords(rt, 'Outbox').map((r) => ({
    row: r.row,
    id: text(r, 'Id'),
    created: r.Created,
    to: text(r, 'To'),
    name: text(r, 'Name'),
    kind: text(r, 'Kind'),
    subject: text(r, 'Subject'),
    status: text(r, 'Status'),
    tries: r.Tries,
    sentAt: r['Sent at'],
    error: text(r, 'Error'),
    token: text(r, 'Token'),
    inReplyTo: text(r, 'In reply to'),
    sendAfter: r['Send after'],
    about: text(r, 'About'),
  }));

/** A Replies row, read by header. */
export interface ReplyRow {
  row: number;
  id: string;
  received: unknown;
  from: string;
  subject: string;
  said: string;
  status: string;
  result: string;
  thread: string;
}

export const replyRows = (rt: Runtime): ReplyRow[] =>
  sheetRecords(rt, 'Replies').map((r) => ({
    row: r.row,
    id: text(r, 'Message id'),
    received: r.Received,
    from: text(r, 'From'),
    subject: text(r, 'Subject'),
    said: text(r, 'Said'),
    status: text(r, 'Status'),
    result: text(r, 'Result'),
    thread: text(r, 'Thread'),
  }));

export function summary(rt: Runtime): Record<string, unknown> {
  const rows = rt.backend.sheetRaw('Settings');
  const start = rows.findIndex((r) => r[0] === 'Confirmed');
  const out: Record<string, unknown> = {};
  for (const r of rows.slice(start)) if (r[0]) out[String(r[0])] = r[1];
  return out;
}

export function jsonOf(r: ExecutionResult): Record<string, unknown> {
  if (!r.ok) throw new Error(`execution failed: ${r.error?.message}\n${r.error?.stack}`);
  const out = r.result as { __kind: string; content: string; mimeType: string };
  expect(out.__kind).toBe('text');
  expect(out.mimeType).toBe('application/json');
  return JSON.parse(out.content);
}

export function htmlOf(r: ExecutionResult): string {
  if (!r.ok) throw new Error(`execution failed: ${r.error?.message}\n${r.error?.stack}`);
  const out = r.result as { __kind: string; content: string };
  expect(out.__kind).toBe('html');
  return out.content;
}

export function signUp(rt: Runtime, name: string, email: string, extra: Record<string, string> = {}) {
  return rt.postForm({ name, email, format: 'json', ...extra });
}

/** Checks every invariant of the guest list; returns the rows for further assertions. */
export function checkInvariants(rt: Runtime, capacity: number, opts = { summary: true }): GuestRow[] {
  const rows = guests(rt);
  const live = rows.filter((g) => g.status !== 'cancelled');
  const emails = live.map((g) => g.email);
  expect(new Set(emails).size).toBe(emails.length); // one live row per email
  // Seats, not rows: a party holds as many as it is.
  const seats = (status: string) => rows.filter((g) => g.status === status).reduce((n, g) => n + g.party, 0);
  expect(seats('confirmed') + seats('offered')).toBeLessThanOrEqual(capacity);
  const positions = rows
    .filter((g) => g.status === 'waitlisted')
    .map((g) => g.position)
    .sort((a, b) => Number(a) - Number(b));
  expect(positions).toEqual(positions.map((_, i) => i + 1));
  if (!opts.summary) return rows;
  const s = summary(rt);
  expect(s.Confirmed).toBe(seats('confirmed'));
  expect(s.Waitlisted).toBe(seats('waitlisted'));
  return rows;
}

/** A reply to the invite lands in the host's Gmail (optionally in a thread, with Gmail's auth stamp). */
export function deliverReply(
  rt: Runtime,
  from: string,
  body: string,
  extra: { threadId?: string; authResults?: string } = {},
) {
  return rt.backend.deliverMail(
    {
      from,
      to: 'host+rsvp@example.com',
      subject: "Re: You're invited: My event",
      plainBody: body,
      headers: extra.authResults ? { 'Authentication-Results': extra.authResults } : {},
    },
    { threadId: extra.threadId },
  );
}

/**
 * A run of a time trigger's function, started by its installed trigger (as Google's scheduler does,
 * with its event). Installs one first if the test has not (as the host's menu would have): a function
 * no trigger of its own starts is refused by the gate.
 */
export function runTrigger(
  rt: Runtime,
  fn: string,
  opts: Omit<RunOptions, 'context'> = {},
): Promise<ExecutionResult> {
  installTrigger(rt, fn);
  return rt.run(fn, [], { ...opts, context: 'trigger' });
}

/** The installed time trigger that runs `fn` (installed every 5 minutes if there is none). */
export function installTrigger(rt: Runtime, fn: string): TriggerSpec {
  const found = rt.backend.triggers.find((t) => t.handlerFunction === fn);
  if (found) return found;
  const spec: TriggerSpec = {
    id: `7${String(rt.backend.triggers.length).padStart(18, '0')}`,
    handlerFunction: fn,
    eventType: 'CLOCK',
    everyMinutes: 5,
  };
  rt.backend.triggers.push(spec);
  return spec;
}

/** The time trigger's reply poll, once; throws if it failed. */
export async function pollReplies(rt: Runtime): Promise<void> {
  const r = await runTrigger(rt, 'pollReplies');
  if (!r.ok) throw new Error(r.error?.message);
}

/** A reply's rows in the Replies sheet: [status, result] each. */
export const repliesRow = (rt: Runtime, id: string) =>
  sheetRecords(rt, 'Replies')
    .filter((r) => r['Message id'] === id)
    .map((r) => [r.Status, r.Result]);

/**
 * A long list typed into Guests by the host (rows 2 to n + 1, the grid grown to fit), then a recount:
 * `list<i>@example.com`, token `list-token-<i>`, confirmed unless `status` says otherwise.
 */
export async function typedList(
  rt: Runtime,
  n: number,
  opts: { status?: (i: number) => string; email?: (i: number) => string } = {},
): Promise<void> {
  const now = new Date(rt.backend.now());
  rt.backend.ss.byName('Guests')!.maxRows = n + 100;
  rt.backend.hostEdit(
    'Guests',
    `A2:J${n + 1}`,
    Array.from({ length: n }, (_, i) => [
      `'${opts.email ? opts.email(i) : `list${i}@example.com`}`,
      `'List ${i}`,
      opts.status ? opts.status(i) : 'confirmed',
      '',
      'import',
      now,
      now,
      '',
      '',
      `'list-token-${i}`,
    ]),
  );
  await rt.run('recount', [], { context: 'editor' });
}
