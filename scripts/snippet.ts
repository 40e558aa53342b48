/**
 * `npm run snippet -- <web app URL>`: prints a form any static page can host. It posts straight to
 * the web app (works without JavaScript: the answer is a page); with JavaScript it asks for
 * format=json and shows the answer in place. Apps Script answers /exec with
 * Access-Control-Allow-Origin: *, and a form-urlencoded POST needs no CORS preflight.
 */
export function snippet(url: string): string {
  const action = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<!-- RSVP form: paste anywhere in your page -->
<form class="rsvp-form" method="post" action="${action}">
  <input type="hidden" name="action" value="register">
  <label>Name <input name="name" type="text" autocomplete="name" maxlength="200" required></label>
  <label>Email <input name="email" type="email" autocomplete="email" maxlength="254" required></label>
  <span style="position:absolute;left:-10000px" aria-hidden="true"><input name="website" tabindex="-1" autocomplete="off"></span>
  <button type="submit">Reserve my seat</button>
  <p class="rsvp-answer" role="status" aria-live="polite"></p>
</form>
<script>
(function () {
  var forms = document.querySelectorAll('form.rsvp-form');
  Array.prototype.forEach.call(forms, function (form) {
    if (!window.fetch || !window.URLSearchParams) return;
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      data.set('format', 'json');
      var out = form.querySelector('.rsvp-answer');
      fetch(form.action, { method: 'POST', body: data })
        .then(function (r) { return r.json(); })
        .then(function (a) { out.textContent = a.message + (a.detail ? ' ' + a.detail : ''); })
        .catch(function () { form.submit(); });
    });
  });
})();
</script>
`;
}

if (require.main === module) {
  const url = process.argv[2];
  if (!url || !/^https?:\/\//.test(url)) {
    console.error('usage: npm run snippet -- <web app URL, e.g. https://script.google.com/macros/s/…/exec>');
    process.exit(2);
  }
  process.stdout.write(snippet(url));
}
