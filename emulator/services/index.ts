/**
 * The Apps Script service globals, as seen by one execution: one file per global (or pair), each
 * a factory over the execution's ServiceEnv (env.ts). Every method that Google would serve is a
 * synchronous round trip (`rpc`) to the backend; objects here only hold identifiers. Anything the
 * product may call that is not here throws "not emulated: X.y" (see `strict`).
 */
import { type ServiceEnv } from './env';
import { gmailApp } from './gmail-app';
import { contentService, htmlService } from './html-and-content';
import { lockService } from './lock-service';
import { mailApp } from './mail-app';
import { cacheService, propertiesService } from './properties-and-cache';
import { scriptApp } from './script-app';
import { consoleLog, logger, session } from './session-and-logging';
import { spreadsheetApp } from './spreadsheet-app';
import { urlFetchApp } from './url-fetch-app';
import { utilities } from './utilities';

export { strict, type Rpc, type ServiceEnv } from './env';

export function createServices(env: ServiceEnv) {
  const spreadsheet = spreadsheetApp(env);
  const globals = {
    SpreadsheetApp: spreadsheet.SpreadsheetApp,
    LockService: lockService(env),
    PropertiesService: propertiesService(env),
    CacheService: cacheService(env),
    MailApp: mailApp(env),
    GmailApp: gmailApp(env),
    ScriptApp: scriptApp(env),
    HtmlService: htmlService(env),
    ContentService: contentService(),
    UrlFetchApp: urlFetchApp(env),
    Utilities: utilities(env),
    Session: session(env),
    Logger: logger(env),
    console: consoleLog(env),
  };
  return { globals, makeRange: spreadsheet.makeRange, makeSpreadsheet: spreadsheet.makeSpreadsheet };
}
