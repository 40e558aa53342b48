/**
 * The form's public link: the web app's /exec URL. Outside a live /exec request (time triggers, the
 * menu, the editor) ScriptApp.getService().getUrl() answers the /dev URL, which only the script's
 * editors can open (docs/apps-script-facts.md), so links are never built from it there: the product
 * learns the /exec URL from a real request, or the host sets it. Pure.
 */

/**
 * An absolute http(s) URL whose path ends in /exec, with no query, fragment, spaces or credentials.
 * (A regular expression: Apps Script has no URL class.)
 */
export function isExecUrl(url: string): boolean {
  return /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%!$&'()*+,;=:@-]*)*\/exec$/.test(url);
}

/** What the host pasted as the link: the URL to keep ('' clears it), or why it cannot be the link. */
export function checkPublicLink(text: string): { ok: true; url: string } | { ok: false; message: string } {
  const url = String(text ?? '').trim();
  if (!url) return { ok: true, url: '' };
  if (/\/dev\/?$/.test(url.split(/[?#]/)[0]))
    return {
      ok: false,
      message:
        'That is the /dev link, which only you (the script’s editors) can open. Use the /exec link from Deploy → Manage deployments.',
    };
  if (!isExecUrl(url))
    return {
      ok: false,
      message:
        'That is not a web app link. Copy the URL ending in /exec from Deploy → Manage deployments (e.g. https://script.google.com/macros/s/…/exec).',
    };
  return { ok: true, url };
}
