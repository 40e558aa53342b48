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

/** Bodies beyond this are not read: a reply's answer is at its top (or right below a short quote). */
const MAX_BODY = 100_000;

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
