/**
 * The host's questions (the Questions sheet), the form fields they make, and the answers a guest
 * gives. Pure: the sheet is read in sheets/questions-table.ts, the form rendered in ui/Page.html.
 *
 * Answers are plain text, one Guests column per question (found by its header, the question's
 * label). A question asked "for each person" keeps one line per person in its cell ("Ada: vegan").
 */
import { oneLine, stripInvisible } from './text';

export const QUESTION_HEADERS = [
  'Ask',
  'Question',
  'Type',
  'Choices',
  'Required',
  'Asked',
  'At the door',
  'Private',
  'Problem',
] as const;
export type QuestionHeader = (typeof QUESTION_HEADERS)[number];

export const QUESTION_TYPES = [
  'short text',
  'long text',
  'one choice',
  'several choices',
  'number',
  'yes/no',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const ASKED = ['once per RSVP', 'for each person'] as const;
export const YES_NO = ['yes', 'no'] as const;

/** The example Set up writes, turned off: the host sees every column filled in once. */
export const EXAMPLE_QUESTION: Record<QuestionHeader, string> = {
  Ask: 'no',
  Question: 'Any dietary needs?',
  Type: 'one choice',
  Choices: 'None, Vegetarian, Vegan, Gluten-free, Nut allergy',
  Required: 'no',
  Asked: 'for each person',
  'At the door': 'yes',
  Private: 'no',
  Problem: '',
};

/**
 * The form's copy of the parsed questions in the script cache: every page and post needs them, and
 * a cache read costs a tenth of reading the sheet. The host's edit of the Questions sheet (and Set
 * up) drops it; an edit the trigger never sees (another script) shows within CACHE_S.
 */
export const QUESTIONS_CACHE_KEY = 'rsvp.questions';
export const QUESTIONS_CACHE_S = 120;

export const MAX_SHORT = 200;
export const MAX_LONG = 2000;
export const MAX_QUESTIONS = 20;
export const MAX_CHOICES = 30;

export interface Question {
  /** The form field's stable name (from the label, so a reordered sheet keeps old pages working). */
  key: string;
  label: string;
  type: QuestionType;
  choices: string[];
  required: boolean;
  perPerson: boolean;
  door: boolean;
  private: boolean;
}

export interface QuestionProblem {
  /** The sheet row (1-based), and the column whose cell holds the mistake. */
  row: number;
  column: QuestionHeader;
  message: string;
}

/**
 * Headers the keeper owns in Guests: a question may not take one of their names (its answers
 * would land in, or be read from, the keeper's own column).
 */
const RESERVED = new Set(
  [
    'email',
    'name',
    'status',
    'waitlist #',
    'source',
    'created',
    'updated',
    'offer expires',
    'note',
    'token',
    'party',
  ].map((h) => h.toLowerCase()),
);

const norm = (v: unknown) =>
  oneLine(String(v ?? ''))
    .toLowerCase()
    .replace(/\s*\/\s*/g, '/');

function yesNo(v: unknown, dflt: boolean): boolean | null {
  const t = norm(v);
  if (!t) return dflt;
  if (['yes', 'y', 'true', 'on', '1'].includes(t)) return true;
  if (['no', 'n', 'false', 'off', '0'].includes(t)) return false;
  return null;
}

/** FNV-1a in base 36: a short, stable field name for a label (lower-cased). */
export function keyOf(label: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `q_${h.toString(36)}`;
}

export function splitChoices(v: unknown): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of String(v ?? '').split(/[\n,;]/)) {
    const c = oneLine(part).slice(0, MAX_SHORT);
    if (c && !seen.has(c.toLowerCase())) {
      seen.add(c.toLowerCase());
      out.push(c);
    }
  }
  return out;
}

/**
 * The questions the form asks, from the Questions sheet's rows (as records by header, with their
 * row), and a problem for every cell that holds a mistake. A broken question is left off the form;
 * the rest still work, and registration stays open.
 */
export function parseQuestions(
  rows: ReadonlyArray<Partial<Record<QuestionHeader, unknown>> & { row: number }>,
): {
  questions: Question[];
  problems: QuestionProblem[];
  /** Every question marked private, asked or not: what "Delete private answers" clears. */
  privateLabels: string[];
} {
  const questions: Question[] = [];
  const problems: QuestionProblem[] = [];
  const privateLabels: string[] = [];
  const labels = new Set<string>();
  for (const r of rows) {
    const label = oneLine(String(r.Question ?? '')).slice(0, MAX_SHORT);
    const ask = yesNo(r.Ask, true);
    const mine: QuestionProblem[] = [];
    const problem = (column: QuestionHeader, message: string) => mine.push({ row: r.row, column, message });
    if (!label) {
      if (Object.entries(r).some(([k, v]) => k !== 'row' && k !== 'Problem' && String(v ?? '').trim()))
        problem('Question', 'A question needs its words here.');
      problems.push(...mine);
      continue;
    }
    if (ask === null) problem('Ask', 'Type yes or no.');
    const type = norm(r.Type || 'short text') as QuestionType;
    if (!QUESTION_TYPES.includes(type))
      problem('Type', `Type should be one of: ${QUESTION_TYPES.join(', ')}.`);
    const choices = splitChoices(r.Choices);
    const choosing = type === 'one choice' || type === 'several choices';
    if (choosing && !choices.length) problem('Choices', 'List the choices, separated by commas.');
    if (choices.length > MAX_CHOICES) problem('Choices', `At most ${MAX_CHOICES} choices.`);
    const required = yesNo(r.Required, false);
    if (required === null) problem('Required', 'Type yes or no.');
    const asked = norm(r.Asked || 'once per RSVP');
    const perPerson = asked === 'for each person' ? true : asked === 'once per rsvp' ? false : null;
    if (perPerson === null) problem('Asked', `Type "${ASKED[0]}" or "${ASKED[1]}".`);
    const door = yesNo(r['At the door'], false);
    if (door === null) problem('At the door', 'Type yes or no.');
    const priv = yesNo(r.Private, false);
    if (priv === null) problem('Private', 'Type yes or no.');
    // Unreadable counts as private: deleting too much is the safe side of a typo.
    if (priv !== false) privateLabels.push(label);
    const lower = label.toLowerCase();
    if (RESERVED.has(lower))
      problem('Question', `"${label}" is a Guests column already: word the question another way.`);
    else if (labels.has(lower)) problem('Question', 'The same question is asked above: each question once.');
    problems.push(...mine);
    if (ask === false) continue;
    labels.add(lower);
    if (mine.length) continue;
    if (questions.length >= MAX_QUESTIONS) {
      problems.push({
        row: r.row,
        column: 'Question',
        message: `At most ${MAX_QUESTIONS} questions are asked.`,
      });
      continue;
    }
    questions.push({
      key: keyOf(lower),
      label,
      type,
      choices: choosing ? choices : [],
      required: !!required,
      perPerson: !!perPerson,
      door: !!door,
      private: !!priv,
    });
  }
  return { questions, problems, privateLabels };
}

/** An optional one-line text question (the form's own "Their name" for a party's person 2, 3…). */
export const textQuestion = (label: string): Question => ({
  key: '',
  label,
  type: 'short text',
  choices: [],
  required: false,
  perPerson: false,
  door: false,
  private: false,
});

/** A form field's name: the question's key, and for a per-person question the person (1 = the guest). */
export const fieldName = (q: Question, person = 1): string => (q.perPerson ? `${q.key}_${person}` : q.key);
/** The optional name of the party's person 2, 3… */
export const personField = (person: number): string => `person_${person}`;

/** One answer as the guest gave it, checked: the text to store, or why it cannot be. */
export function checkAnswer(
  q: Question,
  values: readonly string[],
): { ok: true; text: string } | { ok: false; error: string } {
  const given = values.map((v) => stripInvisible(String(v ?? ''))).filter((v) => v.trim() !== '');
  if (!given.length)
    return q.required ? { ok: false, error: `Please answer: ${q.label}` } : { ok: true, text: '' };
  switch (q.type) {
    case 'short text': {
      const t = oneLine(given[0]);
      return t.length > MAX_SHORT
        ? { ok: false, error: `Please keep this to ${MAX_SHORT} characters or fewer.` }
        : { ok: true, text: t };
    }
    case 'long text': {
      // Lines kept (a long answer may have them), other control characters gone, at most MAX_LONG.
      const t = given[0]
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((l) => oneLine(l))
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
      return t.length > MAX_LONG
        ? { ok: false, error: `Please keep this to ${MAX_LONG.toLocaleString('en')} characters or fewer.` }
        : { ok: true, text: t };
    }
    case 'number': {
      const t = oneLine(given[0]).replace(/,/g, '');
      const n = Number(t);
      return t && Number.isFinite(n) && Math.abs(n) < 1e9
        ? { ok: true, text: String(n) }
        : { ok: false, error: 'Please enter a number.' };
    }
    case 'yes/no': {
      const yn = yesNo(given[0], false);
      return yn === null
        ? { ok: false, error: 'Please choose yes or no.' }
        : { ok: true, text: yn ? 'yes' : 'no' };
    }
    case 'one choice':
    case 'several choices': {
      const picked = given.map((g) => oneLine(g));
      const known = picked.map((p) => q.choices.find((c) => c.toLowerCase() === p.toLowerCase()));
      if (known.some((k) => !k)) return { ok: false, error: 'Please pick from the choices given.' };
      if (q.type === 'one choice' && known.length > 1) return { ok: false, error: 'Please pick one.' };
      return { ok: true, text: [...new Set(known as string[])].join(', ') };
    }
  }
}

/** The answers a guest gave, by question label: one text, or (per person) one per person. */
export type Answers = Record<string, string[]>;

/**
 * Every question's answer from the posted fields, for a party of `party`. Per-person questions are
 * asked of persons 1..party (names optional). Errors are keyed by field name, as the form shows them.
 * `only`: check just these questions (the guest's page changes some answers and leaves the rest).
 */
export function readAnswers(
  questions: readonly Question[],
  field: (name: string) => string[],
  party: number,
): { ok: true; answers: Answers; names: string[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const answers: Answers = {};
  const names = [''];
  for (let p = 2; p <= party; p++) names.push(oneLine(field(personField(p))[0] ?? '').slice(0, MAX_SHORT));
  for (const q of questions) {
    const people = q.perPerson ? party : 1;
    const texts: string[] = [];
    for (let p = 1; p <= people; p++) {
      const a = checkAnswer(q, field(fieldName(q, p)));
      // Whose answer is missing, when the question is asked of each person.
      const whose =
        p > 1 && a.ok === false && a.error.startsWith('Please answer:') ? names[p - 1] || `Guest ${p}` : '';
      if (!a.ok) errors[fieldName(q, p)] = whose ? `Please answer for ${whose}: ${q.label}` : a.error;
      else texts.push(a.text);
    }
    if (texts.length === people) answers[q.label] = texts;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers, names };
}

/** What a person is called in a per-person cell: the guest by their name, the others as given or "Guest 2". */
export const personLabel = (guestName: string, names: readonly string[], p: number): string =>
  noColon(p === 1 ? oneLine(guestName) || 'Guest 1' : names[p - 1] || `Guest ${p}`);

/** A name in a per-person cell has no colon: the first ": " on each line ends the name. */
const noColon = (name: string) => name.replace(/\s*:\s*/g, ' ').trim();

/** The cell text of one question's answer: the text, or one line per person ("Ada: vegan"). */
export function answerCell(
  q: Question,
  texts: readonly string[],
  guestName: string,
  names: readonly string[],
): string {
  if (!q.perPerson) return texts[0] ?? '';
  if (texts.every((t) => !t)) return '';
  return texts.map((t, i) => `${personLabel(guestName, names, i + 1)}: ${t}`).join('\n');
}

/**
 * A per-person cell read back: each person's label and answer, in order. A line without "label: "
 * (typed by the host) is one person's answer as it stands.
 */
export function splitPersonCell(cell: string): Array<{ person: string; answer: string }> {
  return String(cell ?? '')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const m = /^([^:\n]{1,200}):\s?(.*)$/.exec(l);
      return m ? { person: m[1].trim(), answer: m[2].trim() } : { person: '', answer: l.trim() };
    });
}

/** Whether a row still lacks an answer to a required question (its cells by label). */
export function missingRequired(questions: readonly Question[], cells: Record<string, unknown>): Question[] {
  return questions.filter((q) => q.required && !String(cells[q.label] ?? '').trim());
}

/** The cells of the answers, by label, for a row (the Guests cells the answers fill). */
export function answerCells(
  questions: readonly Question[],
  answers: Answers,
  guestName: string,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of questions)
    if (answers[q.label]) out[q.label] = answerCell(q, answers[q.label], guestName, names);
  return out;
}

/**
 * How the dashboard counts a question's answers: for each choice (or yes/no), how many people chose
 * it (a per-person question) or how many RSVPs (seats, when `seats` gives each RSVP's party).
 */
export function tally(
  q: Question,
  cells: ReadonlyArray<{ cell: string; party: number }>,
): {
  label: string;
  unit: 'people' | 'seats' | 'RSVPs';
  counts: Array<{ choice: string; n: number }>;
  answered: number;
} {
  const options = q.type === 'yes/no' ? ['yes', 'no'] : q.choices;
  const counts = new Map(options.map((c) => [c.toLowerCase(), 0]));
  let answered = 0;
  for (const { cell, party } of cells) {
    const answers = q.perPerson ? splitPersonCell(cell).map((p) => p.answer) : [String(cell ?? '').trim()];
    for (const a of answers) {
      if (!a) continue;
      answered += q.perPerson ? 1 : party;
      for (const part of q.type === 'several choices' ? a.split(',') : [a]) {
        const k = part.trim().toLowerCase();
        if (counts.has(k)) counts.set(k, (counts.get(k) ?? 0) + (q.perPerson ? 1 : party));
      }
    }
  }
  return {
    label: q.label,
    unit: q.perPerson ? 'people' : 'seats',
    counts: options.map((c) => ({ choice: c, n: counts.get(c.toLowerCase()) ?? 0 })),
    answered,
  };
}
