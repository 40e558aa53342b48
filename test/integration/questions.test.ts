/**
 * The host's questions (issue 25), through the built bundle: the Questions sheet, the fields on the
 * form with and without JavaScript (JSON and page answers), per-person answers for a party, hostile
 * text, a broken question, the guest's page, and private answers kept out of every email and page.
 */
import { Runtime } from '../../emulator/runtime';
import {
  deliverReply,
  guests,
  htmlOf,
  jsonOf,
  pollReplies,
  runTrigger,
  setUpRuntime,
  sheetRecords,
} from '../helpers';

const HEADERS = ['Ask', 'Question', 'Type', 'Choices', 'Required', 'Asked', 'At the door', 'Private'];

/** The host's questions, typed into the Questions sheet below its header (the example row replaced). */
async function ask(rt: Runtime, rows: string[][]): Promise<void> {
  await rt.hostEdit('Questions', `A2:H${rows.length + 1}`, rows);
}

/** A form post as a browser makes it: repeated names for ticked boxes. */
function post(rt: Runtime, fields: Array<[string, string]>) {
  const contents = new URLSearchParams(fields).toString();
  return rt.web('POST', {}, { type: 'application/x-www-form-urlencoded', contents });
}

const cells = (rt: Runtime, email: string) => sheetRecords(rt, 'Guests').find((r) => r.Email === email)!;

/** Every field's name on a page. */
const fieldNames = (html: string) => [
  ...new Set([...html.matchAll(/name="(q_[a-z0-9_]+|person_\d+)"/g)].map((m) => m[1])),
];

describe('questions on the RSVP', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  const DIET = [
    'yes',
    'Dietary needs',
    'one choice',
    'None, Vegetarian, Vegan',
    'yes',
    'for each person',
    'yes',
    'no',
  ];
  const SHIRT = ['yes', 'T-shirt size', 'several choices', 'S, M, L', 'no', 'once per RSVP', 'no', 'no'];
  const NOTES = ['yes', 'Anything else?', 'long text', '', 'no', 'once per RSVP', 'no', 'no'];
  const AGE = ['yes', 'How many years have you come?', 'number', '', 'no', 'once per RSVP', 'no', 'no'];
  const BUS = ['yes', 'Taking the bus?', 'yes/no', '', 'no', 'once per RSVP', 'no', 'no'];
  const PHONE = ['yes', 'Phone for emergencies', 'short text', '', 'no', 'once per RSVP', 'no', 'yes'];

  test('Set up makes the Questions sheet with one example turned off: the form asks nothing yet', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    const rows = rt.backend.sheetRaw('Questions');
    expect(rows[0].slice(0, 8)).toEqual(HEADERS);
    expect(rows[1][0]).toBe('no');
    expect(rows[1][1]).toBe('Any dietary needs?');
    expect(fieldNames(htmlOf(await rt.web('GET')))).toEqual([]);
  });

  test('every type on the page without JavaScript; a missing required answer is asked in place; then the row holds each answer', async () => {
    rt = await setUpRuntime({ capacity: 5, settings: { 'Largest party': 3 } });
    await ask(rt, [DIET, SHIRT, NOTES, AGE, BUS, PHONE]);
    const html = htmlOf(await rt.web('GET'));
    for (const label of [
      'Dietary needs',
      'T-shirt size',
      'Anything else?',
      'How many years have you come?',
      'Taking the bus?',
      'Phone for emergencies',
    ])
      expect(html).toContain(label);
    const names = fieldNames(html);
    const diet = names.filter((n) => /_\d$/.test(n) && !n.startsWith('person'));
    expect(diet).toHaveLength(3);
    // The field that follows a question's words (a label, or a fieldset's legend).
    const key = (label: string) => {
      const at = html.indexOf(`>${label}`);
      return /name="(q_[a-z0-9]+)"/.exec(html.slice(at))![1];
    };
    const [shirt, notes, years, phone, bus] = [
      'T-shirt size',
      'Anything else?',
      'How many years have you come?',
      'Phone for emergencies',
      'Taking the bus?',
    ].map(key);
    const dietKey = diet[0].replace(/_1$/, '');
    // Without the required answer: the page comes back with the error on its field and the rest kept.
    const base: Array<[string, string]> = [
      ['name', 'Ada'],
      ['email', 'ada@example.com'],
      ['party', '2'],
      [shirt, 'M'],
      [shirt, 'L'],
      [notes, 'Window seat\nplease'],
    ];
    const missing = htmlOf(await post(rt, base));
    expect(missing).toContain(`id="f-${dietKey}_1-error"`);
    expect(missing).toContain('Please answer: Dietary needs');
    expect(missing).toMatch(/value="M" checked/);
    expect(guests(rt)).toHaveLength(0);
    const ok = htmlOf(
      await post(rt, [
        ...base,
        [`${dietKey}_1`, 'Vegan'],
        [`${dietKey}_2`, 'none'],
        ['person_2', 'Bob'],
        // Person 3 is not in the party of 2: ignored.
        [`${dietKey}_3`, 'Vegetarian'],
        [years, '1,024'],
        [bus, 'yes'],
        [phone, '+44 20 7946 0000'],
      ]),
    );
    expect(ok).toContain('in! 2 seats are held for you.');
    const row = cells(rt, 'ada@example.com');
    expect(row['Dietary needs']).toBe('Ada: Vegan\nBob: None');
    expect(row['T-shirt size']).toBe('M, L');
    expect(row['Anything else?']).toBe('Window seat\nplease');
    expect(row['How many years have you come?']).toBe('1024');
    expect(row['Taking the bus?']).toBe('yes');
    expect(row['Phone for emergencies']).toBe('+44 20 7946 0000');
  });

  test('with JavaScript (JSON): errors by field, nothing written; hostile text stays plain text', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await ask(rt, [NOTES, AGE, SHIRT]);
    const html = htmlOf(await rt.web('GET'));
    const [notes, years, shirt] = fieldNames(html);
    const json = (extra: Array<[string, string]>) =>
      post(rt, [['name', 'Eve'], ['email', 'eve@example.com'], ['format', 'json'], ...extra]).then(jsonOf);
    const bad = await json([
      [notes, 'x'.repeat(50000)],
      [years, 'lots'],
      [shirt, 'XXL'],
    ]);
    expect(bad.status).toBe('invalid');
    expect(bad.errors).toEqual({
      [notes]: 'Please keep this to 2,000 characters or fewer.',
      [years]: 'Please enter a number.',
      [shirt]: 'Please pick from the choices given.',
    });
    expect(guests(rt)).toHaveLength(0);
    const formula = '=HYPERLINK("http://evil.example","click")';
    const good = await json([
      [notes, `${formula}\u200b <script>alert(1)</script>`],
      [years, '-3'],
    ]);
    expect(good.status).toBe('confirmed');
    const raw = rt.backend.sheetRaw('Guests');
    const col = raw[0].indexOf('Anything else?');
    expect(raw[1][col]).toBe(`${formula} <script>alert(1)</script>`);
    // Stored as text, never a formula.
    const sheet = rt.backend.ss.byName('Guests')!;
    expect(JSON.stringify(sheet.rows[1]?.[col])).not.toContain('"f"');
  });

  test('a broken question is flagged on its cell and left off the form; registration stays open', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    // An older sheet without the dropdowns, where a typo can get in.
    rt.backend.ss.byName('Questions')!.validations = {};
    await ask(rt, [
      NOTES,
      ['yes', 'Meal', 'one choise', 'Fish, Veg', 'yes', 'once per RSVP', 'no', 'no'],
      ['yes', 'Table', 'one choice', '', 'no', '', '', ''],
    ]);
    const rows = sheetRecords(rt, 'Questions');
    expect(rows[1].Problem).toMatch(/^Type: Type should be one of/);
    expect(rows[2].Problem).toBe('Choices: List the choices, separated by commas.');
    const notes = rt.backend.ss.byName('Questions')!.notes;
    expect(Object.values(notes).some((n) => n.startsWith('RSVP: Type should be one of'))).toBe(true);
    const html = htmlOf(await rt.web('GET'));
    expect(html).toContain('Anything else?');
    expect(html).not.toContain('Meal');
    const r = jsonOf(
      await post(rt, [
        ['name', 'Al'],
        ['email', 'al@example.com'],
        ['format', 'json'],
      ]),
    );
    expect(r.status).toBe('confirmed');
    // Fixed: the flag goes, the question is asked.
    await rt.hostEdit('Questions', 'C3', [['one choice']]);
    expect(sheetRecords(rt, 'Questions')[1].Problem).toBe('');
    expect(htmlOf(await rt.web('GET'))).toContain('Meal');
  });

  test("the guest's page: details filled in and changed; a private answer is never shown on a page or in any email", async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await ask(rt, [NOTES, PHONE]);
    const [notes, phone] = fieldNames(htmlOf(await rt.web('GET')));
    await post(rt, [
      ['name', 'Ada'],
      ['email', 'ada@example.com'],
      [notes, 'Aisle seat'],
      [phone, '07700 900123'],
    ]);
    await runTrigger(rt, 'sendQueuedEmails');
    const token = cells(rt, 'ada@example.com').Token as string;
    const pageHtml = htmlOf(await rt.web('GET', { action: 'status', t: token }));
    expect(pageHtml).toContain('Your details');
    expect(pageHtml).toContain('Aisle seat');
    expect(pageHtml).not.toContain('07700 900123');
    // Changed from the page; the private answer left blank is kept.
    const saved = htmlOf(
      await post(rt, [
        ['action', 'answers'],
        ['t', token],
        [notes, 'Near the door'],
      ]),
    );
    expect(saved).toContain('Thanks: your details are saved.');
    expect(saved).toContain('Near the door');
    const row = cells(rt, 'ada@example.com');
    expect(row['Anything else?']).toBe('Near the door');
    expect(row['Phone for emergencies']).toBe('07700 900123');
    expect(row.Status).toBe('confirmed');
    // No email, and no page, ever carries the private answer.
    for (const m of rt.backend.mail) expect(JSON.stringify(m)).not.toContain('07700');
    expect(htmlOf(await rt.web('GET', { action: 'status', t: token }))).not.toContain('07700');
  });

  test('the other lanes cannot ask: a "yes" by email gets "Complete your details", the page asks, and the dashboard counts what is missing', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await ask(rt, [DIET.map((v, i) => (i === 5 ? 'once per RSVP' : v)), SHIRT]);
    deliverReply(rt, 'Grace Hopper <grace@example.com>', 'Yes please!');
    await pollReplies(rt);
    await runTrigger(rt, 'sendQueuedEmails');
    const mail = rt.backend.mail.find((m) => m.to.includes('grace@example.com'))!;
    expect(mail.body).toContain('Complete your details');
    expect(mail.body).toContain('The host has a few questions for you');
    const token = cells(rt, 'grace@example.com').Token as string;
    expect(String(mail.body)).toContain(`t=${token}`);
    const dash = async () =>
      (await rt.run('dashboardData', [], { context: 'editor' })).result as {
        answers: { lines: string[]; missing: number };
      };
    expect((await dash()).answers.missing).toBe(1);
    // Only those missing required details: Grace, not Ada who answered on the form.
    const [diet] = fieldNames(htmlOf(await rt.web('GET')));
    await post(rt, [
      ['name', 'Ada'],
      ['email', 'ada@example.com'],
      [diet, 'Vegan'],
    ]);
    const preview = (await rt.scriptRun(
      'previewMessage',
      [
        {
          audience: ['confirmed'],
          missingDetails: true,
          subject: 'Your details',
          text: 'Hi {name}, please answer: {link}',
        },
      ],
      'sidebar',
    )) as { ok: boolean; result: { recipients: number; preview: { to: string } } };
    expect(preview.result.recipients).toBe(1);
    expect(preview.result.preview.to).toBe('grace@example.com');
    // On her page: the question, required; an empty save is refused in place; then answered.
    const refused = htmlOf(
      await post(rt, [
        ['action', 'answers'],
        ['t', token],
      ]),
    );
    expect(refused).toContain('Please answer: Dietary needs');
    expect(cells(rt, 'grace@example.com')['Dietary needs'] ?? '').toBe('');
    await post(rt, [
      ['action', 'answers'],
      ['t', token],
      [diet, 'vegetarian'],
    ]);
    expect(cells(rt, 'grace@example.com')['Dietary needs']).toBe('Vegetarian');
    const d = await dash();
    expect(d.answers.missing).toBe(0);
    expect(d.answers.lines[0]).toBe('Dietary needs: 1 Vegetarian, 1 Vegan (seats)');
  });

  test('an import maps pasted columns to questions by their header; an answer that does not fit is left out and said', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await ask(rt, [DIET.map((v, i) => (i === 4 ? 'no' : v)), NOTES]);
    // A form's export, pasted whole (its own header row).
    await rt.hostEdit('Import', 'A1:D3', [
      ['Name', 'Email', 'Dietary needs', 'Anything else?'],
      ['Ada', 'ada@example.com', 'vegan', 'Front row'],
      ['Bob', 'bob@example.com', 'Pizza', ''],
    ]);
    const r = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(r.result).toMatch(/^2 imported/);
    expect(cells(rt, 'ada@example.com')['Dietary needs']).toBe('Ada: Vegan');
    expect(cells(rt, 'ada@example.com')['Anything else?']).toBe('Front row');
    expect(cells(rt, 'bob@example.com')['Dietary needs'] ?? '').toBe('');
    const results = rt.backend.sheetRaw('Import').map((row) => row.join(' | '));
    expect(results[2]).toContain('"Dietary needs" not taken (Please pick from the choices given.)');
    // Another export pasted below, with its own header row: its columns are read by that header.
    await rt.hostEdit('Import', 'A5:D6', [
      ['Timestamp', 'Email', 'Name', 'Dietary needs'],
      ['2026/06/01 08:00:00', 'cy@example.com', 'Cy', 'Vegetarian'],
    ]);
    expect((await rt.run('importConfirmed', [], { context: 'editor' })).result).toMatch(/^1 imported/);
    expect(cells(rt, 'cy@example.com')['Dietary needs']).toBe('Cy: Vegetarian');
  });

  test('Party details: one row per person, rebuilt by the 10-minute run; private answers deleted after the event, after a yes', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 3 } });
    const PRIVATE_DIET = DIET.map((v, i) => (i === 7 ? 'yes' : v));
    await ask(rt, [PRIVATE_DIET, NOTES]);
    const names = fieldNames(htmlOf(await rt.web('GET')));
    const diet = names.find((n) => n.endsWith('_1') && !n.startsWith('person'))!.replace(/_1$/, '');
    const notes = names.find((n) => !/_\d$/.test(n))!;
    await post(rt, [
      ['name', 'Ada'],
      ['email', 'ada@example.com'],
      ['party', '3'],
      [`${diet}_1`, 'Vegan'],
      [`${diet}_2`, 'None'],
      [`${diet}_3`, 'Vegetarian'],
      ['person_2', 'Bob'],
      [notes, 'By train'],
    ]);
    await runTrigger(rt, 'sendQueuedEmails');
    expect(rt.backend.sheetRaw('Party details')).toEqual([
      ['Email', 'RSVP name', 'Person', 'Name', 'Status', 'Dietary needs'],
      ['ada@example.com', 'Ada', '1', 'Ada', 'confirmed', 'Vegan'],
      ['ada@example.com', 'Ada', '2', 'Bob', 'confirmed', 'None'],
      ['ada@example.com', 'Ada', '3', 'Guest 3', 'confirmed', 'Vegetarian'],
    ]);
    // Before the event: refused, nothing changes.
    const early = await rt.run('deletePrivateAnswers', [], { context: 'editor' });
    expect(early.result).toMatch(/has not ended yet/);
    expect(cells(rt, 'ada@example.com')['Dietary needs']).toContain('Vegan');
    // After it: the host says no, then yes.
    rt.backend.hostEdit(
      'Settings',
      `B${rt.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Starts at') + 1}`,
      [[new Date(rt.backend.now() - 3 * 86400e3)]],
    );
    rt.backend.alertAnswers.push('NO');
    expect((await rt.run('deletePrivateAnswers', [], { context: 'editor' })).result).toBe(
      'Nothing was deleted.',
    );
    expect(cells(rt, 'ada@example.com')['Dietary needs']).toContain('Vegan');
    rt.backend.alertAnswers.push('YES');
    const r = await rt.run('deletePrivateAnswers', [], { context: 'editor' });
    expect(r.result).toBe('Deleted 1 private answer (Dietary needs).');
    const row = cells(rt, 'ada@example.com');
    expect(row['Dietary needs']).toBe('');
    expect(row['Anything else?']).toBe('By train');
    expect(row.Status).toBe('confirmed');
    expect(
      rt.backend
        .sheetRaw('Party details')
        .slice(1)
        .map((x) => x[5]),
    ).toEqual(['', '', '']);
    const log = sheetRecords(rt, 'Log').map((l) => String(l.Detail));
    expect(log).toContain('private answers deleted after the event: 1 answer (Dietary needs)');
  });

  test('a question added late is asked on the page of those who signed up before, and no email goes out for it; the embed asks it too', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await post(rt, [
      ['name', 'Early'],
      ['email', 'early@example.com'],
    ]);
    await runTrigger(rt, 'sendQueuedEmails');
    const mails = rt.backend.mail.length;
    await ask(rt, [NOTES, SHIRT]);
    await runTrigger(rt, 'sendQueuedEmails');
    expect(rt.backend.mail.length).toBe(mails);
    const token = cells(rt, 'early@example.com').Token as string;
    const page = htmlOf(await rt.web('GET', { action: 'status', t: token }));
    expect(page).toContain('Your details');
    expect(page).toContain('Anything else?');
    // The embed snippet, copied from the dashboard now, carries the same fields.
    const share = await rt.scriptRun('dashboardShare', [], 'sidebar');
    const snippet = (share as { ok: true; result: { snippet: string } }).result.snippet;
    for (const name of fieldNames(htmlOf(await rt.web('GET')))) expect(snippet).toContain(`name="${name}"`);
    expect(snippet).toContain('T-shirt size');
  });
});
