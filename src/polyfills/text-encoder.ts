/**
 * Apps Script's V8 has no TextEncoder; ical-generator uses it to fold calendar lines at 75 octets.
 * The build injects this one wherever the bundle names TextEncoder (esbuild `inject`), so no global
 * is defined (a global function would be callable through google.script.run). UTF-8 as the WHATWG
 * encoder writes it: a lone surrogate becomes U+FFFD.
 */
export class TextEncoder {
  readonly encoding = 'utf-8';

  encode(input = ''): Uint8Array {
    const out: number[] = [];
    for (const ch of String(input)) {
      let c = ch.codePointAt(0) as number;
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return new Uint8Array(out);
  }
}
