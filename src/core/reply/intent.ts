/** What a reply's text asks for (yes, cancel, or review by the host), by the phrase lists in phrases.ts. Pure. */
import { REPLY_PHRASES } from './phrases';
import { ReplyIntent } from './types';

/** Only this much of the reply text is classified. */
const MAX_CLASSIFY = 5_000;

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

export interface Classified {
  intent: ReplyIntent;
  matched: string;
  /** For the Log (the decision's reason): 'cancel: "can\'t make it"', 'no clear answer'… */
  reason: string;
}

/** classifyIntent with the reason: what decideReply (decide.ts) records. */
export function classify(text: string): Classified {
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
 * What the reply text asks for, by the phrase lists in phrases.ts: 'review' for hedges, questions,
 * a bare "no", yes and cancel together, no recognised phrase, or an empty reply. `matched` is the phrase
 * as found (lower-cased, apostrophes straightened).
 */
export function classifyIntent(text: string): { intent: ReplyIntent; matched: string } {
  const { intent, matched } = classify(text);
  return { intent, matched };
}
