/**
 * `npm run -s snippet -- <web app URL> > rsvp-form.html`: prints a form any static page can host,
 * and nothing else on stdout (errors and build output go to stderr).
 *
 * Without JavaScript it is a plain form that posts to the web app (the answer is a page there).
 * With JavaScript (src/ui/Client.html, the same script as on /exec) it asks the web app for the
 * event's state on load (GET format=json: the button says "Join the waitlist" when full), and
 * answers in place: per-field errors, the answer in a live region that takes focus, retries when
 * busy. Apps Script answers /exec with Access-Control-Allow-Origin: *, and neither a plain GET nor
 * a form-urlencoded POST needs a CORS preflight, so this works from any origin, even file://.
 * It sets no colours: it takes the host page's text colour, so its contrast is the page's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { embedSnippet } from '../src/core/embed';

const CLIENT = path.join(__dirname, '..', 'src', 'ui', 'Client.html');

export function snippet(url: string): string {
  return embedSnippet(url, fs.readFileSync(CLIENT, 'utf8'));
}

export function usage(): string {
  return 'usage: npm run -s snippet -- <web app URL, e.g. https://script.google.com/macros/s/…/exec> > rsvp-form.html';
}

/** The URL a host passes, or null when it is not an absolute http(s) URL. */
export function webAppUrl(arg: string | undefined): string | null {
  if (!arg) return null;
  try {
    const u = new URL(arg);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

if (require.main === module) {
  const url = webAppUrl(process.argv[2]);
  if (!url) {
    console.error(usage());
    process.exit(2);
  }
  process.stdout.write(snippet(url));
}
