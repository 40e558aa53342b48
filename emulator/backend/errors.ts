/**
 * Google's error texts, word for word: the product matches some of them (the daily quotas, the
 * lock rate limit), so a test that passes here must see what the script would see on Google.
 */
import { GasError } from '../spreadsheet';

export { GasError };

export const ERR = {
  lockTimeout: 'Lock timeout: another process was holding the lock for too long.',
  mailQuota: 'Service invoked too many times for one day: email.',
  gmailQuota: 'Service invoked too many times for one day: gmail.',
  timeLimit: 'Exceeded maximum execution time',
  noUi: 'Cannot call SpreadsheetApp.getUi() from this context.',
  tooManyTriggers:
    'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
  lockRate: 'There are too many LockService operations against the same script.',
  tooManyExecutions:
    'Too many simultaneous invocations: Service invoked too many times in a short time: exec qps.',
  triggerTime: 'Service using too much computer time for one day',
  propsQuota: 'Service invoked too many times for one day: properties.',
  // UrlFetchApp. Google's texts as seen in logs; the first two are unsure in wording.
  badUrl: (url: string) => `Invalid argument: ${url}`,
  unreachable: (url: string) => `Address unavailable: ${url}`,
  fetchFailed: (url: string, code: number, body: string) =>
    `Request failed for ${url.replace(/^(https?:\/\/[^/]+).*$/i, '$1')} returned code ${code}. ` +
    `Truncated server response: ${body.slice(0, 100)} (use muteHttpExceptions option to examine full response)`,
  noPermission: (what: string) =>
    `You do not have permission to call ${what}. Required permissions are not available in a simple trigger.`,
};
