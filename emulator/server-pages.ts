/** HTML for the dev server's own pages (/sheets, /mail, /inbox). Everything shown is escaped. */
import type { Backend } from './backend';
import { colToLetters } from './spreadsheet';

export const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header{background:#1a5fb4;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff}
main{padding:1rem}
nav.tabs a{display:inline-block;padding:.35rem .8rem;margin-right:.25rem;border:1px solid #bbb;border-bottom:0;border-radius:.3rem .3rem 0 0;background:#eee;color:#1a1a1a;text-decoration:none}
nav.tabs a.on{background:#fff;font-weight:600}
.split{display:flex;gap:1rem;align-items:flex-start}
.split>.sheet{flex:1;min-width:0}
.split>aside{width:340px;flex:none}
aside iframe{width:100%;height:80vh;border:1px solid #bbb;background:#fff}
.grid{overflow:auto;border:1px solid #bbb;background:#fff;max-height:70vh}
table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:.2rem .45rem;max-width:28rem;white-space:pre-wrap;overflow-wrap:anywhere;vertical-align:top}
td[data-a1]{cursor:cell}
td.sel{outline:2px solid #1a5fb4;outline-offset:-2px}
th{background:#f0f0f0;font-weight:500;position:sticky;top:0}
td.rn{background:#f0f0f0;color:#666;text-align:right;white-space:nowrap}
.hidden{color:#aaa;background:#f7f7f7}
.banner{background:#fff6d5;border:1px solid #e0c050;padding:.5rem .75rem;margin:.5rem 0;white-space:pre-wrap}
form.inline{display:flex;gap:.5rem;flex-wrap:wrap;align-items:flex-end;margin:.75rem 0}
label{display:flex;flex-direction:column;font-size:12px;color:#444}
input,textarea{font:inherit;padding:.3rem}
button{font:inherit;padding:.35rem .8rem}
.mail{background:#fff;border:1px solid #ccc;border-radius:.3rem;padding:.75rem;margin:.75rem 0}
.mail pre{white-space:pre-wrap;font:inherit}
iframe{width:100%;height:18rem;border:1px solid #ddd}
</style></head><body>
<header><strong>sheet-rsvp · local Apps Script</strong>
<a href="/exec">Form</a><a href="/sheets">Sheets</a><a href="/mail">Mail</a><a href="/inbox">Inbox</a></header>
<main>${body}</main></body></html>`;
}

export function sheetsPage(
  b: Backend,
  tab: string | null,
  banner: string,
  cell: string | null = null,
): string {
  const sheets = b.ss.sheets;
  const current = sheets.find((s) => s.name === tab) ?? sheets[0];
  const tabs = sheets
    .map(
      (s) =>
        `<a href="/sheets?tab=${encodeURIComponent(s.name)}" class="${s === current ? 'on' : ''}">${esc(s.name)}</a>`,
    )
    .join('');
  const values = current ? b.sheetValues(current.name) : [];
  const width = Math.max(1, ...values.map((r) => r.length));
  const head = Array.from({ length: width }, (_, c) => {
    const hidden = current?.hiddenColumns.includes(c + 1);
    return `<th class="${hidden ? 'hidden' : ''}">${colToLetters(c + 1)}${hidden ? ' (hidden)' : ''}</th>`;
  }).join('');
  const rows = values
    .map(
      (r, i) =>
        `<tr><td class="rn">${i + 1}</td>${Array.from({ length: width }, (_, c) => {
          const hidden = current?.hiddenColumns.includes(c + 1);
          const a1 = `${colToLetters(c + 1)}${i + 1}`;
          const note = current?.notes[`${i + 1},${c + 1}`];
          const bg = current?.backgrounds?.[`${i + 1},${c + 1}`];
          return `<td class="${hidden ? 'hidden' : ''}${a1 === cell ? ' sel' : ''}" data-a1="${a1}"${note ? ` title="${esc(note)}"` : ''}${bg ? ` style="background:${esc(bg)}"` : ''}>${esc(r[c])}</td>`;
        }).join('')}</tr>`,
    )
    .join('');
  const menus = Object.entries(b.menus)
    .map(
      ([menu, items]) =>
        `<form class="inline" method="post" action="/sheets/run"><strong>${esc(menu)} menu:</strong>` +
        `<input type="hidden" name="tab" value="${esc(current?.name)}">` +
        items
          .filter((x): x is { caption: string; fn: string } => !!x)
          .map((x) => `<button name="fn" value="${esc(x.fn)}">${esc(x.caption)}</button>`)
          .join('') +
        `</form>`,
    )
    .join('');
  const name = esc(current?.name);
  const when = (t: number | undefined) =>
    t === undefined ? '–' : new Date(t).toISOString().slice(0, 19).replace('T', ' ');
  const triggers = b.triggers.length
    ? `<details class="triggers"><summary>Triggers (${b.triggers.length}), run on this machine's clock</summary><table>
<tr><th>Function</th><th>Kind</th><th>Last run</th><th>Next run</th></tr>${b.triggers
        .map(
          (t) =>
            `<tr><td>${esc(t.handlerFunction)}</td><td>${esc(t.eventType === 'CLOCK' ? (t.everyMinutes ? `every ${t.everyMinutes} min` : t.everyHours ? `every ${t.everyHours} h` : 'once') : t.eventType)}</td>` +
            `<td>${when(t.lastRunAt)}${t.lastRunError ? ` (failed: ${esc(t.lastRunError)})` : ''}</td><td>${t.eventType === 'CLOCK' ? when(t.nextRunAt) : 'on the event'}</td></tr>`,
        )
        .join('')}</table></details>`
    : '';
  const raw = current && cell && /^[A-Z]+\d+$/.test(cell) ? b.sheetValues(current.name) : [];
  const at = cell ? /^([A-Z]+)(\d+)$/.exec(cell) : null;
  const cellValue = at ? (raw[Number(at[2]) - 1]?.[lettersToCol(at[1]) - 1] ?? '') : '';
  const body = `${banner ? `<div class="banner" role="status">${esc(banner)}</div>` : ''}${menus}
<div class="split"><div class="sheet">
<nav class="tabs">${tabs}</nav>
<div class="grid"><table><tr><th></th>${head}</tr>${rows}</table></div>${triggers}
<form class="inline" method="post" action="/sheets/edit" id="edit"><input type="hidden" name="sheet" value="${name}">
<label>Cell (click one above)<input name="a1" size="6" placeholder="B7" required value="${esc(cell ?? '')}"></label>
<label>Value (one cell: a pasted CSV block stays in it)<textarea name="value" rows="2" cols="48">${esc(cellValue)}</textarea></label>
<button>Edit cell (fires onEdit)</button></form>`;
  const after = `</div><aside><iframe src="/dashboard" title="RSVP dashboard"></iframe></aside></div>
<script>
document.querySelector('.grid').addEventListener('click', function (e) {
  var td = e.target.closest('td[data-a1]');
  if (!td) return;
  document.querySelectorAll('td.sel').forEach(function (x) { x.classList.remove('sel'); });
  td.classList.add('sel');
  var f = document.getElementById('edit');
  var value = f.elements.namedItem('value');
  f.elements.namedItem('a1').value = td.dataset.a1;
  value.value = td.textContent;
  value.focus();
  value.select();
});
</script>`;
  const pasteForm = `
<form class="inline" method="post" action="/sheets/paste"><input type="hidden" name="sheet" value="${name}">
<label>Top-left cell<input name="a1" size="6" value="A2" required></label>
<label>Rows to paste (tab-separated, one row a line)<textarea name="text" rows="4" cols="60"></textarea></label>
<button>Paste</button></form>`;
  return layout(`Sheets · ${current?.name ?? ''}`, body + pasteForm + after);
}

function lettersToCol(letters: string): number {
  let col = 0;
  for (const ch of letters) col = col * 26 + (ch.charCodeAt(0) - 64);
  return col;
}

/**
 * An HtmlService page as the dev server serves it: google.script.run (and google.script.host) that
 * call `endpoint` on the page's own origin: a sidebar's /api/script-run (the spreadsheet's UI), a web
 * app page's /api/webapp-run (a web-app execution with no UI), as Google's frames call the script.
 */
export function withScriptRunShim(html: string, endpoint = '/api/script-run/'): string {
  const shim = `<script>
(function () {
  function runner(ok, fail, user) {
    return new Proxy({}, { get: function (_t, name) {
      if (name === 'withSuccessHandler') return function (f) { return runner(f, fail, user); };
      if (name === 'withFailureHandler') return function (f) { return runner(ok, f, user); };
      if (name === 'withUserObject') return function (u) { return runner(ok, fail, u); };
      return function () {
        var args = Array.prototype.slice.call(arguments);
        fetch(${JSON.stringify(endpoint)} + encodeURIComponent(String(name)), {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ args: args })
        }).then(function (r) { return r.json(); }).then(function (d) {
          if (d.ok) { if (ok) ok(d.result, user); }
          else if (fail) fail(new Error(d.error), user); else console.error(d.error);
        }, function (e) { if (fail) fail(e, user); else console.error(e); });
      };
    } });
  }
  window.google = { script: { run: runner(null, null, undefined), host: { close: function () {}, editor: { focus: function () {} } } } };
})();
</script>`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => h + shim) : shim + html;
}

const linkify = (text: string) =>
  esc(text).replace(/(http:\/\/localhost[^\s<&]*(?:&#38;[^\s<&]*)*)/g, (u) => `<a href="${u}">${u}</a>`);

export function mailPage(b: Backend): string {
  const items = [...b.mail]
    .reverse()
    .map(
      (m) => `<div class="mail"><div><strong>${esc(m.subject)}</strong></div>
<div>To: ${esc(m.to)} · From: ${esc(m.name ?? '')} · ${esc(new Date(m.at).toISOString())} · via ${esc(m.via)}
${m.attachments?.length ? ` · attachments: ${m.attachments.map((a) => esc(a.name)).join(', ')}` : ''}</div>
<pre>${linkify(m.body)}</pre>
${m.htmlBody ? `<iframe sandbox="" srcdoc="${esc(m.htmlBody)}" title="HTML body"></iframe>` : ''}</div>`,
    )
    .join('');
  return layout('Mail', `<h1>Mail sent (${b.mail.length})</h1>${items || '<p>None yet.</p>'}`);
}

export function inboxPage(b: Backend, banner: string): string {
  const threads = [...b.mailbox.threads]
    .reverse()
    .map((t) => {
      const msgs = t.messageIds.map((id) => b.mailbox.message(id));
      return `<div class="mail"><div><strong>${esc(msgs[0]?.subject)}</strong> · thread ${esc(t.id)} · labels: ${esc(t.labels.join(', ') || 'none')}</div>
${msgs.map((m) => `<div>${m.sent ? '↩ sent' : '↘ received'} ${esc(m.from)} → ${esc(m.to)}: <pre>${esc(m.plainBody)}</pre></div>`).join('')}</div>`;
    })
    .join('');
  return layout(
    'Inbox',
    `${banner ? `<div class="banner">${esc(banner)}</div>` : ''}<h1>Write an email to the host (${esc(b.opts.owner)})</h1>
<form method="post" action="/inbox">
<label>From<input name="from" size="50" value="Guest Name &lt;guest@example.com&gt;" required></label>
<label>To<input name="to" size="50" value="${esc(b.opts.owner.replace('@', '+rsvp@'))}"></label>
<label>Subject<input name="subject" size="50" value="Re: You're invited" required></label>
<label>Body<textarea name="body" rows="6" cols="70">Yes, count me in!</textarea></label>
<label>Extra headers (Name: value, one a line)<textarea name="headers" rows="3" cols="70"></textarea></label>
<label>Thread id (to reply in a thread)<input name="threadId" size="20"></label>
<button>Deliver</button></form>
<form method="post" action="/sheets/run"><input type="hidden" name="fn" value="checkRepliesNow"><input type="hidden" name="tab" value="Replies">
<p>The reply poll runs on its trigger once turned on (RSVP → Turn on email replies), or now:
<button>Check replies now</button></p></form><h2>Mailbox</h2>${threads || '<p>Empty.</p>'}`,
  );
}

export function errorPage(message: string): string {
  return layout('Error', `<h1>Error</h1><div class="banner">${esc(message)}</div>`);
}
