/**
 * The email-reply lane's pure core: guests RSVP by replying to the host's invite. Given one inbound message
 * (fed by the Gmail poller), decide whether it is a real reply, who sent it, what its own text is (quoted
 * history, forwarded blocks and signatures removed) and what it asks for. Pure: no Apps Script, no Node.
 *
 * Reply parsing is hand-written: the npm candidates don't run in a plain JS engine or don't do the job
 * (email-reply-parser imports Node's 'module' and optionally native re2; planer needs a DOM for HTML, keeps
 * forwarded and interleaved quotes, and is unmaintained; node-email-reply-parser pulls lodash and requires
 * fs/path; talon only does signatures and needs debug + lodash 3).
 */
import addrs from 'email-addresses';
import { mailboxKey, normalizeEmail } from './email';
import { REPLY_PHRASES } from './reply-phrases';
import { oneLine } from './text';

export interface InboundMessage {
  id: string;
  from: string;
  replyTo: string;
  to: string;
  subject: string;
  plainBody: string;
  htmlBody: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
}

export type ReplyIntent = 'yes' | 'cancel' | 'review';

export interface ReplyDecision {
  action: 'ignore' | 'request' | 'cancel' | 'review';
  /** Short, for the Log: 'auto-reply (Auto-Submitted: auto-replied)', 'cancel: "can\'t make it"'… */
  reason: string;
  /** Decoded display name ('' if none) and normalized email. */
  sender?: { name: string; email: string };
  /** The reply's own text (quoted history and signature removed), trimmed. */
  text: string;
}

/** Bodies beyond this are not read: a reply's answer is at its top (or right below a short quote). */
const MAX_BODY = 100_000;
/** Only this much of the reply text is classified. */
const MAX_CLASSIFY = 5_000;

// ---------------------------------------------------------------------------------------------------------
// RFC 2047 encoded words

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
  const cs = charset.toLowerCase().replace(/\*.*$/, ''); // RFC 2231 language tag: UTF-8*en
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

// ---------------------------------------------------------------------------------------------------------
// Sender

type Mailbox = { name: string; email: string };

/** One mailbox from a header value, or null. The name is raw (not yet decoded). */
function parseMailbox(raw: string): Mailbox | null {
  // Unfolded only: an invisible character in the address must reach normalizeEmail, which refuses it
  // (oneLine would remove it, and "ada\u200b@x.com" would pass for ada@x.com).
  const input = String(raw ?? '')
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
  if (!input) return null;
  const parsed = addrs.parseOneAddress({ input, rfc6532: true });
  if (parsed && parsed.type === 'mailbox') {
    const ok = normalizeEmail(parsed.address);
    if (!ok.ok) return null;
    let name = parsed.name ?? '';
    // Old style "ada@example.com (Ada Lovelace)": the comment is the only name there is.
    const comment = !name && /^[^\s<>()]+@[^\s<>()]+\s*\(([^()]*)\)$/.exec(input);
    if (comment) name = comment[1];
    return { name, email: ok.email };
  }
  // Not RFC 5322 (an unquoted ':' or ',' in the name…): take "<address>" at the end and the rest as the name.
  const loose = /^(.*?)\s*<([^<>\s]+)>$/.exec(input);
  if (!loose) return null;
  const ok = normalizeEmail(loose[2]);
  if (!ok.ok) return null;
  return { name: loose[1].replace(/^"(.*)"$/, '$1'), email: ok.email };
}

function cleanName(raw: string, email: string): string {
  const name = oneLine(decodeEncodedWords(raw)).replace(/^(["'])(.*)\1$/, '$2');
  return name.toLowerCase() === email ? '' : name;
}

/**
 * Who wrote the message: From, display name decoded. Reply-To is used only when it is the same mailbox as
 * From (to pick up a name From lacks); a different Reply-To is ignored, since it could redirect a seat.
 */
export function parseSender(from: string, replyTo: string): { name: string; email: string } | null {
  const f = parseMailbox(from);
  if (!f) return null;
  let name = cleanName(f.name, f.email);
  if (!name && replyTo) {
    for (const part of splitAddressList(replyTo)) {
      const r = parseMailbox(part);
      if (r && r.email === f.email) {
        name = cleanName(r.name, r.email);
        break;
      }
    }
  }
  return { name, email: f.email };
}

/** A header's address list, split on commas outside quotes, angle brackets and comments. */
function splitAddressList(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  let paren = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '\\') {
        cur += ch + (s[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') angle++;
    else if (ch === '>') angle = Math.max(0, angle - 1);
    else if (ch === '(') paren++;
    else if (ch === ')') paren = Math.max(0, paren - 1);
    else if (ch === ',' && !angle && !paren) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------------
// Automated mail

/** Whether a From header is one of our own addresses (the script's answers sit in the same threads). */
export function fromOwnAddress(from: string, ownAddresses: string[]): boolean {
  const f = parseMailbox(from);
  if (!f) return false;
  const key = mailboxKey(f.email);
  return ownAddresses.some((own) => own && mailboxKey(own) === key);
}

const BOUNCE_SENDER = /^(mailer-daemon|postmaster)$/;
const NO_REPLY_SENDER = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?)([-_].*)?$/;

/** Subjects of auto-replies and delivery reports, by their start (after whitespace). */
const AUTOMATED_SUBJECTS: ReadonlyArray<[RegExp, string]> = [
  [/^automatic reply\s*:/i, 'auto-reply'],
  [/^auto\s*:/i, 'auto-reply'],
  [/^auto[- ]?(reply|response)\b/i, 'auto-reply'],
  [/^out of (the )?office\b/i, 'auto-reply'],
  [/^undeliverable\s*:/i, 'bounce'],
  [/^undelivered mail\b/i, 'bounce'],
  [/^delivery status notification\b/i, 'bounce'],
  [/^mail delivery fail/i, 'bounce'],
  [/^delivery failure\b/i, 'bounce'],
  [/^returned mail\s*:/i, 'bounce'],
  [/^failure notice\b/i, 'bounce'],
];

function header(msg: InboundMessage, name: string): string | undefined {
  const v = msg.headers?.[name];
  return v === undefined || v === null ? undefined : String(v).trim();
}

const short = (s: string) => {
  const t = oneLine(s);
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
};

/**
 * Why this message is not a guest's own reply (auto-reply, bounce, mailing list, no-reply sender, our own
 * mail), or null. X-Auto-Response-Suppress is not a sign: Outlook sets it on ordinary mail.
 */
export function isAutomated(msg: InboundMessage, ownAddresses: string[]): string | null {
  if (header(msg, 'x-rsvp-auto') === '1') return 'own mail (X-RSVP-Auto)';

  const from = parseMailbox(msg.from);
  if (from && fromOwnAddress(msg.from, ownAddresses)) return `own mail (${from.email})`;

  const contentType = header(msg, 'content-type') ?? '';
  if (/^multipart\/report\b/i.test(contentType)) {
    return /report-type\s*=\s*"?disposition-notification/i.test(contentType)
      ? 'read receipt (multipart/report)'
      : 'bounce (multipart/report)';
  }
  if (header(msg, 'return-path') === '<>') return 'bounce (empty Return-Path)';
  const local = from ? from.email.slice(0, from.email.lastIndexOf('@')) : '';
  if (BOUNCE_SENDER.test(local)) return `bounce (from ${from?.email})`;

  const autoSubmitted = header(msg, 'auto-submitted');
  if (autoSubmitted !== undefined && !/^no\b/i.test(autoSubmitted)) {
    return `auto-reply (Auto-Submitted: ${short(autoSubmitted)})`;
  }
  if (header(msg, 'x-autoreply') !== undefined) return 'auto-reply (X-Autoreply)';
  if (header(msg, 'x-autorespond') !== undefined) return 'auto-reply (X-Autorespond)';

  const precedence = (header(msg, 'precedence') ?? '').toLowerCase();
  const prec = /^(bulk|junk|list|auto_reply)\b/.exec(precedence);
  if (prec) {
    const kind = prec[1] === 'list' ? 'mailing list' : prec[1] === 'auto_reply' ? 'auto-reply' : 'bulk mail';
    return `${kind} (Precedence: ${prec[1]})`;
  }
  if (header(msg, 'list-id') !== undefined) return 'mailing list (List-Id)';
  if (header(msg, 'list-unsubscribe') !== undefined) return 'mailing list (List-Unsubscribe)';

  if (NO_REPLY_SENDER.test(local.split('+')[0])) return `no-reply sender (${from?.email})`;

  const subject = oneLine(decodeEncodedWords(String(msg.subject ?? '')));
  for (const [re, kind] of AUTOMATED_SUBJECTS) {
    if (re.test(subject)) return `${kind} (subject "${short(subject)}")`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// HTML to text

const VOID_TAGS = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));
const BLOCK_TAGS = new Set([
  ...'address article aside blockquote br center dd div dl dt fieldset figure footer form h1'.split(' '),
  ...'h2 h3 h4 h5 h6 header hr li ol p pre section table tr ul'.split(' '),
]);
/** Elements whose content is not text. */
const RAW_TAGS = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);
/** Quoted history and signatures, removed with their content. */
const DROP_CLASSES =
  'gmail_quote gmail_quote_container moz-cite-prefix yahoo_quoted gmail_signature moz-signature'.split(' ');
/** Ids (or classes) of the header above Outlook's quoted history, which follows as siblings: the text ends there. */
const CUT_IDS = ['divrplyfwdmsg', 'outlookmessageheader'];

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  zwnj: '',
  zwj: '',
  shy: '',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  sbquo: '‚',
  bdquo: '„',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  laquo: '«',
  raquo: '»',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  szlig: 'ß',
  ccedil: 'ç',
  ntilde: 'ñ',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (all, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '';
    }
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

function attr(attrs: string, name: string): string {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : '';
}

/**
 * HTML to plain text without a DOM: a linear scan over tags. Quoted history (<blockquote>, Gmail's
 * .gmail_quote, Thunderbird's .moz-cite-prefix, Yahoo's .yahoo_quoted) and HTML signatures are dropped
 * with their content; Outlook's #divRplyFwdMsg / .OutlookMessageHeader end the text.
 */
function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const n = html.length;
  let out = '';
  let i = 0;
  let pre = 0;
  /** While dropping an element: its tag name and how deep we are in same-named elements. */
  let drop: { name: string; depth: number } | null = null;
  const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/y;
  while (i < n) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (!drop && textEnd > i) {
      const t = decodeEntities(html.slice(i, textEnd));
      out += pre ? t : t.replace(/[ \t\r\n\f]+/g, ' ');
    }
    if (lt < 0) break;
    if (lower.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) {
      if (html[lt + 1] === '!' || html[lt + 1] === '?') {
        const end = html.indexOf('>', lt);
        i = end < 0 ? n : end + 1;
      } else {
        if (!drop) out += '<';
        i = lt + 1;
      }
      continue;
    }
    // Scan to the tag's end, skipping quoted attribute values.
    let j = TAG.lastIndex;
    while (j < n && html[j] !== '>') {
      if (html[j] === '"' || html[j] === "'") {
        const q = html.indexOf(html[j], j + 1);
        j = q < 0 ? n : q + 1;
      } else j++;
    }
    const attrs = html.slice(TAG.lastIndex, j);
    i = Math.min(n, j + 1);
    const closing = m[1] === '/';
    const name = m[2].toLowerCase();
    const selfClosing = VOID_TAGS.has(name) || /\/\s*$/.test(attrs);

    if (!closing && RAW_TAGS.has(name) && !selfClosing) {
      const end = lower.indexOf(`</${name}`, i);
      const gt = end < 0 ? -1 : html.indexOf('>', end);
      i = gt < 0 ? n : gt + 1;
      continue;
    }
    if (drop) {
      if (name === drop.name && !selfClosing) drop.depth += closing ? -1 : 1;
      if (drop.depth === 0) drop = null;
      continue;
    }
    if (!closing) {
      const classes = attr(attrs, 'class').toLowerCase().split(/\s+/);
      const id = attr(attrs, 'id').toLowerCase();
      if (CUT_IDS.includes(id) || classes.some((c) => CUT_IDS.includes(c))) break;
      const dropIt =
        name === 'blockquote' ||
        classes.some((c) => DROP_CLASSES.includes(c)) ||
        id.startsWith('yahoo_quoted') ||
        id === 'signature';
      if (dropIt && !selfClosing) {
        drop = { name, depth: 1 };
        continue;
      }
    }
    if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
    if (BLOCK_TAGS.has(name)) out += name === 'p' ? '\n\n' : '\n';
    else if ((name === 'td' || name === 'th') && closing) out += ' ';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The reply's own text

const QUOTE_LINE = /^\s*>/;
const HTML_QUOTE =
  /<blockquote\b|class\s*=\s*["']?[^"'>]*(gmail_quote|moz-cite-prefix|yahoo_quoted)|divRplyFwdMsg/i;
/** A signature delimiter: exactly '-- ' or '--' (lines are right-trimmed before this test). */
const SIGNATURE_LINE = /^--$/;
/** Device and app footers that end the reply. Only short lines count. */
const FOOTER_LINES: readonly RegExp[] = [
  /^sent from my\b/i,
  /^sent from (mail|outlook|yahoo mail|aol|samsung|proton ?mail|gmail)\b/i,
  /^sent (via|with)\b.{0,40}$/i,
  /^get outlook for\b/i,
  /^envoyé de mon\b/i,
  /^envoyé depuis\b/i,
  /^von meinem\b.{1,40}\bgesendet$/i,
  /^gesendet von\b/i,
  /^enviado desde\b/i,
  /^enviado do meu\b/i,
  /^inviato da\b/i,
  /^verzonden (vanaf|met)\b/i,
  /^verstuurd vanaf\b/i,
];
/** "On <date>, <name> wrote:" and its localized forms, on one line or a few joined. */
const WROTE_LINES: readonly RegExp[] = [
  /^on\b.{0,300}\bwrote\s*:?$/i,
  /^le\b.{0,300}\ba\s+écrit\s*:?$/i,
  /^am\b.{0,300}\bschrieb\b.{0,300}:$/i,
  /^el\b.{0,300}\bescribió\s*:?$/i,
  /^il\b.{0,300}\bha\s+scritto\s*:?$/i,
  /^em\b.{0,300}\bescreveu\s*:?$/i,
  /^op\b.{0,300}\b(schreef|geschreven)\b.{0,300}:?$/i,
  /^(den|på)\b.{0,300}\bskrev\b.{0,300}:$/i,
  /^.{1,300}<[^<>\s@]+@[^<>\s]+>\s*(wrote|schrieb|a écrit|escribió|ha scritto|escreveu|skrev)\s*:?$/i,
];
/** Markers after which everything is earlier mail: the reply is above them. */
const HISTORY_LINES: readonly RegExp[] = [
  /^-{2,}\s*(original message|forwarded message|reply message|ursprüngliche nachricht|weitergeleitete nachricht|message d'origine|message transféré|mensaje original|mensaje reenviado|messaggio originale|messaggio inoltrato|oorspronkelijk bericht|doorgestuurd bericht|mensagem original)\s*-{2,}$/i,
  /^begin forwarded message\s*:?$/i,
  /^_{10,}$/,
];
/** Outlook's quoted header block: a From: line with Sent:/Date:/To:/Subject: right below. */
const OUTLOOK_FROM = /^\*?(from|von|de|van|da|fra|från|od)\s?:\*?\s/i;
const OUTLOOK_NEXT =
  /^\*?(sent|date|to|cc|subject|envoyé|à|objet|gesendet|datum|an|betreff|enviado|fecha|para|asunto|inviato|data|oggetto|verzonden|aan|onderwerp|skickat|sendt|till|til|ämne|emne)\s?:/i;

type LineKind = 'text' | 'quote' | 'wrote' | 'history' | 'signature';

/** What line i starts, and how many lines a "wrote:" header spans. */
function lineKind(lines: string[], i: number): { kind: LineKind; span: number } {
  const line = lines[i].trim();
  if (!line) return { kind: 'text', span: 1 };
  if (QUOTE_LINE.test(lines[i])) return { kind: 'quote', span: 1 };
  if (SIGNATURE_LINE.test(lines[i])) return { kind: 'signature', span: 1 };
  if (line.length <= 100 && FOOTER_LINES.some((re) => re.test(line))) return { kind: 'signature', span: 1 };
  if (HISTORY_LINES.some((re) => re.test(line))) return { kind: 'history', span: 1 };
  if (OUTLOOK_FROM.test(line)) {
    for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
      if (OUTLOOK_NEXT.test(lines[j].trim())) return { kind: 'history', span: 1 };
    }
  }
  // The header may be wrapped over up to three lines (long names and addresses).
  let joined = '';
  for (let span = 1; span <= 3 && i + span - 1 < lines.length; span++) {
    const next = lines[i + span - 1].trim();
    if (!next || (span > 1 && QUOTE_LINE.test(lines[i + span - 1]))) break;
    joined = span === 1 ? next : `${joined} ${next}`;
    if (joined.length > 700) break;
    if (/[0-9@]/.test(joined) && WROTE_LINES.some((re) => re.test(joined))) return { kind: 'wrote', span };
  }
  return { kind: 'text', span: 1 };
}

/**
 * The reply's own lines. Top-posted (text first): the text above the first quote, history marker or
 * signature. Quote first (bottom-posted or interleaved): the unquoted lines between and after quotes, up to
 * a signature or a marker of unquoted history.
 */
function ownLines(lines: string[]): string[] {
  const out: string[] = [];
  let quoteFirst = false;
  const hasText = () => out.some((l) => l.trim() !== '');
  for (let i = 0; i < lines.length;) {
    const { kind, span } = lineKind(lines, i);
    if (kind === 'history' || kind === 'signature') break;
    if (kind === 'quote' || kind === 'wrote') {
      if (hasText() && !quoteFirst) break;
      quoteFirst = true;
      if (kind === 'wrote') {
        // "wrote:" followed by '>' lines starts a quote; followed by anything else, it is unquoted history.
        let j = i + span;
        while (j < lines.length && !lines[j].trim()) j++;
        if (j < lines.length && !QUOTE_LINE.test(lines[j])) break;
        i = j;
        continue;
      }
      i++;
      continue;
    }
    out.push(lines[i]);
    i++;
  }
  return out;
}

/**
 * The reply's own text: plainBody (or htmlBody converted, when the plain body is empty) with quoted history,
 * forwarded blocks, device footers and the signature removed. Trimmed; at most one blank line in a row.
 */
export function replyText(plainBody: string, htmlBody: string): string {
  const plain = String(plainBody ?? '');
  const html = String(htmlBody ?? '');
  // Gmail's plain body of an HTML-only message is the HTML with its tags dropped: the quoted history
  // is still there but lost its '>' marks. The HTML still says what is quoted, so read that instead.
  const quotesOnlyInHtml =
    HTML_QUOTE.test(html.slice(0, MAX_BODY * 4)) && !plain.split('\n').some((l) => QUOTE_LINE.test(l));
  const body = plain.trim() && !quotesOnlyInHtml ? plain : htmlToText(html.slice(0, MAX_BODY * 4));
  const lines = body
    .slice(0, MAX_BODY)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u200b\u2060\ufeff]/g, '')
    .split('\n')
    .map((l) => l.trimEnd());
  return ownLines(lines)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------
// Intent

const WORD_CHAR = '[\\p{L}\\p{N}_]';
const APOSTROPHES = /[’‘`´ʼ′]/g;

interface CompiledPhrase {
  intent: ReplyIntent | null;
  label: string;
  re: RegExp;
}

let compiled: CompiledPhrase[] | null = null;

function phraseRegex(phrase: string): RegExp {
  const clauseEnd = phrase.length > 1 && phrase.endsWith('.');
  const p = (clauseEnd ? phrase.slice(0, -1) : phrase).toLowerCase().replace(APOSTROPHES, "'").trim();
  const body = p
    .split(/\s+/)
    .map((w) =>
      w
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/'/g, "'?")
        .replace(/,/g, ',?'),
    )
    .join('\\s+');
  const before = /^[\p{L}\p{N}]/u.test(p) ? `(?<!${WORD_CHAR})` : '';
  const after = clauseEnd
    ? '(?=\\s*(?:$|[.!,;:)\\n]|[^\\p{L}\\p{N}\\s]))'
    : /[\p{L}\p{N}]$/u.test(p)
      ? `(?!${WORD_CHAR})`
      : '';
  return new RegExp(before + body + after, 'giu');
}

function phrases(): CompiledPhrase[] {
  if (!compiled) {
    compiled = REPLY_PHRASES.flatMap((g) =>
      g.phrases.map((ph) => ({ intent: g.intent, label: g.label, re: phraseRegex(ph) })),
    );
  }
  return compiled;
}

interface Classified {
  intent: ReplyIntent;
  matched: string;
  reason: string;
}

function classify(text: string): Classified {
  const t = text
    .slice(0, MAX_CLASSIFY)
    .replace(APOSTROPHES, "'")
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .toLowerCase();
  if (!t.trim()) return { intent: 'review', matched: '', reason: 'empty reply' };

  type Hit = { intent: ReplyIntent | null; label: string; start: number; end: number };
  const hits: Hit[] = [];
  for (const p of phrases()) {
    p.re.lastIndex = 0;
    for (const m of t.matchAll(p.re)) {
      const start = m.index ?? 0;
      hits.push({ intent: p.intent, label: p.label, start, end: start + m[0].length });
    }
  }
  // Longest first; a hit inside (or overlapping) an accepted longer one doesn't count.
  hits.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Hit[] = [];
  for (const h of hits) if (!kept.some((k) => h.start < k.end && k.start < h.end)) kept.push(h);
  kept.sort((a, b) => a.start - b.start);

  const first = (intent: ReplyIntent) => kept.find((h) => h.intent === intent);
  const slice = (h: Hit) => t.slice(h.start, h.end);
  const review = first('review');
  if (review)
    return { intent: 'review', matched: slice(review), reason: `${review.label}: "${slice(review)}"` };
  const yes = first('yes');
  const cancel = first('cancel');
  if (yes && cancel) {
    const matched = `${slice(yes)} + ${slice(cancel)}`;
    return { intent: 'review', matched, reason: `both yes and cancel: "${slice(yes)}" + "${slice(cancel)}"` };
  }
  if (cancel) return { intent: 'cancel', matched: slice(cancel), reason: `cancel: "${slice(cancel)}"` };
  if (yes) return { intent: 'yes', matched: slice(yes), reason: `yes: "${slice(yes)}"` };
  return { intent: 'review', matched: '', reason: 'no clear answer' };
}

/**
 * What the reply text asks for, by the phrase lists in reply-phrases.ts: 'review' for hedges, questions,
 * a bare "no", yes and cancel together, no recognised phrase, or an empty reply. `matched` is the phrase
 * as found (lower-cased, apostrophes straightened).
 */
export function classifyIntent(text: string): { intent: ReplyIntent; matched: string } {
  const { intent, matched } = classify(text);
  return { intent, matched };
}

const ACTIONS: Record<ReplyIntent, ReplyDecision['action']> = {
  yes: 'request',
  cancel: 'cancel',
  review: 'review',
};

/** The whole decision for one inbound message. */
export function decideReply(msg: InboundMessage, ownAddresses: string[]): ReplyDecision {
  const sender = parseSender(msg.from, msg.replyTo) ?? undefined;
  const text = replyText(msg.plainBody, msg.htmlBody);
  const automated = isAutomated(msg, ownAddresses);
  if (automated) return { action: 'ignore', reason: automated, sender, text };
  if (!sender) return { action: 'ignore', reason: 'no sender address', text };
  const c = classify(text);
  return { action: ACTIONS[c.intent], reason: c.reason, sender, text };
}
