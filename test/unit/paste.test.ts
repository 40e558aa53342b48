import { parseNameAndEmail, parsePaste, splitDelimited } from '../../src/core/paste';

const simple = (values: unknown[][]) =>
  parsePaste(values, 2).map((e) => [e.sheetRow, e.line, e.name, e.email, e.problem ?? '']);

describe('parsePaste', () => {
  test('Name | Email columns, either order, with a header row', () => {
    expect(
      simple([
        ['Name', 'Email'],
        ['Ada Lovelace', 'Ada@Example.com '],
        ['grace@example.com', 'Grace Hopper'],
        ['', ''],
        ['Alan', ''],
      ]),
    ).toEqual([
      [3, 0, 'Ada Lovelace', 'ada@example.com', ''],
      [4, 0, 'Grace Hopper', 'grace@example.com', ''],
      [6, 0, 'Alan', '', 'no email'],
    ]);
  });

  test('"Name <email>", quoted names and bare addresses, one per cell', () => {
    expect(
      simple([
        ['Ada Lovelace <ada@example.com>'],
        ['"Hopper, Grace" <grace@example.com>'],
        ['alan@example.com'],
        ['bob@'],
      ]),
    ).toEqual([
      [2, 0, 'Ada Lovelace', 'ada@example.com', ''],
      [3, 0, 'Hopper, Grace', 'grace@example.com', ''],
      [4, 0, '', 'alan@example.com', ''],
      [5, 0, '', '', 'malformed email: That email address is missing the part after "@".'],
    ]);
  });

  test('a CSV block pasted into one cell, with quotes, escaped quotes and a header', () => {
    const block =
      'name,email\nAda,ada@example.com\n"Hopper, Grace",grace@example.com\n"Say ""hi""",hi@example.com\n\n';
    expect(simple([[block]])).toEqual([
      [2, 1, 'Ada', 'ada@example.com', ''],
      [2, 2, 'Hopper, Grace', 'grace@example.com', ''],
      [2, 3, 'Say "hi"', 'hi@example.com', ''],
    ]);
  });

  test('TSV and semicolons, and a CSV row in one cell', () => {
    expect(
      simple([
        ['Ada\tada@example.com\r\nAlan\talan@example.com'],
        ['Grace;grace@example.com'],
        ['Bob,bob@example.com'],
      ]),
    ).toEqual([
      [2, 0, 'Ada', 'ada@example.com', ''],
      [2, 1, 'Alan', 'alan@example.com', ''],
      [3, 0, 'Grace', 'grace@example.com', ''],
      [4, 0, 'Bob', 'bob@example.com', ''],
    ]);
  });

  test('names are data: formulas, unicode and long names are kept (long ones cut to 200)', () => {
    const r = simple([
      ['=HYPERLINK("http://x","y")', 'f@example.com'],
      ['José 🎉 مريم', 'u@example.com'],
      ['x'.repeat(10000), 'l@example.com'],
    ]);
    expect(r[0][2]).toBe('=HYPERLINK("http://x","y")');
    expect(r[1][2]).toBe('José 🎉 مريم');
    expect(String(r[2][2])).toHaveLength(200);
  });

  test('rows already imported are skipped; a header only yields nothing', () => {
    expect(parsePaste([['Email'], ['a@example.com'], ['b@example.com']], 2, (i) => i === 1)).toHaveLength(1);
    expect(parsePaste([['Name', 'Email']], 2)).toEqual([]);
  });

  test('10,000 rows', () => {
    const rows = Array.from({ length: 10000 }, (_, i) => [`Guest ${i}`, `g${i}@example.com`]);
    const out = parsePaste(rows, 2);
    expect(out).toHaveLength(10000);
    expect(out[9999]).toMatchObject({ sheetRow: 10001, email: 'g9999@example.com' });
  });
});

test('splitDelimited and parseNameAndEmail', () => {
  expect(splitDelimited('a, "b, c" ,"d ""e"""', ',')).toEqual(['a', 'b, c', 'd "e"']);
  expect(parseNameAndEmail('Ada <ADA@example.com>')).toEqual({ name: 'Ada', email: 'ada@example.com' });
  expect(parseNameAndEmail('no address here')).toEqual({ problem: 'no email' });
  // Parentheses are part of a typed name, not comments to drop.
  expect(parseNameAndEmail('Ada (Countess) Lovelace <ada@x.com>')).toEqual({
    name: 'Ada (Countess) Lovelace',
    email: 'ada@x.com',
  });
  expect(parseNameAndEmail('=SUM(1) <a@x.com>')).toEqual({ name: '=SUM(1)', email: 'a@x.com' });
  expect(parseNameAndEmail('"Say \\"hi\\"" <h@x.com>')).toEqual({ name: 'Say "hi"', email: 'h@x.com' });
  expect(parseNameAndEmail('ada@x.com (Ada)')).toEqual({ name: 'Ada', email: 'ada@x.com' });
});
