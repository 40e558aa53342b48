/** The backend's records: executions, sent mail, triggers, quotas, the saved state, handlers. */
import type { SpreadsheetJSON, WriteOp } from '../spreadsheet';
import type { MailboxJSON } from '../gmail';

/**
 * How an execution was started. 'editor': from the spreadsheet's UI (a menu item, or google.script.run
 * from a sidebar or dialog). 'webapp': a web app request, or google.script.run from a web app page
 * (as the owner, no active user). 'trigger': an installed trigger. 'simple': a simple trigger (onOpen,
 * onEdit), limited authorization. 'ide': the Apps Script editor's Run button. 'api': the Apps Script API.
 */
export type ExecutionContext = 'webapp' | 'editor' | 'trigger' | 'api' | 'simple' | 'ide';

export interface ExecState {
  id: string;
  fn: string;
  context: ExecutionContext;
  startedAt: number;
  pending: WriteOp[];
  calls: Record<string, number>;
  callsInLock: Record<string, number>;
  /** Every call, in order, with what it touched and its modelled cost ("L " marks those made holding the script lock). */
  trace: string[];
  /** Cells read by range reads while holding the script lock (the bench's measure of scaling). */
  cellsReadInLock: number;
  modelledMs: number;
  lockWaitMs: number;
  lockHeldMs: number;
  lockSince?: number;
  locks: Set<string>;
  logs: string[];
  dead: boolean;
  /** Calls made so far (names the call's event in the virtual clock). */
  seq: number;
  /** When the execution time limit stops it. */
  deadline: number;
  /** Set when the execution has ended (virtual clock: when its end event fired). */
  ended: Promise<ExecState>;
  /** Why it ended, when the backend stopped it (time limit). */
  stoppedBy?: 'time';
  /** Time it waited for a free execution slot before it started. */
  queuedMs: number;
  endedAt?: number;
  cancelDeadline?: () => void;
  /** What the script returned or threw (set by the runtime before the end). */
  output?: { ok: boolean; result?: unknown; error?: string };
  /** Called synchronously when the execution has ended (a fetch of the web app waits on it). */
  onEnd?: (ex: ExecState) => void;
}

export interface SentMail {
  id: string;
  at: number;
  /** The execution that sent it. */
  execId?: string;
  via: 'MailApp' | 'GmailApp';
  to: string;
  cc?: string;
  bcc?: string;
  replyTo?: string;
  name?: string;
  subject: string;
  body: string;
  htmlBody?: string;
  attachments?: Array<{ name: string; contentType: string; data: string }>;
  /** Images the HTML shows by cid: (the key is the cid). */
  inlineImages?: Record<string, { name: string; contentType: string; data: string }>;
  threadId?: string;
}

export interface TriggerSpec {
  id: string;
  handlerFunction: string;
  eventType: 'CLOCK' | 'ON_EDIT' | 'ON_OPEN' | 'ON_CHANGE' | 'ON_FORM_SUBMIT';
  everyMinutes?: number;
  everyHours?: number;
  at?: number;
  nextRunAt?: number;
  /** When its scheduler last started it, and how that run ended (shown on the dev server's /sheets). */
  lastRunAt?: number;
  lastRunError?: string | null;
}

/** The daily quotas' use, each counted in a window that starts with its first use of the day. */
export interface Quota {
  mailUsed: number;
  mailWindowStart: number;
  gmailUsed?: number;
  gmailWindowStart?: number;
  propsUsed?: number;
  propsWindowStart?: number;
  triggerMsUsed?: number;
  triggerWindowStart?: number;
}

/** Everything the backend saves (data/state.json). */
export interface State {
  spreadsheet: SpreadsheetJSON;
  scriptProperties: Record<string, string>;
  userProperties: Record<string, string>;
  documentProperties: Record<string, string>;
  cache: Record<string, { value: string; expiresAt: number }>;
  mail: SentMail[];
  mailbox: MailboxJSON;
  triggers: TriggerSpec[];
  quota: Quota;
  menus: Record<string, Array<{ caption: string; fn: string } | null>>;
  toasts: Array<{ at: number; message: string; title: string }>;
}

/** One backend method ('range.getValues'): the calling execution, then the call's arguments. */
export type Handler = (ex: ExecState, ...args: never[]) => unknown;
export type Handlers = Record<string, Handler>;
