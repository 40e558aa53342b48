/**
 * HtmlService templates: `<? code ?>`, `<?= printed, escaped ?>`, `<?!= printed raw ?>`.
 * Scriptlets run in the execution's own context, with the template's properties in scope.
 * Apps Script escapes `<?= ?>` by context (HTML, attribute, URL, script); we escape for HTML
 * and attributes everywhere, and JSON-encode inside <script> blocks, which is what the product needs.
 */
export function escapeHtml(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v).replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function compileTemplate(
  src: string,
  makeFunction: (...args: string[]) => (...a: unknown[]) => unknown,
): (vars: Record<string, unknown>) => string {
  let code = 'var __out = "";\n';
  let inScript = false;
  const re = /<\?(!=|=)?([\s\S]*?)\?>/g;
  let last = 0;
  const text = (t: string) => {
    if (!t) return;
    code += `__out += ${JSON.stringify(t)};\n`;
    const opens = t.lastIndexOf('<script');
    const closes = t.lastIndexOf('</script');
    if (opens > closes) inScript = true;
    else if (closes > opens) inScript = false;
  };
  for (let m = re.exec(src); m; m = re.exec(src)) {
    text(src.slice(last, m.index));
    last = re.lastIndex;
    const body = m[2].trim().replace(/;\s*$/, '');
    if (m[1] === '=') code += `__out += __esc((${body}), ${inScript});\n`;
    else if (m[1] === '!=') code += `__out += __str((${body}));\n`;
    else code += `${m[2]}\n`;
  }
  text(src.slice(last));
  code += 'return __out;';
  const fn = makeFunction('__vars', '__esc', '__str', `with (__vars) {\n${code}\n}`);
  const esc = (v: unknown, script: boolean) =>
    script ? JSON.stringify(v ?? null).replace(/</g, '\\u003c') : escapeHtml(v);
  const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return (vars) => String(fn(vars, esc, str));
}
