/**
 * Where the form's public /exec link is kept: Script Properties, one read per execution that needs a
 * link. Learned from each live /exec request (the only context where getUrl() is the public address),
 * unless the host set one (dashboard). See core/public-link.ts.
 */
import { isExecUrl } from '../core/public-link';
import { deleteScriptProp, scriptProp, setScriptProp } from './script-props';

const LEARNED = 'rsvp.url.learned';
const SET_BY_HOST = 'rsvp.url.host';

/** This execution's answer (each execution is a fresh script context). */
let memo: string | null | undefined;

function stored(): { learned: string; host: string } {
  return { learned: scriptProp(LEARNED) ?? '', host: scriptProp(SET_BY_HOST) ?? '' };
}

/** The link every email and page is built from, or null until it is known. */
export function publicUrl(): string | null {
  if (memo === undefined) {
    const s = stored();
    memo = s.host || s.learned || null;
  }
  return memo;
}

/**
 * In a live /exec request (doGet/doPost): this request's URL is the public one. Keep it for the
 * executions that cannot ask (triggers, the menu). Never a /dev URL (an editor testing the form).
 */
export function learnPublicUrl(): void {
  let here = '';
  try {
    here = String(ScriptApp.getService().getUrl() ?? '');
  } catch {
    // No service URL (not deployed): nothing to learn.
  }
  const s = stored();
  const exec = isExecUrl(here) ? here : '';
  if (exec && exec !== s.learned) {
    try {
      setScriptProp(LEARNED, exec);
    } catch (e) {
      console.warn(`could not keep the web app's link: ${String(e)}`);
    }
  }
  memo = s.host || exec || s.learned || null;
}

/** The host's own link ('' clears it: the learned one applies again). */
export function setHostUrl(url: string): void {
  if (url) setScriptProp(SET_BY_HOST, url);
  else deleteScriptProp(SET_BY_HOST);
  memo = undefined;
}

/** Both links, for the dashboard. */
export function publicUrls(): { effective: string | null; learned: string; host: string } {
  const s = stored();
  return { effective: s.host || s.learned || null, ...s };
}
