/**
 * Our own words in a reply: the passages of a guest's reply that repeat text we sent them (the invite, a
 * confirmation, their subject lines), however the client prefixed, re-wrapped or converted them. Pure.
 *
 * Why: a reply's quoted history is found by its header ("On … wrote:"), and no list of headers covers
 * every client and language. We know exactly what we sent, so a line made of our own words is ours,
 * whatever header (or none) introduced it: "Cancel my RSVP" quoted from a confirmation must never read as
 * the guest asking to cancel.
 */

/** A line of at least this many words counts as ours when its words appear, in order, in what we sent. */
const LONG_LINE_WORDS = 4;
/** Only this much of what we sent is indexed (our emails are short; this bounds a hand-written one). */
const MAX_OWN_CHARS = 200_000;

const URL_RE = /\b(?:https?:\/\/|mailto:|www\.)\S*/gi;

/** The words of a line: lower-case letters and digits, apostrophes dropped, links and punctuation gone. */
export function wordsOf(line: string): string[] {
  return (
    line
      .normalize('NFKC')
      .toLowerCase()
      .replace(URL_RE, ' ')
      .replace(/['’‘`´ʼ]/g, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** One text we sent (or a few), indexed for lookup. */
interface OwnPart {
  /** Every word sequence of up to LONG_LINE_WORDS words that occurs in it, space-joined. */
  readonly grams: ReadonlySet<string>;
  /** Every line of it, its words space-joined. */
  readonly lines: ReadonlySet<string>;
  /** Each text as one space-joined word stream, with a leading and trailing space. */
  readonly streams: readonly string[];
}

/** What we sent, indexed: build the templates' part once per poll, and add each thread's own messages. */
export interface OwnText {
  readonly parts: readonly OwnPart[];
}

export const NO_OWN_TEXT: OwnText = { parts: [] };

/** Indexes the texts we sent (bodies, subjects, HTML bodies converted to text). */
export function ownTextIndex(texts: readonly string[]): OwnText {
  const grams = new Set<string>();
  const lines = new Set<string>();
  const streams: string[] = [];
  let budget = MAX_OWN_CHARS;
  for (const text of texts) {
    const t = String(text ?? '').slice(0, Math.max(0, budget));
    budget -= t.length;
    const all: string[] = [];
    for (const line of t.split(/\r\n?|\n/)) {
      const w = wordsOf(line);
      if (!w.length) continue;
      lines.add(w.join(' '));
      all.push(...w);
    }
    for (let i = 0; i < all.length; i++)
      for (let n = 1; n <= LONG_LINE_WORDS && i + n <= all.length; n++)
        grams.add(all.slice(i, i + n).join(' '));
    if (all.length) streams.push(` ${all.join(' ')} `);
  }
  return streams.length ? { parts: [{ grams, lines, streams }] } : NO_OWN_TEXT;
}

/** Both indexes: a line is ours when it is ours in either. */
export function joinOwnText(a: OwnText, b: OwnText): OwnText {
  return { parts: [...a.parts, ...b.parts] };
}

/** Whether the words occur, in order and adjacent, somewhere in one text we sent. */
function inPart(part: OwnPart, words: string[]): boolean {
  if (words.length <= LONG_LINE_WORDS) return part.grams.has(words.join(' '));
  // Every window must be ours before the (linear) search of the streams is worth doing.
  for (let i = 0; i + LONG_LINE_WORDS <= words.length; i++)
    if (!part.grams.has(words.slice(i, i + LONG_LINE_WORDS).join(' '))) return false;
  const needle = ` ${words.join(' ')} `;
  return part.streams.some((s) => s.includes(needle));
}

const inOwnText = (own: OwnText, words: string[]) => own.parts.some((p) => inPart(p, words));
const isOwnLine = (own: OwnText, words: string[]) => own.parts.some((p) => p.lines.has(words.join(' ')));

/**
 * Which lines of a reply are our own text.
 * - A line of LONG_LINE_WORDS words or more is ours when all its words occur, in order, in what we sent.
 * - A shorter line is ours when it is a whole line of ours ("Cancel my RSVP", "Hi Ada,") below a long
 *   line of ours, or when it continues one (no blank line between): a re-wrapped line's last word.
 * A guest's own short answer ("Yes", "Cancel") is never taken for ours unless our quoted text surrounds it.
 */
export function ownLineFlags(lines: readonly string[], own: OwnText): boolean[] {
  const flags = lines.map(() => false);
  if (!own.parts.length) return flags;
  const words = lines.map(wordsOf);
  const short: number[] = [];
  let seenLong = false;
  for (let i = 0; i < lines.length; i++) {
    const w = words[i];
    if (!w.length) continue;
    if (w.length >= LONG_LINE_WORDS) {
      flags[i] = inOwnText(own, w);
      seenLong ||= flags[i];
    } else {
      short.push(i);
      if (seenLong && isOwnLine(own, w)) flags[i] = true;
    }
  }
  // Fragments of re-wrapped lines: a short run of ours that touches a line of ours.
  for (const i of short) {
    if (flags[i] || !inOwnText(own, words[i])) continue;
    const touches = (j: number) => j >= 0 && j < lines.length && words[j].length > 0 && flags[j];
    if (touches(i - 1) || touches(i + 1)) flags[i] = true;
  }
  return flags;
}
