/**
 * The Questions sheet: one row per question the form asks (core/questions.ts). The host edits it; a
 * mistake is flagged on its cell (a note and a colour) and in the Problem column, and that question
 * is left off the form. Found by header, so the host may reorder its columns.
 */
import {
  ASKED,
  EXAMPLE_QUESTION,
  QUESTION_HEADERS,
  QUESTION_TYPES,
  Question,
  QuestionHeader,
  QuestionProblem,
  YES_NO,
  parseQuestions,
} from '../core/questions';
import { FLAG_BACKGROUND } from './settings-table';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const QUESTIONS_SHEET = 'Questions';
const FLAG = 'RSVP: ';

export interface QuestionsRead {
  questions: Question[];
  privateLabels: string[];
  problems: QuestionProblem[];
  /** Where each header is (0-based), for flagging. */
  columns: Partial<Record<QuestionHeader, number>>;
  rows: number;
}

export class QuestionsTable {
  private constructor(private readonly sheet: Sheet) {}

  static open(ss: Spreadsheet): QuestionsTable | null {
    const sheet = ss.getSheetByName(QUESTIONS_SHEET);
    return sheet ? new QuestionsTable(sheet) : null;
  }

  /** Set up: the sheet with its headers, dropdowns and one example row turned off. */
  static ensure(ss: Spreadsheet, report: string[]): QuestionsTable {
    const had = ss.getSheetByName(QUESTIONS_SHEET);
    if (had) return new QuestionsTable(had);
    const sheet = ss.insertSheet(QUESTIONS_SHEET);
    report.push(`created the ${QUESTIONS_SHEET} sheet`);
    sheet
      .getRange(1, 1, 1, QUESTION_HEADERS.length)
      .setValues([[...QUESTION_HEADERS]])
      .setFontWeight('bold');
    sheet
      .getRange(2, 1, 1, QUESTION_HEADERS.length)
      .setValues([QUESTION_HEADERS.map((h) => EXAMPLE_QUESTION[h])]);
    sheet.setFrozenRows(1);
    [60, 320, 130, 320, 80, 130, 90, 70, 320].forEach((w, i) => sheet.setColumnWidth(i + 1, w));
    const list = (col: QuestionHeader, values: readonly string[], help: string) =>
      sheet.getRange(2, QUESTION_HEADERS.indexOf(col) + 1, sheet.getMaxRows() - 1, 1).setDataValidation(
        SpreadsheetApp.newDataValidation()
          .requireValueInList([...values], true)
          .setAllowInvalid(false)
          .setHelpText(help)
          .build(),
      );
    list('Ask', YES_NO, 'yes: the form asks it; no: it is kept, not asked.');
    list('Type', QUESTION_TYPES, 'What kind of answer: text, a choice, a number or yes/no.');
    list('Required', YES_NO, 'yes: the guest must answer it.');
    list('Asked', ASKED, 'Once for the whole RSVP, or once for each person in the party.');
    list('At the door', YES_NO, 'yes: shown on the door list and at check-in.');
    list('Private', YES_NO, 'yes: never shown in an email or on a guest page; only this sheet holds it.');
    return new QuestionsTable(sheet);
  }

  /** The questions, from one read (every row, by header). */
  read(): QuestionsRead {
    const values = this.sheet.getDataRange().getValues();
    const header = (values[0] ?? []).map((h) => String(h).trim());
    const columns: Partial<Record<QuestionHeader, number>> = {};
    QUESTION_HEADERS.forEach((h) => {
      const i = header.findIndex((x) => x.toLowerCase() === h.toLowerCase());
      if (i >= 0) columns[h] = i;
    });
    const rows = values.slice(1).map((r, i) => {
      const rec: Partial<Record<QuestionHeader, unknown>> & { row: number } = { row: i + 2 };
      for (const [h, c] of Object.entries(columns))
        if (h !== 'Problem') rec[h as QuestionHeader] = r[c as number];
      return rec;
    });
    const { questions, problems, privateLabels } = parseQuestions(columns.Question === undefined ? [] : rows);
    return { questions, problems, privateLabels, columns, rows: values.length };
  }

  /**
   * Each problem on its cell (a note, a colour) and in the row's Problem column; cells put right
   * lose their flag. Returns how many problems there are.
   */
  flag(read: QuestionsRead): number {
    if (read.rows < 2) return 0;
    const width = this.sheet.getLastColumn();
    const range = this.sheet.getRange(2, 1, read.rows - 1, width);
    const notes = range.getNotes();
    const backgrounds = range.getBackgrounds();
    const byCell = new Map(read.problems.map((p) => [`${p.row},${read.columns[p.column] ?? -1}`, p.message]));
    const problemCol = read.columns.Problem;
    let changed = false;
    const text: string[][] = [];
    for (let r = 0; r < notes.length; r++) {
      const row = r + 2;
      for (let c = 0; c < width; c++) {
        if (c === problemCol) continue;
        const want = byCell.get(`${row},${c}`);
        const have = String(notes[r][c] ?? '');
        if (want && have !== FLAG + want) {
          notes[r][c] = FLAG + want;
          backgrounds[r][c] = FLAG_BACKGROUND;
          changed = true;
        } else if (!want && have.startsWith(FLAG)) {
          notes[r][c] = '';
          backgrounds[r][c] = null as unknown as string;
          changed = true;
        }
      }
      text.push([
        read.problems
          .filter((p) => p.row === row)
          .map((p) => `${p.column}: ${p.message}`)
          .join(' '),
      ]);
    }
    if (changed) {
      range.setNotes(notes);
      range.setBackgrounds(backgrounds);
    }
    if (problemCol !== undefined) this.sheet.getRange(2, problemCol + 1, text.length, 1).setValues(text);
    return read.problems.length;
  }
}
