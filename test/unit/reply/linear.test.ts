/**
 * The regex-heavy paths that read what strangers send (reply headers, quotes, HTML to text, MIME words,
 * sender parsing, pasted lists, names) stay linear on hostile input. Proof by analysis, not by the clock:
 * recheck (an automaton-based ReDoS checker) reads every regular expression literal in those modules and
 * must find each one safe, i.e. matching in time linear in the input. A negative control shows that it
 * flags the shapes this project had before (quadratic and exponential ones).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { checkSync } from 'recheck';
import * as ts from 'typescript';
import { rawHeaders } from '../../../src/core/reply/auth';
import { htmlToText } from '../../../src/core/reply/html-text';
import { decodeEncodedWords } from '../../../src/core/reply/mime-words';
import { replyText } from '../../../src/core/reply/quotes';
import { parseSender } from '../../../src/core/reply/sender';

const ROOT = join(__dirname, '../../..');
const MODULES = [
  'src/core/reply/auth.ts',
  'src/core/reply/automation.ts',
  'src/core/reply/decide.ts',
  'src/core/reply/html-text.ts',
  'src/core/reply/intent.ts',
  'src/core/reply/mime-words.ts',
  'src/core/reply/own-text.ts',
  'src/core/reply/party.ts',
  'src/core/reply/phrases.ts',
  'src/core/reply/quotes.ts',
  'src/core/reply/search.ts',
  'src/core/reply/sender.ts',
  'src/core/email.ts',
  'src/core/signup.ts',
  'src/core/text.ts',
  'src/core/paste.ts',
];

/** Every regex literal of a module: its line, source and flags. */
function literals(file: string): { at: string; source: string; flags: string }[] {
  const src = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: { at: string; source: string; flags: string }[] = [];
  const visit = (n: ts.Node) => {
    if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = n.getText();
      const end = text.lastIndexOf('/');
      const line = src.getLineAndCharacterOfPosition(n.getStart()).line + 1;
      out.push({ at: `${file}:${line}`, source: text.slice(1, end), flags: text.slice(end + 1) });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

/** recheck's verdict ('safe', 'vulnerable' or 'unknown') with a fixed seed: the same on every run. */
const verdict = (source: string, flags: string) => {
  const r = checkSync(source, flags.replace(/[gy]/g, ''), { randomSeed: 1, timeout: 20_000 });
  return r.status === 'vulnerable' ? `vulnerable (${r.complexity.type})` : r.status;
};

describe('regular expressions on guest input are linear', () => {
  test.each(MODULES)(
    '%s',
    (file) => {
      const found = literals(file);
      const unsafe = found
        .map((l) => ({ ...l, verdict: verdict(l.source, l.flags) }))
        .filter((l) => l.verdict !== 'safe')
        .map((l) => `${l.at} /${l.source}/${l.flags}: ${l.verdict}`);
      expect(unsafe).toEqual([]);
    },
    120_000,
  );

  test('negative control: the checker flags the shapes these modules had before', () => {
    // The HTML quote test, a trailing trim, the loose sender form and an unclosed-tag strip.
    expect(verdict('class\\s*=\\s*["\']?[^"\'>]*(gmail_quote|moz-cite-prefix)', 'i')).toBe(
      'vulnerable (polynomial)',
    );
    expect(verdict('[-=_*\\s]+$', '')).toBe('vulnerable (polynomial)');
    expect(verdict('^(.*?)\\s*<([^<>\\s]+)>$', '')).toBe('vulnerable (polynomial)');
    expect(verdict('<[^>]*>', '')).toBe('vulnerable (polynomial)');
    expect(verdict('^(a+)+$', '')).toBe('vulnerable (exponential)');
  }, 120_000);

  test('and the literals are found: the scan is not empty', () => {
    expect(literals('src/core/reply/quotes.ts').length).toBeGreaterThan(20);
  });
});

describe('100 KB of hostile input through each pure function gets an answer', () => {
  // Only the jest timeout bounds these (no clock is read): catastrophic backtracking would run for hours.
  const KB100 = 100_000;
  const cases: [string, string][] = [
    ['nested HTML', '<div>'.repeat(KB100 / 5)],
    ['unclosed tags', '<a href="'.repeat(KB100 / 9)],
    ['unclosed comments and quotes', '<!--<p class="'.repeat(KB100 / 14)],
    ['a long wrapped header', `On Mon, Dec 6, 2026 at 10:00 AM ${'Name <\n'.repeat(KB100 / 7)}x@y> wrote:`],
    ['dashes and spaces', '- '.repeat(KB100 / 2) + 'x'],
    ['angle brackets', '<'.repeat(KB100)],
    ['at signs', 'a@'.repeat(KB100 / 2)],
    ['encoded words', '=?utf-8?q?'.repeat(KB100 / 10)],
  ];
  test.each(cases)(
    '%s',
    (_name, input) => {
      expect(typeof replyText(input, input)).toBe('string');
      expect(typeof htmlToText(input)).toBe('string');
      expect(typeof decodeEncodedWords(input.slice(0, 20_000))).toBe('string');
      expect(parseSender(input, '')?.email ?? null).not.toBe('');
      expect(Array.isArray(rawHeaders(input))).toBe(true);
    },
    60_000,
  );
});
