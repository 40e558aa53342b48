/** How a backend is configured: the latency model and every option with its Google figure. */

/** Milliseconds charged per call. Keys are method names ('range.getValues') or service prefixes ('gmail'). */
export interface LatencyModel {
  default: number;
  /** Extra cost per cell read or written. */
  perCell: number;
  methods: Record<string, number>;
}

/**
 * A realistic model of Google's per-call cost. Figures are typical of published measurements and
 * our own experience (a Spreadsheet round trip is tens of ms; flush and mail cost more); it is a
 * model for comparing designs, not a promise about any one request.
 */
export const REALISTIC_LATENCY: LatencyModel = {
  default: 15,
  perCell: 0.01,
  methods: {
    'ss.get': 5,
    'ss.getSheetByName': 25,
    'ss.getSheets': 25,
    'sheet.getRange': 2,
    'sheet.getRangeA1': 2,
    'sheet.getDataRange': 40,
    'sheet.getLastRow': 40,
    'sheet.getLastColumn': 40,
    'range.getValues': 60,
    'range.getDisplayValues': 70,
    'range.getFormulas': 60,
    'range.setValues': 25,
    'range.setValue': 25,
    'sheet.appendRow': 60,
    flush: 90,
    'lock.acquire': 40,
    'lock.release': 20,
    props: 25,
    cache: 12,
    'mail.send': 350,
    'mail.quota': 30,
    // Gmail: a search or a thread fetch is a round trip; message getters read the fetched message.
    gmail: 120,
    'gmail.search': 300,
    'gmail.thread.messages': 150,
    'gmail.message.get': 5,
    'gmail.thread.reply': 400,
    'gmail.sendEmail': 400,
    // UrlFetchApp: a round trip to another server, before what that server spends answering.
    urlfetch: 200,
    'utilities.sleep': 0,
    log: 0,
  },
};

export interface BackendOptions {
  timeZone?: string;
  /** Email recipients per day (consumer accounts: 100; Workspace: 1,500). */
  mailQuotaPerDay?: number;
  /** Gmail read/write operations per day (consumer accounts: 20,000; Workspace: 50,000). */
  gmailOpsPerDay?: number;
  /** Execution time limit in ms (Apps Script: 6 minutes). */
  executionTimeLimitMs?: number;
  latency?: LatencyModel | null;
  /** Real time slept per modelled ms (1 = real time). */
  latencyScale?: number;
  /** The web app URL returned by ScriptApp.getService().getUrl(). */
  url?: string | null;
  owner?: string;
  /** Persist state to this file (atomic writes); memory only when absent. */
  dataFile?: string;
  /** What happens to a killed execution's unflushed writes. */
  onKill?: 'discard' | 'commit';
  /**
   * 'virtual' (tests, bench, simulator): calls complete in modelled-time order under a seeded
   * scheduler (see sim.ts); nothing sleeps for real and the same seed gives the same run.
   * 'real' (the dev server): calls sleep their modelled cost times latencyScale, people click in real time.
   */
  clock?: 'virtual' | 'real';
  /** The virtual clock's seed (tie-breaks, lock waiter order, jitter, uuids, cache evictions). */
  seed?: number;
  /** The virtual clock's start (default: VIRTUAL_START, a fixed weekday morning). */
  startAt?: number;
  /** Each call's modelled cost varies by up to ± this fraction (seeded). Virtual clock only. */
  jitter?: number;
  /** Real mode only: a clock, so a test can move time. */
  now?: () => number;
  /** Lock operations (tryLock/waitLock/releaseLock) allowed per window before Google's rate error. */
  lockRateMax?: number;
  lockRateWindowMs?: number;
  /** Simultaneous executions per user (Apps Script: 30), and what happens past them. */
  maxConcurrent?: number;
  overflow?: 'refuse' | 'queue';
  /** With overflow 'queue': how many may wait for a slot before the rest are refused. */
  queueLimit?: number;
  /** Cache is best effort: each read may find an entry gone early with this probability (seeded). */
  cacheEviction?: number;
  /** Properties reads and writes per day (consumer accounts: 50,000). */
  propertyOpsPerDay?: number;
  /** Trigger run time per day in ms (consumer accounts: 90 minutes). */
  triggerMsPerDay?: number;
  /**
   * Virtual clock only: a safety net in real time for a script stuck computing (a loop that never
   * calls a service cannot be timed in modelled time; Google would stop it at 6 minutes).
   */
  realTimeLimitMs?: number;
  /**
   * How Gmail's search reads `after:`/`before:` with epoch seconds. 'seconds' (default: as widely used,
   * though not in Google's operator table); 'ignored': the term is dropped (some accounts are reported
   * to); 'nothing': the term matches no message. Dates (yyyy/mm/dd) always work.
   */
  gmailAfterEpoch?: 'seconds' | 'ignored' | 'nothing';
  /** GmailMessage.reply sets In-Reply-To on the answer (default true, as Gmail's replies do). */
  gmailReplyInReplyTo?: boolean;
  /**
   * Where Gmail's own Authentication-Results (a delivered message's `gmailAuth`) sits among the headers
   * the message arrived with: 'top' (default: it is added on receipt, above the rest) or 'bottom'.
   */
  gmailAuthResultsAt?: 'top' | 'bottom';
  /**
   * Whether a fetched message's getters (getFrom, getHeader, getPlainBody, ...) are each a Gmail
   * operation and a round trip. Default false: they read the fetched message (unsure; issue 14's
   * check infers it from their cost).
   */
  gmailGettersCount?: boolean;
  /** OAuth scopes of the manifest the host did not grant (granular consent): calls needing them fail. */
  ungrantedScopes?: string[];
  /**
   * What ScriptApp.getService().getUrl() answers outside a live web app request (a trigger, the menu,
   * the editor): 'dev' (default: the /dev URL, as widely reported, Google issue tracker 170799249),
   * 'exec' (the documented /exec URL) or 'null'. Inside a web app request it is always the /exec URL.
   */
  getUrlOutsideWebApp?: 'dev' | 'exec' | 'null';
  /**
   * The spreadsheet's locale (File → Settings): how text written to a cell is read as a date. 'en_US'
   * (default: 7/12/2026 is 12 July) or 'en_GB' (7 December).
   */
  locale?: 'en_US' | 'en_GB';
  /**
   * The web app's iframe on the dev server: whether its sandbox allows top navigation on a user's
   * click. Google's Restrictions guide allows it only for standalone scripts, and ours is bound: 'forbid'.
   */
  topNavigation?: 'allow' | 'forbid';
}

/** The options with every default filled in (resolveOptions). */
export type ResolvedOptions = Required<
  Omit<BackendOptions, 'dataFile' | 'url' | 'latency' | 'now' | 'seed' | 'startAt'>
> & {
  dataFile?: string;
  url: string | null;
  latency: LatencyModel | null;
};

/** Every option with its default; the virtual clock charges realistic latency unless told otherwise. */
export function resolveOptions(options: BackendOptions, virtual: boolean): ResolvedOptions {
  return {
    timeZone: options.timeZone ?? 'Europe/London',
    mailQuotaPerDay: options.mailQuotaPerDay ?? 100,
    executionTimeLimitMs: options.executionTimeLimitMs ?? 6 * 60e3,
    gmailOpsPerDay: options.gmailOpsPerDay ?? 20000,
    // Modelled time costs nothing real, so the virtual clock charges realistic latency by default.
    latency: options.latency === undefined ? (virtual ? REALISTIC_LATENCY : null) : options.latency,
    latencyScale: options.latencyScale ?? 1,
    url: options.url ?? null,
    owner: options.owner ?? 'host@example.com',
    dataFile: options.dataFile,
    onKill: options.onKill ?? 'discard',
    clock: virtual ? 'virtual' : 'real',
    jitter: options.jitter ?? 0.5,
    // Google publishes no figure; this is on the strict side of what public reports suggest.
    lockRateMax: options.lockRateMax ?? 10,
    lockRateWindowMs: options.lockRateWindowMs ?? 1000,
    maxConcurrent: options.maxConcurrent ?? 30,
    overflow: options.overflow ?? 'queue',
    queueLimit: options.queueLimit ?? Infinity,
    cacheEviction: options.cacheEviction ?? 0,
    propertyOpsPerDay: options.propertyOpsPerDay ?? 50000,
    triggerMsPerDay: options.triggerMsPerDay ?? 90 * 60e3,
    realTimeLimitMs: options.realTimeLimitMs ?? 120e3,
    gmailAfterEpoch: options.gmailAfterEpoch ?? 'seconds',
    gmailReplyInReplyTo: options.gmailReplyInReplyTo ?? true,
    gmailAuthResultsAt: options.gmailAuthResultsAt ?? 'top',
    gmailGettersCount: options.gmailGettersCount ?? false,
    ungrantedScopes: options.ungrantedScopes ?? [],
    getUrlOutsideWebApp: options.getUrlOutsideWebApp ?? 'dev',
    locale: options.locale ?? 'en_US',
    topNavigation: options.topNavigation ?? 'forbid',
  };
}
