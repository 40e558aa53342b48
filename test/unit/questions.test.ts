/** The host's questions, pure (core/questions.ts): parsing the sheet, checking answers, the cells, the counts. */
import {
  Question,
  answerCell,
  checkAnswer,
  parseQuestions,
  readAnswers,
  splitPersonCell,
  tally,
  textQuestion,
} from '../../src/core/questions';
import { questionFieldsHtml } from '../../src/core/question-fields';

const row = (n: number, cells: Record<string, string>) => ({ row: n, ...cells });

describe('questions', () => {
  test('parse: every type; a typo is a problem on its cell and leaves that question off', () => {
    const { questions, problems, privateLabels } = parseQuestions([
      row(2, {
        Ask: 'yes',
        Question: 'Diet',
        Type: 'One choice',
        Choices: 'Veg, Fish, veg',
        Required: 'yes',
        Asked: 'for each person',
      }),
      row(3, { Question: 'Notes', Type: 'long text' }),
      row(4, { Question: 'Meal', Type: 'one choise', Choices: 'A' }),
      row(5, { Question: 'Table', Type: 'one choice' }),
      row(6, { Question: 'Email', Type: 'short text' }),
      row(7, { Question: 'notes', Type: 'number' }),
      row(8, { Ask: 'no', Question: 'Phone', Private: 'yes' }),
      row(9, { Question: 'Bus?', Type: 'yes / no', Private: 'maybe' }),
      row(10, { Type: 'number' }),
      row(11, {}),
    ]);
    expect(questions.map((q) => [q.label, q.type, q.choices, q.required, q.perPerson])).toEqual([
      ['Diet', 'one choice', ['Veg', 'Fish'], true, true],
      ['Notes', 'long text', [], false, false],
    ]);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [4, 'Type'],
      [5, 'Choices'],
      [6, 'Question'],
      [7, 'Question'],
      [9, 'Private'],
      [10, 'Question'],
    ]);
    // Turned off, or unreadable: still what "Delete private answers" clears.
    expect(privateLabels).toEqual(['Phone', 'Bus?']);
    // Keys are stable whatever the row: an open page keeps working after the host reorders.
    const again = parseQuestions([row(9, { Question: 'Notes', Type: 'long text' })]).questions[0];
    expect(again.key).toBe(questions[1].key);
  });

  const q = (over: Partial<Question>): Question => ({ ...textQuestion('Q'), key: 'q_x', ...over });

  test('answers are checked as the type says, and come out as plain text', () => {
    expect(checkAnswer(q({ required: true }), [' '])).toEqual({ ok: false, error: 'Please answer: Q' });
    expect(checkAnswer(q({}), ['  a\u200b  b\n'])).toEqual({ ok: true, text: 'a b' });
    expect(checkAnswer(q({ type: 'long text' }), ['one\r\ntwo\n\n\n\nthree'])).toEqual({
      ok: true,
      text: 'one\ntwo\n\nthree',
    });
    expect(checkAnswer(q({ type: 'number' }), ['1,500'])).toEqual({ ok: true, text: '1500' });
    expect(checkAnswer(q({ type: 'number' }), ['1e999']).ok).toBe(false);
    expect(checkAnswer(q({ type: 'yes/no' }), ['Y'])).toEqual({ ok: true, text: 'yes' });
    const pick = q({ type: 'several choices', choices: ['S', 'M'] });
    expect(checkAnswer(pick, ['m', 'S', 'M'])).toEqual({ ok: true, text: 'M, S' });
    expect(checkAnswer(pick, ['XL']).ok).toBe(false);
    expect(checkAnswer(q({ type: 'one choice', choices: ['A', 'B'] }), ['A', 'B']).ok).toBe(false);
    expect(checkAnswer(q({}), ['x'.repeat(201)]).ok).toBe(false);
  });

  test('a party of 3: each person answers; the cell holds a line each and reads back', () => {
    const diet = q({
      key: 'q_d',
      label: 'Diet',
      type: 'one choice',
      choices: ['Veg', 'Fish'],
      required: true,
      perPerson: true,
    });
    const fields: Record<string, string[]> = {
      q_d_1: ['veg'],
      q_d_2: ['Fish'],
      person_2: ['Bob: the builder'],
    };
    const missing = readAnswers([diet], (n) => fields[n] ?? [], 3);
    expect(missing).toEqual({ ok: false, errors: { q_d_3: 'Please answer for Guest 3: Diet' } });
    fields.q_d_3 = ['Veg'];
    const r = readAnswers([diet], (n) => fields[n] ?? [], 3);
    if (!r.ok) throw new Error('not ok');
    const cell = answerCell(diet, r.answers.Diet, 'Ada', r.names);
    expect(cell).toBe('Ada: Veg\nBob the builder: Fish\nGuest 3: Veg');
    // A colon in a name is written as a space: each line's first ": " ends the name.
    expect(splitPersonCell('Ada: Veg\nGuest 3: Veg').map((p) => p.answer)).toEqual(['Veg', 'Veg']);
    expect(tally(diet, [{ cell, party: 3 }]).counts).toEqual([
      { choice: 'Veg', n: 2 },
      { choice: 'Fish', n: 1 },
    ]);
  });

  test('fields escape every label, choice and value', () => {
    const html = questionFieldsHtml({
      questions: [q({ label: '<b>Q</b>', type: 'one choice', choices: ['"><script>'] })],
      values: { q_x: ['"><img src=x>'] },
      errors: { q_x: '<i>bad</i>' },
      largestParty: 1,
    });
    expect(html).not.toMatch(/<script>|<img|<b>|<i>/);
    expect(html).toContain('&#60;b&#62;Q&#60;/b&#62;');
  });
});
