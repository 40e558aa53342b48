/**
 * The host's questions on the web: read once per request (no lock: they decide no seat), the
 * answers a post carries checked into the cells the keeper writes, and the fields filled in again.
 */
import {
  Answers,
  QUESTIONS_CACHE_KEY,
  QUESTIONS_CACHE_S,
  Question,
  answerCells,
  fieldName,
  personField,
  readAnswers,
  splitPersonCell,
} from '../../core/questions';
import { Workbook } from '../../sheets/workbook';

type Event = GoogleAppsScript.Events.DoPost | GoogleAppsScript.Events.DoGet;

/**
 * The questions the form asks now ([] without a Questions sheet, or when it cannot be read): from
 * the script cache when it has them (see QUESTIONS_CACHE_KEY), else from the sheet.
 */
export function formQuestions(): Question[] {
  const cache = (() => {
    try {
      return CacheService.getScriptCache();
    } catch {
      return null;
    }
  })();
  try {
    const hit = cache?.get(QUESTIONS_CACHE_KEY);
    if (hit) return JSON.parse(hit) as Question[];
  } catch {
    // A cache that fails is only slower.
  }
  let questions: Question[] = [];
  try {
    questions = Workbook.open()?.questions()?.read().questions ?? [];
  } catch (e) {
    console.error(`questions not read: ${String(e)}`);
    return [];
  }
  try {
    cache?.put(QUESTIONS_CACHE_KEY, JSON.stringify(questions), QUESTIONS_CACHE_S);
  } catch {
    // Too big for one cache value (100 KB), or the cache is down: read again next time.
  }
  return questions;
}

/** Every posted value by field name (checkboxes post several). */
export function postedValues(e: Event): Record<string, string[]> {
  const all = (e as { parameters?: Record<string, string[]> }).parameters ?? {};
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(all)) if (/^(q_|person_)/.test(k)) out[k] = (v ?? []).map(String);
  return out;
}

/** The answers a post gives, checked, as the cells of the guest's row; or the field errors. */
export function postedAnswers(
  questions: readonly Question[],
  values: Record<string, string[]>,
  party: number,
  guestName: string,
):
  | { ok: true; cells: Record<string, string>; answers: Answers }
  | { ok: false; errors: Record<string, string> } {
  if (!questions.length) return { ok: true, cells: {}, answers: {} };
  const r = readAnswers(questions, (name) => values[name] ?? [], party);
  if (!r.ok) return r;
  return { ok: true, cells: answerCells(questions, r.answers, guestName, r.names), answers: r.answers };
}

/**
 * A guest's saved answers as the fields of their page (keys lower-cased labels, as answersAt gives).
 * A private answer is never put back on a page: its field is left blank, and a blank private field
 * keeps what is saved (see keptPrivate).
 */
export function savedValues(
  questions: readonly Question[],
  cells: Record<string, string>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const q of questions) {
    if (q.private) continue;
    const cell = cells[q.label.toLowerCase()] ?? '';
    if (!q.perPerson) {
      out[fieldName(q)] = q.type === 'several choices' ? cell.split(',').map((c) => c.trim()) : [cell];
      continue;
    }
    splitPersonCell(cell).forEach((p, i) => {
      out[fieldName(q, i + 1)] =
        q.type === 'several choices' ? p.answer.split(',').map((c) => c.trim()) : [p.answer];
      if (i > 0 && p.person && !/^Guest \d+$/.test(p.person)) out[personField(i + 1)] = [p.person];
    });
  }
  return out;
}

/** Private questions already answered that the guest's page left blank: kept as saved, not asked again. */
export function keptPrivate(
  questions: readonly Question[],
  cells: Record<string, string>,
  values: Record<string, string[]>,
  party: number,
): Set<string> {
  const kept = new Set<string>();
  for (const q of questions) {
    if (!q.private || !(cells[q.label.toLowerCase()] ?? '').trim()) continue;
    const names = q.perPerson ? Array.from({ length: party }, (_, i) => fieldName(q, i + 1)) : [fieldName(q)];
    if (names.every((n) => (values[n] ?? []).every((v) => !v.trim()))) kept.add(q.label);
  }
  return kept;
}
