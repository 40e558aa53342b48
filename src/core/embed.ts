/**
 * The form any static page can host (the embed): a plain form that posts to the web app, plus the
 * same script as /exec (src/ui/Client.html, passed in). Pure: `npm run snippet` writes it, and the
 * dashboard shows it with a copy button.
 */
const attr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * `fields`: the host's questions as form fields (core/question-fields.ts), as they are when the
 * snippet is copied: a question added later needs the snippet copied again (the /exec page always
 * asks the current ones).
 */
export function embedSnippet(url: string, clientScript: string, fields = ''): string {
  const client = clientScript.trim();
  return `<!-- RSVP form (sheet-rsvp): paste anywhere in your page. -->
<div class="rsvp" data-rsvp data-rsvp-state>
  <p class="rsvp-seats" data-rsvp-seats></p>
  <div class="rsvp-answer" data-rsvp-answer role="status" aria-live="polite" tabindex="-1"></div>
  <form class="rsvp-form" method="post" action="${attr(url)}">
    <input type="hidden" name="action" value="register">
    <input type="hidden" name="ts" value="">
    <p><label>Name <input name="name" type="text" autocomplete="name" maxlength="200" required></label></p>
    <p><label>Email <input name="email" type="email" autocomplete="email" maxlength="254" required></label></p>
${fields ? `    ${fields.split('\n').join('\n    ')}\n` : ''}    <div style="position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden" aria-hidden="true"><label>Leave this empty <input name="website" type="text" tabindex="-1" autocomplete="off"></label></div>
    <button type="submit">Reserve my seat</button>
  </form>
</div>
${client}
`;
}
