/**
 * The reply's own text: the body with quoted history, forwarded blocks, device footers and the signature
 * removed. Pure.
 *
 * Reply parsing is hand-written: the npm candidates don't run in a plain JS engine or don't do the job
 * (email-reply-parser imports Node's 'module' and optionally native re2; planer needs a DOM for HTML, keeps
 * forwarded and interleaved quotes, and is unmaintained; node-email-reply-parser pulls lodash and requires
 * fs/path; talon only does signatures and needs debug + lodash 3).
 */
import { htmlToText } from './html-text';
import { NO_OWN_TEXT, OwnText, ownLineFlags } from './own-text';

/** Bodies beyond this are not read: a reply's answer is at its top (or right below a short quote). */
const MAX_BODY = 100_000;

const QUOTE_LINE = /^\s*>/;
const HTML_QUOTE = /<blockquote\b|\b(gmail_quote|moz-cite-prefix|yahoo_quoted|divRplyFwdMsg)\b/i;
/** A signature delimiter: exactly '-- ' or '--' (lines are right-trimmed before this test). */
const SIGNATURE_LINE = /^--$/;
/** Device and app footers that end the reply. Only short lines count. */
const FOOTER_LINES: readonly RegExp[] = [
  // "Sent from my iPhone", but not "Sent from my desk, is much easier than my phone." (a sentence).
  /^sent from my\b[^,;:!?]{0,40}$/i,
  /^sent from (mail|outlook|yahoo mail|aol|samsung|proton ?mail|gmail)\b[^,;!?]{0,60}$/i,
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
/**
 * Reply headers ("On <date>, <name> wrote:") in the languages and shapes public quote parsers list,
 * matched on one line or a few joined, with any dashes around them removed. The shapes and languages
 * follow Crisp's email-reply-parser (MIT, github.com/crisp-oss/email-reply-parser, lib/regex.ts), GitHub's
 * email_reply_parser (MIT) and Mailgun's talon (Apache-2.0), rewritten so that every pattern is linear on
 * any input: a header is how it starts, a word it holds, and how it ends, each tested on its own (no
 * ".*" between two parts, which backtracks).
 */
const WROTE_LINES: readonly { start: RegExp; has?: RegExp; end: RegExp }[] = [
  { start: /^on\b/i, end: /\bwrote\s*:?$/i },
  { start: /^le\b/i, end: /\ba\s+écrit\s*:?$/i },
  { start: /^am\b/i, has: /\bschrieb\b/i, end: /:$/ },
  { start: /^el\b/i, end: /\bescribió\s*:?$/i },
  { start: /^(il|in data)\b/i, end: /\bscritto\s*:?$/i },
  { start: /^em\b/i, end: /\bescreveu\s*:?$/i },
  { start: /^op\b/i, has: /\b(schreef|geschreven)\b/i, end: /./ },
  { start: /^(den|på|å)\b/i, has: /\bskrev\b/i, end: /:$/ },
  { start: /^(w dniu|dnia)\b/iu, end: /\b(pisze|napisał|napisała|napisał\(a\))\s*:$/iu },
  { start: /^在/u, end: /写道\s*[:：]$/u },
];
const wroteLine = (s: string) =>
  WROTE_LINES.some((w) => w.start.test(s) && w.end.test(s) && (!w.has || w.has.test(s)));
/**
 * A reply verb at the end of a header that also holds a date or an address, in any order ("<x@y>
 * kirjoitti:", "… (x@y) skrev:", "… írta:", "… пишет:").
 */
const WROTE_AT_END =
  /(^|[\s>)\]"'’])(wrote|a écrit|schrieb|escribió|ha scritto|escreveu|schreef|skrev|napisał|napisała|napisał\(a\)|pisze|kirjoitti|írta|пишет|написал|написала|написав|пише|yazdı|napsal|napsala|napísal|έγραψε|작성|のメッセージ|kirjutas|rakstīja|parašė|scrie|a scris|je napisal|skrifaði)\s*[:：]?$/iu;
/** A header with no verb: an address and a date or time, then a colon ("30.09.2017, 18.30, "X" <x@y>:"). */
const ADDRESS_PART = /^[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@.]+(\.[^\s<>()[\]"',;:@.]+)+$/;
/** Whether the text holds an address: split at what can't be in one, then test each piece (linear). */
const hasAddress = (s: string) => s.split(/[\s<>()[\]"',;:]/).some((w) => ADDRESS_PART.test(w));
const DATE_OR_TIME = /\b(19|20)\d\d\b|\b\d{1,2}[:.]\d\d\b/;
/** "---- On … wrote ----", "------On … wrote-----": a header between dashes. */
const DASH = /[-–—=_*\s]/;
/** The text without dashes (and spaces, '=', '_', '*') around it; a loop, not /[…]+$/ (quadratic). */
function undashed(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && DASH.test(s[a])) a++;
  while (b > a && DASH.test(s[b - 1])) b--;
  return s.slice(a, b);
}

/** Whether a (joined) line is a reply header. */
function isWroteHeader(joined: string): boolean {
  if (joined.length > 700) return false;
  const dashed = undashed(joined);
  const wrapped = dashed !== joined;
  const s = dashed.trim();
  if (!s) return false;
  const dated = /[0-9@]/.test(s);
  if (dated && wroteLine(s)) return true;
  if (WROTE_AT_END.test(s) && (dated || wrapped) && s.length <= 400) return true;
  return /[:：]$/.test(s) && hasAddress(s) && DATE_OR_TIME.test(s);
}
/** Markers after which everything is earlier mail: the reply is above them. */
const HISTORY_LINES: readonly RegExp[] = [
  /^[-–—\s]{2,}(original message|forwarded message|reply message|ursprüngliche nachricht|weitergeleitete nachricht|message d'origine|message transféré|mensaje original|mensaje reenviado|messaggio originale|messaggio inoltrato|oorspronkelijk bericht|doorgestuurd bericht|mensagem original|oprindelig besked|opprinnelig melding|ursprungligt meddelande|alkuperäinen viesti|oryginalna wiadomość|исходное сообщение|пересылаемое сообщение)[-–—\s:]*$/i,
  /^begin forwarded message\s*:?$/i,
  /^_{10,}$/,
  /^-{4,}$/,
  /^={4,}$/,
];
/** A quoted header block (Outlook, Yahoo, Hotmail): two different header fields within a few lines. */
const HEADER_FIELD =
  /^\*?(from|von|de|van|da|fra|från|od|date|sent|to|cc|subject|envoyé|envoyé le|à|objet|gesendet|datum|an|betreff|enviado|fecha|para|asunto|inviato|data|oggetto|verzonden|aan|onderwerp|skickat|sendt|till|til|ämne|emne|temat|wysłano|do|lähettäjä|lähetetty|vastaanottaja|aihe|от|отправлено|кому|тема|дата)\*?\s?:/i;

type LineKind = 'text' | 'quote' | 'wrote' | 'history' | 'signature';

/** Where a wrapped header's own lines cannot start: the line before ends, or this one starts, mid-address. */
function continues(lines: string[], j: number): boolean {
  const line = lines[j].trim();
  return (
    /[<([]$/.test(lines[j - 1]?.trim() ?? '') ||
    /^[<([>]|^mailto:/i.test(line) ||
    line.split(/\s+/).length < 3
  );
}

/** Whether a header starts at line `from` and ends at line `to` (inclusive), no quote between. */
function headerAt(lines: string[], from: number, to: number): boolean {
  const parts: string[] = [];
  for (let j = from; j <= to; j++) {
    const t = lines[j].trim();
    if (!t) continue;
    // Gmail wraps "<x@y>:" before its '>' ("…<x@y\n>:"), Polymail before "wrote:" ("\n> wrote:").
    if (j > from && QUOTE_LINE.test(lines[j]) && !/^>\s*([\p{L}()]+\s*)?[:：]$/u.test(t)) return false;
    parts.push(t);
  }
  return isWroteHeader(parts.join(' '));
}

/**
 * The lines a header starting at i may end on: up to three lines, or four when one is a lone '<'. A blank
 * line may only come before a line that goes on with an address ("…John Smith\n\n<\nmailto:…").
 */
function headerEnds(lines: string[], i: number): number[] {
  const ends: number[] = [];
  let texts = 0;
  for (let j = i; j < lines.length && ends.length < 4; j++) {
    const t = lines[j].trim();
    if (!t) {
      if (j === i || !/^[<([]/.test(lines[j + 1]?.trim() ?? '')) break;
      continue;
    }
    if (t !== '<') texts++;
    if (texts > 3) break;
    ends.push(j);
  }
  return ends;
}

/** What line i starts, and how many lines a "wrote:" header spans. `own`: lines of our own text. */
function lineKind(lines: string[], i: number, own: boolean[]): { kind: LineKind; span: number } {
  const line = lines[i].trim();
  if (!line) return { kind: 'text', span: 1 };
  if (QUOTE_LINE.test(lines[i]) || own[i]) return { kind: 'quote', span: 1 };
  if (SIGNATURE_LINE.test(lines[i])) return { kind: 'signature', span: 1 };
  if (HISTORY_LINES.some((re) => re.test(line))) return { kind: 'history', span: 1 };
  const field = HEADER_FIELD.exec(line)?.[1].toLowerCase();
  if (field) {
    for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
      const next = HEADER_FIELD.exec(lines[j].trim())?.[1].toLowerCase();
      if (next && next !== field) return { kind: 'history', span: 1 };
    }
  }
  // The header may be wrapped over up to three lines (long names and addresses). The guest's own last
  // line, right above a header with no blank line between, is not part of it: a header that matches as
  // well without its first line (and that line is not cut mid-address) starts one line later.
  // The longest match wins: "Op … schreef X <" matches alone, but its address is on the next line.
  let end = -1;
  for (const e of headerEnds(lines, i)) if (headerAt(lines, i, e)) end = e;
  // A footer glued to a header ("Sent from Samsung MobileName <x@y> wrote:") is the header.
  if (end < 0 && line.length <= 100 && FOOTER_LINES.some((re) => re.test(line)))
    return { kind: 'signature', span: 1 };
  if (end < 0) return { kind: 'text', span: 1 };
  for (let k = i + 1; k <= end; k++)
    if (lines[k].trim() && !continues(lines, k) && headerAt(lines, k, end)) return { kind: 'text', span: 1 };
  return { kind: 'wrote', span: end - i + 1 };
}

/**
 * A header nobody listed: the last lines of the guest's text, right above our quoted text, that end in a
 * colon and hold an address, or a year and a time ("ср, 30 апр. 2025 г. в 15:19, X <x@y>:").
 */
function looksLikeHeader(para: string[]): boolean {
  const s = para.map((l) => l.trim()).join(' ');
  if (!s || s.length > 700 || !/[:：]\s*-*$/.test(s)) return false;
  return hasAddress(s) || (/\b(19|20)\d\d\b/.test(s) && /\b\d{1,2}[:.h]\d\d\b/.test(s));
}

/** Drops `out`'s last paragraph (up to three lines) when it reads as a header. */
function dropTrailingHeader(out: string[]): void {
  let end = out.length;
  while (end > 0 && !out[end - 1].trim()) end--;
  let start = end;
  while (start > 0 && out[start - 1].trim() && end - start < 3) start--;
  if (start > 0 && out[start - 1].trim()) return;
  if (start < end && looksLikeHeader(out.slice(start, end))) out.length = start;
}

/** Whether the lines are only a salutation: "Hi,", "Hello Sam,", "Dear all,". */
function onlyGreeting(out: string[]): boolean {
  const text = out.filter((l) => l.trim());
  return (
    text.length === 1 && /^[\p{L}' ]{1,30},$/u.test(text[0].trim()) && text[0].trim().split(/\s+/).length <= 3
  );
}

/**
 * The reply's own lines. Top-posted (text first): the text above the first quote, history marker or
 * signature. Quote first (bottom-posted or interleaved): the unquoted lines between and after quotes, up to
 * a signature or a marker of unquoted history.
 */
function ownLines(lines: string[], own: boolean[]): string[] {
  const out: string[] = [];
  let quoteFirst = false;
  const hasText = () => out.some((l) => l.trim() !== '');
  for (let i = 0; i < lines.length;) {
    const { kind, span } = lineKind(lines, i, own);
    if (kind === 'signature') break;
    if (kind === 'history') {
      if (!quoteFirst) dropTrailingHeader(out);
      break;
    }
    if (kind === 'quote' || kind === 'wrote') {
      if (kind === 'quote' && !quoteFirst) dropTrailingHeader(out);
      // Text above the quote ends the reply (top-posted), unless it is only a greeting ("Hi,"): then the
      // answer is below or between the quotes.
      if (hasText() && !quoteFirst && !onlyGreeting(out)) break;
      quoteFirst = true;
      if (kind === 'wrote') {
        // "wrote:" followed by '>' lines starts a quote; followed by anything else, it is unquoted history.
        let j = i + span;
        while (j < lines.length && !lines[j].trim()) j++;
        if (j < lines.length && !QUOTE_LINE.test(lines[j]) && !own[j]) break;
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
 * `own` is what we sent the guest: lines of it are quoted history, whatever header (or none) came first.
 */
export function replyText(plainBody: string, htmlBody: string, own: OwnText = NO_OWN_TEXT): string {
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
  return ownLines(lines, ownLineFlags(lines, own))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
