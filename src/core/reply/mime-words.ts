/**
 * RFC 2047 encoded words in headers (display names, subjects): =?UTF-8?B?…?=, =?ISO-8859-1?Q?…?=. Pure.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX: Record<string, number> = {};
for (let i = 0; i < B64.length; i++) B64_INDEX[B64[i]] = i;
B64_INDEX['-'] = 62; // base64url, seen in the wild
B64_INDEX['_'] = 63;

/** Base64 to bytes; padding, whitespace and stray characters are skipped. */
function base64Bytes(s: string): number[] {
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const ch of s) {
    const v = B64_INDEX[ch];
    if (v === undefined) continue;
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 0xff);
      buf &= (1 << bits) - 1;
    }
  }
  return out;
}

/** RFC 2047 "Q" (quoted-printable, '_' is a space) to bytes. */
function qBytes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '_') out.push(0x20);
    else if (ch === '=' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const c = ch.charCodeAt(0);
      out.push(c < 0x100 ? c : 0x3f);
    }
  }
  return out;
}

/** UTF-8 bytes to a string; each invalid or truncated sequence becomes U+FFFD. */
function utf8Decode(b: number[]): string {
  const cps: number[] = [];
  for (let i = 0; i < b.length;) {
    const c = b[i];
    if (c < 0x80) {
      cps.push(c);
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (c >= 0xc2 && c < 0xe0) [need, cp, min] = [1, c & 0x1f, 0x80];
    else if (c >= 0xe0 && c < 0xf0) [need, cp, min] = [2, c & 0x0f, 0x800];
    else if (c >= 0xf0 && c < 0xf5) [need, cp, min] = [3, c & 0x07, 0x10000];
    else {
      cps.push(0xfffd);
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      const d = b[i + j];
      if (d === undefined || (d & 0xc0) !== 0x80) break;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (j <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      cps.push(0xfffd);
      i += j;
    } else {
      cps.push(cp);
      i += need + 1;
    }
  }
  let s = '';
  for (let i = 0; i < cps.length; i += 4096) s += String.fromCodePoint(...cps.slice(i, i + 4096));
  return s;
}

/** windows-1252 0x80–0x9F (0 = undefined there, kept as the C1 control). */
const CP1252 = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

function singleByteDecode(b: number[], cp1252: boolean): string {
  let s = '';
  for (const c of b)
    s += String.fromCharCode(cp1252 && c >= 0x80 && c < 0xa0 && CP1252[c - 0x80] ? CP1252[c - 0x80] : c);
  return s;
}

/** Bytes in a MIME charset to a string, or null for a charset we don't know. */
function decodeCharset(bytes: number[], charset: string): string | null {
  const cs = charset.toLowerCase().split('*')[0]; // RFC 2231 language tag: UTF-8*en
  if (cs === 'utf-8' || cs === 'utf8') return utf8Decode(bytes);
  if (/^(iso[-_]?8859-1|iso8859-1|latin-?1|l1|us-ascii|ascii)$/.test(cs))
    return singleByteDecode(bytes, false);
  if (/^(windows-1252|cp-?1252)$/.test(cs)) return singleByteDecode(bytes, true);
  return null;
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * Decode RFC 2047 encoded words (=?UTF-8?B?…?=, =?ISO-8859-1?Q?…?=; also windows-1252). Whitespace between
 * adjacent encoded words is dropped, and their bytes are joined before decoding, so a character split
 * across two words survives. A word in an unknown charset is left as it is.
 */
export function decodeEncodedWords(s: string): string {
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: number[]; raw: string } | null = null;
  const flush = () => {
    if (pending) out += decodeCharset(pending.bytes, pending.charset) ?? pending.raw;
    pending = null;
  };
  for (const m of s.matchAll(ENCODED_WORD)) {
    const index = m.index ?? 0;
    const gap = s.slice(last, index);
    const adjacent = pending !== null && /^\s*$/.test(gap);
    if (!adjacent) {
      flush();
      out += gap;
    }
    const charset = m[1].toLowerCase();
    const bytes = m[2].toLowerCase() === 'b' ? base64Bytes(m[3]) : qBytes(m[3]);
    const p = pending as { charset: string; bytes: number[]; raw: string } | null;
    if (p && p.charset === charset) {
      for (const x of bytes) p.bytes.push(x);
      p.raw += m[0];
    } else {
      flush();
      pending = { charset, bytes, raw: m[0] };
    }
    last = index + m[0].length;
  }
  flush();
  return out + s.slice(last);
}
