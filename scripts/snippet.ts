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

const CLIENT = path.join(__dirname, '..', 'src', 'ui', 'Client.html');

const attr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function snippet(url: string): string {
  const client = fs.readFileSync(CLIENT, 'utf8').trim();
  return `<!-- RSVP form (sheet-rsvp): paste anywhere in your page. -->
<div class="rsvp" data-rsvp data-rsvp-state>
  <p class="rsvp-seats" data-rsvp-seats></p>
  <div class="rsvp-answer" data-rsvp-answer role="status" aria-live="polite" tabindex="-1"></div>
  <form class="rsvp-form" method="post" action="${attr(url)}">
    <input type="hidden" name="action" value="register">
    <input type="hidden" name="ts" value="">
    <p><label>Name <input name="name" type="text" autocomplete="name" maxlength="200" required></label></p>
    <p><label>Email <input name="email" type="email" autocomplete="email" maxlength="254" required></label></p>
    <div style="position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden" aria-hidden="true"><label>Leave this empty <input name="website" type="text" tabindex="-1" autocomplete="off"></label></div>
    <button type="submit">Reserve my seat</button>
  </form>
</div>
${client}
`;
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
