/**
 * OAuth scopes: on Google, a call whose service needs a scope the manifest does not list fails with
 * "You do not have permission to call …". The emulator checks every backend call against
 * dist/appsscript.json's oauthScopes, so a missing scope fails the tests here, not first on Google.
 */

const SPREADSHEET = [
  'https://www.googleapis.com/auth/spreadsheets.currentonly',
  'https://www.googleapis.com/auth/spreadsheets',
];

/** Backend method prefix → the scopes, any one of which allows it. Calls not listed need none. */
const RULES: ReadonlyArray<[RegExp, string, readonly string[]]> = [
  [/^gmail\./, 'GmailApp', ['https://mail.google.com/']],
  [/^mail\./, 'MailApp', ['https://www.googleapis.com/auth/script.send_mail', 'https://mail.google.com/']],
  [/^triggers\./, 'ScriptApp', ['https://www.googleapis.com/auth/script.scriptapp']],
  [/^urlfetch\./, 'UrlFetchApp', ['https://www.googleapis.com/auth/script.external_request']],
  [/^(ss|sheet|range)\.|^flush$/, 'SpreadsheetApp', SPREADSHEET],
  [/^ui\./, 'Ui', ['https://www.googleapis.com/auth/script.container.ui']],
  [
    /^session\.(effectiveUser|activeUser)$/,
    'Session.getEffectiveUser().getEmail',
    ['https://www.googleapis.com/auth/userinfo.email'],
  ],
];

/** A checker for one manifest, or null when the manifest lists no scopes (Apps Script then infers them). */
export function scopeChecker(manifestJson: string | undefined): ((method: string) => string | null) | null {
  if (!manifestJson) return null;
  let scopes: string[] | undefined;
  try {
    scopes = (JSON.parse(manifestJson) as { oauthScopes?: string[] }).oauthScopes;
  } catch {
    return null;
  }
  if (!scopes) return null;
  const have = new Set(scopes);
  return (method) => {
    for (const [re, service, any] of RULES) {
      if (re.test(method) && !any.some((s) => have.has(s)))
        return `You do not have permission to call ${service} (${method}). Required permissions: ${any[0]}`;
    }
    return null;
  };
}

/**
 * Simple triggers (onOpen, onEdit by those names) run with limited authorization: services that
 * need the user's consent throw there, whatever the manifest says. The spreadsheet they are bound
 * to, its UI, properties, cache and locks stay available.
 */
export function simpleTriggerDenial(method: string): string | null {
  for (const [re, service, any] of RULES) {
    if (re.test(method) && !/^(ss|sheet|range)\.|^flush$|^ui\./.test(method))
      return `You do not have permission to call ${service} (${method}). Required permissions: ${any[0]}`;
  }
  return null;
}

/**
 * A manifest scope the host did not grant (Google's granular consent lets them untick some): a call
 * that needs it fails as if the manifest lacked it. `granted`: the manifest's scopes, less those.
 */
export function ungrantedDenial(method: string, granted: readonly string[]): string | null {
  const have = new Set(granted);
  for (const [re, service, any] of RULES) {
    if (re.test(method) && !any.some((s) => have.has(s)))
      return `You do not have permission to call ${service} (${method}). Required permissions: ${any[0]}`;
  }
  return null;
}
