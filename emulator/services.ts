/**
 * The Apps Script service globals, as seen by one execution. Every method that Google would
 * serve is a synchronous round trip (`rpc`) to the backend; objects here only hold identifiers.
 * Anything the product may call that is not here throws "not emulated: X.y" (see `strict`).
 */
import * as crypto from 'crypto';
import { colToLetters, type RangeRef } from './spreadsheet';
import { formatDate, parseDate } from './dates';
import { compileTemplate } from './templates';

export type Rpc = (method: string, ...args: unknown[]) => unknown;

/** A proxy that throws a clear error for any member we do not emulate. */
export function strict<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(t, prop, recv) {
      if (typeof prop === 'symbol' || prop in t) return Reflect.get(t, prop, recv);
      if (prop === 'then' || prop === 'toJSON') return undefined;
      throw new Error(`not emulated: ${name}.${String(prop)}`);
    },
  });
}

interface SheetRef {
  id: number;
  name: string;
}

export interface ServiceEnv {
  rpc: Rpc;
  files: Record<string, string>;
  /** Runs template code inside the execution's context. */
  makeFunction: (...args: string[]) => (...a: unknown[]) => unknown;
  logs: string[];
  /** An error of the execution's realm, named as Apps Script names its exceptions. */
  error: (message: string) => Error;
  /** Copies a value into the execution's realm, so `instanceof Date`/`Array` hold in the script. */
  toRealm: (value: unknown) => unknown;
  /** Utilities.getUuid: seeded under the virtual clock, so a run can be replayed. */
  uuid?: () => string;
  /** The script's Date.now(). */
  now?: () => number;
}

export function createServices(env: ServiceEnv): {
  globals: Record<string, unknown>;
  makeRange: (ref: RangeRef, sheet: SheetRef) => GoogleAppsScript.Spreadsheet.Range;
  makeSpreadsheet: () => unknown;
} {
  const { rpc } = env;
  /** Arrays built here are copied into the script's realm (their elements stay service objects). */
  const arr = <T>(xs: T[]): T[] => {
    const out = env.toRealm([]) as T[];
    for (const x of xs) out.push(x);
    return out;
  };

  // ---------------------------------------------------------------- Spreadsheet
  const range = (ref: RangeRef, sheet: SheetRef): GoogleAppsScript.Spreadsheet.Range => {
    const r = {
      getRow: () => ref.row,
      getColumn: () => ref.col,
      getNumRows: () => ref.numRows,
      getNumColumns: () => ref.numCols,
      getLastRow: () => ref.row + ref.numRows - 1,
      getLastColumn: () => ref.col + ref.numCols - 1,
      getA1Notation: () => a1(ref),
      getSheet: () => sheetObj(sheet),
      getValues: () => rpc('range.getValues', ref),
      getValue: () => rpc('range.getValue', ref),
      getDisplayValues: () => rpc('range.getDisplayValues', ref),
      getDisplayValue: () => rpc('range.getDisplayValue', ref),
      getFormulas: () => rpc('range.getFormulas', ref),
      setValues: (values: unknown[][]) => (rpc('range.setValues', ref, values), r),
      setValue: (value: unknown) => (rpc('range.setValue', ref, value), r),
      clearContent: () => (rpc('range.clearContent', ref), r),
      setNumberFormat: (f: string) => (rpc('range.setNumberFormat', ref, f), r),
      setNote: (n: string) => (rpc('range.setNote', ref, n), r),
      getNote: () => rpc('range.getNote', ref),
      setFontWeight: () => (rpc('range.style', ref), r),
      setFontColor: () => (rpc('range.style', ref), r),
      setBackground: () => (rpc('range.style', ref), r),
      setWrap: () => (rpc('range.style', ref), r),
      setHorizontalAlignment: () => (rpc('range.style', ref), r),
    };
    return strict('Range', r) as unknown as GoogleAppsScript.Spreadsheet.Range;
  };

  const sheetObj = (s: SheetRef): GoogleAppsScript.Spreadsheet.Sheet => {
    const sh = {
      getName: () => rpc('sheet.getName', s.id),
      setName: (n: string) => (rpc('sheet.setName', s.id, n), sh),
      getSheetId: () => s.id,
      getLastRow: () => rpc('sheet.getLastRow', s.id),
      getLastColumn: () => rpc('sheet.getLastColumn', s.id),
      getMaxRows: () => rpc('sheet.getMaxRows', s.id),
      getMaxColumns: () => rpc('sheet.getMaxColumns', s.id),
      getFrozenRows: () => rpc('sheet.getFrozenRows', s.id),
      getRange: (a: number | string, col?: number, numRows?: number, numCols?: number) =>
        range(
          (typeof a === 'string'
            ? rpc('sheet.getRangeA1', s.id, a)
            : rpc('sheet.getRange', s.id, a, col, numRows ?? 1, numCols ?? 1)) as RangeRef,
          s,
        ),
      getDataRange: () => range(rpc('sheet.getDataRange', s.id) as RangeRef, s),
      appendRow: (values: unknown[]) => (rpc('sheet.appendRow', s.id, values), sh),
      insertRowsAfter: (after: number, n: number) => (rpc('sheet.insertRowsAfter', s.id, after, n), sh),
      deleteRows: (row: number, n: number) => rpc('sheet.deleteRows', s.id, row, n),
      setFrozenRows: (n: number) => rpc('sheet.setFrozenRows', s.id, n),
      hideColumns: (c: number, n?: number) => rpc('sheet.hideColumns', s.id, c, n ?? 1),
      showColumns: (c: number, n?: number) => rpc('sheet.showColumns', s.id, c, n ?? 1),
      isColumnHiddenByUser: (c: number) => rpc('sheet.isColumnHiddenByUser', s.id, c),
      setColumnWidth: (c: number, w: number) => (rpc('sheet.setColumnWidth', s.id, c, w), sh),
      protect: () => {
        const p = {
          setDescription: (d: string) => (rpc('sheet.protect', s.id, d), p),
          setWarningOnly: () => p,
        };
        return strict('Protection', p);
      },
      clear: () => (rpc('sheet.clear', s.id), sh),
      activate: () => sh,
    };
    return strict('Sheet', sh) as unknown as GoogleAppsScript.Spreadsheet.Sheet;
  };

  const ui = () => {
    rpc('ui.check');
    const u = {
      createMenu: (name: string) => {
        const items: Array<{ caption: string; fn: string } | null> = [];
        const menu = {
          addItem: (caption: string, fn: string) => (items.push({ caption, fn }), menu),
          addSeparator: () => (items.push(null), menu),
          addToUi: () => void rpc('ui.menu', name, items),
        };
        return strict('Menu', menu);
      },
      alert: (a: string, b?: string) => rpc('ui.alert', b ?? a),
      ButtonSet: { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO' },
      Button: { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' },
    };
    return strict('Ui', u);
  };

  const spreadsheetObj = () => {
    const ss = {
      getId: () => rpc('ss.getId'),
      getName: () => rpc('ss.getName'),
      getUrl: () => rpc('ss.getUrl'),
      getSpreadsheetTimeZone: () => rpc('ss.getTimeZone'),
      getSheets: () => arr((rpc('ss.getSheets') as SheetRef[]).map(sheetObj)),
      getSheetByName: (n: string) => {
        const s = rpc('ss.getSheetByName', n) as SheetRef | null;
        return s ? sheetObj(s) : null;
      },
      insertSheet: (n: string, i?: number) => sheetObj(rpc('ss.insertSheet', n, i) as SheetRef),
      deleteSheet: (sh: GoogleAppsScript.Spreadsheet.Sheet) => rpc('ss.deleteSheet', sh.getSheetId()),
      toast: (msg: string, title?: string, timeout?: number) =>
        rpc('ss.toast', msg, title ?? '', timeout ?? 5),
      getRange: (a1str: string) => {
        const m = /^'?(.+?)'?!(.+)$/.exec(a1str);
        if (!m) throw new Error('not emulated: Spreadsheet.getRange without a sheet name');
        const s = rpc('ss.getSheetByName', m[1]) as SheetRef | null;
        if (!s) throw env.error('Range not found');
        return range(rpc('sheet.getRangeA1', s.id, m[2]) as RangeRef, s);
      },
    };
    return strict('Spreadsheet', ss);
  };

  const SpreadsheetApp = strict('SpreadsheetApp', {
    getActiveSpreadsheet: () => (rpc('ss.get'), spreadsheetObj()),
    getActive: () => (rpc('ss.get'), spreadsheetObj()),
    flush: () => void rpc('flush'),
    getUi: ui,
  });

  // ---------------------------------------------------------------- Lock
  const lock = (name: string) =>
    strict('Lock', {
      tryLock: (ms: number) => rpc('lock.acquire', name, Math.max(0, Number(ms) || 0)) as boolean,
      waitLock: (ms: number) => {
        if (!rpc('lock.acquire', name, Math.max(0, Number(ms) || 0))) {
          throw env.error('Lock timeout: another process was holding the lock for too long.');
        }
      },
      releaseLock: () => void rpc('lock.release', name),
      hasLock: () => rpc('lock.has', name) as boolean,
    });
  const LockService = strict('LockService', {
    getScriptLock: () => lock('script'),
    getDocumentLock: () => lock('document'),
    getUserLock: () => lock('user'),
  });

  // ---------------------------------------------------------------- Properties and cache
  const props = (store: string) => {
    const p = {
      getProperty: (k: string) => rpc('props.get', store, k),
      getProperties: () => rpc('props.getAll', store),
      getKeys: () => rpc('props.keys', store),
      setProperty: (k: string, v: string) => (rpc('props.set', store, k, String(v)), p),
      setProperties: (o: Record<string, string>, del?: boolean) => (rpc('props.setAll', store, o, !!del), p),
      deleteProperty: (k: string) => (rpc('props.delete', store, k), p),
      deleteAllProperties: () => (rpc('props.deleteAll', store), p),
    };
    return strict('Properties', p);
  };
  const PropertiesService = strict('PropertiesService', {
    getScriptProperties: () => props('script'),
    getUserProperties: () => props('user'),
    getDocumentProperties: () => props('document'),
  });
  const cache = strict('Cache', {
    get: (k: string) => rpc('cache.get', k),
    getAll: (ks: string[]) => rpc('cache.getAll', ks),
    put: (k: string, v: string, ttl?: number) => void rpc('cache.put', k, String(v), ttl),
    putAll: (o: Record<string, string>, ttl?: number) => void rpc('cache.putAll', o, ttl),
    remove: (k: string) => void rpc('cache.remove', k),
    removeAll: (ks: string[]) => void rpc('cache.removeAll', ks),
  });
  const CacheService = strict('CacheService', {
    getScriptCache: () => cache,
    getDocumentCache: () => cache,
    getUserCache: () => cache,
  });

  // ---------------------------------------------------------------- Mail
  type MailOpts = {
    htmlBody?: string;
    name?: string;
    replyTo?: string;
    cc?: string;
    bcc?: string;
    attachments?: Blob[];
    noReply?: boolean;
  };
  const mailArgs = (a: unknown, subject?: string, body?: string, options?: MailOpts) => {
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
    };
  };
  const MailApp = strict('MailApp', {
    sendEmail: (a: unknown, s?: string, b?: string, o?: MailOpts) =>
      void rpc('mail.send', mailArgs(a, s, b, o)),
    getRemainingDailyQuota: () => rpc('mail.quota'),
  });

  // ---------------------------------------------------------------- Gmail
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
  const mailOpts = (o?: MailOpts) =>
    o ? { ...o, attachments: (o.attachments ?? []).map((b) => b.toWire()) } : {};
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
      getMessages: () => arr((rpc('gmail.thread.messages', id) as string[]).map(gmailMessage)),
      getMessageCount: () => (rpc('gmail.thread.messages', id) as string[]).length,
      getLabels: () => arr((rpc('gmail.thread.labels', id) as string[]).map(label)),
      addLabel: (l: { getName(): string }) => (rpc('gmail.thread.addLabel', id, l.getName()), t),
      removeLabel: (l: { getName(): string }) => (rpc('gmail.thread.removeLabel', id, l.getName()), t),
      markRead: () => (rpc('gmail.thread.markRead', id), t),
      moveToArchive: () => (rpc('gmail.thread.moveToArchive', id), t),
      reply: (body: string, o?: MailOpts) => (rpc('gmail.thread.reply', id, body, mailOpts(o)), t),
    };
    return strict('GmailThread', t);
  };
  const GmailApp = strict('GmailApp', {
    search: (q: string, start?: number, max?: number) =>
      arr((rpc('gmail.search', q, start ?? 0, max ?? 500) as string[]).map(gmailThread)),
    getThreadById: (id: string) => (rpc('gmail.getThreadById', id) ? gmailThread(id) : null),
    getMessageById: (id: string) => (rpc('gmail.getMessageById', id) ? gmailMessage(id) : null),
    getAliases: () => arr(rpc('gmail.getAliases') as string[]),
    getUserLabelByName: (n: string) => (rpc('gmail.getUserLabelByName', n) ? label(n) : null),
    createLabel: (n: string) => label(rpc('gmail.createLabel', n) as string),
    sendEmail: (a: unknown, s?: string, b?: string, o?: MailOpts) =>
      void rpc('gmail.sendEmail', mailArgs(a, s, b, o)),
  });

  // ---------------------------------------------------------------- Script and triggers
  const triggerObj = (t: { id: string; handlerFunction: string; eventType: string }) =>
    strict('Trigger', {
      getUniqueId: () => t.id,
      getHandlerFunction: () => t.handlerFunction,
      getEventType: () => t.eventType,
    });
  const ScriptApp = strict('ScriptApp', {
    getService: () => strict('Service', { getUrl: () => rpc('script.url') }),
    getProjectTriggers: () =>
      arr(
        (rpc('triggers.list') as Array<{ id: string; handlerFunction: string; eventType: string }>).map(
          triggerObj,
        ),
      ),
    deleteTrigger: (t: { getUniqueId(): string }) => void rpc('triggers.delete', t.getUniqueId()),
    newTrigger: (fn: string) => {
      const spec: Record<string, unknown> = { handlerFunction: fn };
      const create = () =>
        triggerObj({
          ...(spec as { handlerFunction: string; eventType: string }),
          id: rpc('triggers.create', spec) as string,
        });
      const clock = {
        everyMinutes: (n: number) => {
          if (![1, 5, 10, 15, 30].includes(n)) {
            throw env.error('The value passed to everyMinutes must be one of 1, 5, 10, 15 or 30.');
          }
          spec.everyMinutes = n;
          return clock;
        },
        everyHours: (n: number) => ((spec.everyHours = n), clock),
        // The script's clock (modelled time under the virtual clock).
        after: (ms: number) => ((spec.at = (env.now ? env.now() : Date.now()) + ms), clock),
        at: (d: Date) => ((spec.at = d.getTime()), clock),
        create,
      };
      const ssb = {
        onEdit: () => ((spec.eventType = 'ON_EDIT'), ssb),
        onOpen: () => ((spec.eventType = 'ON_OPEN'), ssb),
        onChange: () => ((spec.eventType = 'ON_CHANGE'), ssb),
        create,
      };
      return strict('TriggerBuilder', {
        timeBased: () => ((spec.eventType = 'CLOCK'), strict('ClockTriggerBuilder', clock)),
        forSpreadsheet: () => strict('SpreadsheetTriggerBuilder', ssb),
      });
    },
    EventType: { CLOCK: 'CLOCK', ON_EDIT: 'ON_EDIT', ON_OPEN: 'ON_OPEN', ON_CHANGE: 'ON_CHANGE' },
  });

  // ---------------------------------------------------------------- Html and content
  const htmlOutput = (content: string) => {
    const state = {
      content,
      title: '',
      xframe: 'DEFAULT',
      meta: [] as Array<{ name: string; content: string }>,
    };
    const o = {
      __kind: 'html',
      __state: state,
      getContent: () => state.content,
      setContent: (c: string) => ((state.content = c), o),
      append: (c: string) => ((state.content += c), o),
      setTitle: (t: string) => ((state.title = String(t)), o),
      getTitle: () => state.title,
      setXFrameOptionsMode: (m: string) => ((state.xframe = m), o),
      addMetaTag: (name: string, c: string) => (state.meta.push({ name, content: c }), o),
      setSandboxMode: () => o,
      setFaviconUrl: () => o,
      setWidth: () => o,
      setHeight: () => o,
    };
    return strict('HtmlOutput', o);
  };
  const fileContent = (name: string) => {
    const key = name.endsWith('.html') ? name : `${name}.html`;
    const c = env.files[key];
    if (c === undefined) throw env.error(`No HTML file named ${name} was found.`);
    return c;
  };
  const HtmlService = strict('HtmlService', {
    createHtmlOutput: (html?: string) => htmlOutput(html ?? ''),
    createHtmlOutputFromFile: (name: string) => htmlOutput(fileContent(name)),
    createTemplate: (src: string) => template(src),
    createTemplateFromFile: (name: string) => template(fileContent(name)),
    XFrameOptionsMode: { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' },
    SandboxMode: { IFRAME: 'IFRAME', NATIVE: 'NATIVE', EMULATED: 'EMULATED' },
  });
  const template = (src: string) => {
    const fn = compileTemplate(src, env.makeFunction);
    const t: Record<string, unknown> = {
      evaluate: () => {
        const vars: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(t)) if (k !== 'evaluate' && k !== 'getCode') vars[k] = v;
        return htmlOutput(fn(vars));
      },
      getCode: () => src,
    };
    return t;
  };
  const ContentService = strict('ContentService', {
    createTextOutput: (s?: string) => {
      const state = { content: s ?? '', mimeType: 'text/plain' };
      const o = {
        __kind: 'text',
        __state: state,
        getContent: () => state.content,
        setContent: (c: string) => ((state.content = c), o),
        append: (c: string) => ((state.content += c), o),
        setMimeType: (m: string) => ((state.mimeType = m), o),
        getMimeType: () => state.mimeType,
      };
      return strict('TextOutput', o);
    },
    MimeType: { JSON: 'application/json', TEXT: 'text/plain', CSV: 'text/csv', ICAL: 'text/calendar' },
  });

  // ---------------------------------------------------------------- Utilities
  class Blob {
    constructor(
      private bytes: Buffer,
      private contentType: string,
      private name: string,
    ) {}
    getDataAsString = () => this.bytes.toString('utf8');
    getBytes = () => env.toRealm([...this.bytes].map((b) => (b > 127 ? b - 256 : b)));
    getContentType = () => this.contentType;
    getName = () => this.name;
    setName = (n: string) => ((this.name = n), this);
    toWire = () => ({ name: this.name, contentType: this.contentType, data: this.bytes.toString('base64') });
  }
  const toBuf = (v: unknown, charset?: string) =>
    Array.isArray(v)
      ? Buffer.from(v.map((b: number) => b & 255))
      : Buffer.from(String(v), charset === 'US_ASCII' ? 'ascii' : 'utf8');
  const signed = (b: Buffer) => [...b].map((x) => (x > 127 ? x - 256 : x));
  const DigestAlgorithm = { MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_512: 'sha512' };
  const Utilities = strict('Utilities', {
    getUuid: () => (env.uuid ? env.uuid() : crypto.randomUUID()),
    formatDate: (d: Date, tz: string, pattern: string) => formatDate(new Date(d.getTime()), tz, pattern),
    parseDate: (s: string, tz: string, pattern: string) => env.toRealm(parseDate(s, tz, pattern)),
    sleep: (ms: number) => void rpc('utilities.sleep', ms),
    computeDigest: (alg: string, value: unknown) =>
      env.toRealm(signed(crypto.createHash(alg).update(toBuf(value)).digest())),
    computeHmacSha256Signature: (value: unknown, key: unknown) =>
      env.toRealm(signed(crypto.createHmac('sha256', toBuf(key)).update(toBuf(value)).digest())),
    base64Encode: (v: unknown) => toBuf(v).toString('base64'),
    base64EncodeWebSafe: (v: unknown) => toBuf(v).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
    base64Decode: (s: string) => env.toRealm(signed(Buffer.from(s, 'base64'))),
    newBlob: (data: unknown, contentType?: string, name?: string) =>
      new Blob(toBuf(data), contentType ?? 'application/octet-stream', name ?? ''),
    DigestAlgorithm,
    Charset: { UTF_8: 'UTF_8', US_ASCII: 'US_ASCII' },
  });

  // ---------------------------------------------------------------- Session and logging
  const Session = strict('Session', {
    getScriptTimeZone: () => rpc('session.scriptTimeZone'),
    getEffectiveUser: () => strict('User', { getEmail: () => rpc('session.effectiveUser') }),
    getActiveUser: () => strict('User', { getEmail: () => rpc('session.activeUser') }),
    getTemporaryActiveUserKey: () => 'emulator-user-key',
  });
  const fmt = (args: unknown[]) =>
    args
      .map((a) => (typeof a === 'string' ? a : a instanceof Error ? String(a) : JSON.stringify(a)))
      .join(' ');
  const Logger = strict('Logger', {
    log: (...a: unknown[]) => (env.logs.push(fmt(a)), Logger),
  });
  const consoleObj = {
    log: (...a: unknown[]) => void env.logs.push(fmt(a)),
    info: (...a: unknown[]) => void env.logs.push(fmt(a)),
    warn: (...a: unknown[]) => void env.logs.push(`[warn] ${fmt(a)}`),
    error: (...a: unknown[]) => void env.logs.push(`[error] ${fmt(a)}`),
  };

  const globals = {
    SpreadsheetApp,
    LockService,
    PropertiesService,
    CacheService,
    MailApp,
    GmailApp,
    ScriptApp,
    HtmlService,
    ContentService,
    Utilities,
    Session,
    Logger,
    console: consoleObj,
  };
  return { globals, makeRange: range, makeSpreadsheet: spreadsheetObj };
}

function a1(ref: RangeRef): string {
  const start = `${colToLetters(ref.col)}${ref.row}`;
  if (ref.numRows === 1 && ref.numCols === 1) return start;
  return `${start}:${colToLetters(ref.col + ref.numCols - 1)}${ref.row + ref.numRows - 1}`;
}
