/**
 * The backend: the Google side of the emulator (see core.ts). Import it from here; each service's
 * calls are in the file named for it:
 *
 *   core.ts         the Backend: executions, the clock (virtual or real) and each call's cost,
 *                   the host's own actions (edits, inbound mail), persistence
 *   spreadsheet.ts  SpreadsheetApp (ss., sheet., range., flush)
 *   lock.ts         LockService: locks, waiters, the rate limit
 *   properties.ts   PropertiesService and its quota     cache.ts      CacheService
 *   mail.ts         MailApp, sending, the mail quota    gmail.ts      GmailApp and its quota
 *   script.ts       ScriptApp (triggers), Session, Ui, Logger            utilities.ts  Utilities.sleep
 *   options.ts      BackendOptions, the latency model   errors.ts     Google's error texts
 *   types.ts        executions, sent mail, triggers, quotas, saved state
 */
export { Backend } from './core';
export { ERR, GasError } from './errors';
export { REALISTIC_LATENCY } from './options';
export type { BackendOptions, LatencyModel } from './options';
export type { ExecState, ExecutionContext, SentMail, TriggerSpec } from './types';
