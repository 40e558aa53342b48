/**
 * The Index (issue 24): the formulas' values are trusted only when they prove the rows settled, and
 * the mailbox search finds every spelling of a mailbox the keeper treats as one.
 */
import { INDEX_FORMULAS, settledFromIndex } from '../../src/core/flat-index';
import { mailboxKey, mailboxPattern } from '../../src/core/email';
import { evaluate, shiftRows, storedFormula } from '../../emulator/formulas';
import { sameFormula } from '../../src/sheets/index-table';
import type { CellValue } from '../../emulator/cells';

const NOW = Date.UTC(2026, 10, 2, 10);
const day = 86400e3;

/** Guests rows (A..K) evaluated by the emulator's formulas, as the Index would show them. */
function indexOf(rows: unknown[][]): CellValue[] {
  const src = {
    timeZone: 'Europe/London',
    values: (sheet: string, a1: string) => {
      if (sheet !== 'Guests') return null;
      const col = a1.charCodeAt(0) - 65;
      return rows.map((r) => [(r[col] ?? '') as CellValue]);
    },
    formula: () => '',
  };
  return INDEX_FORMULAS.map(([, f]) => evaluate(f, src));
}

const row = (
  email: string,
  status: string,
  pos: unknown = '',
  party: unknown = '',
  expires: unknown = '',
) => [email, 'N', status, pos, 'form', '', '', expires, '', `tok-${email}`, party];

describe('settledFromIndex', () => {
  const full = [
    row('a@x.org', 'confirmed', '', 2),
    row('b@x.org', 'Confirmed'),
    row('c@x.org', 'waitlisted', 1),
    row('d@x.org', 'waitlisted', 2, 3),
    row('e@x.org', 'cancelled'),
  ];

  it('counts seats and the line from settled rows', () => {
    const s = settledFromIndex(indexOf(full), 3, NOW, 'Europe/London');
    expect(s).toMatchObject({
      lastPosition: 2,
      counts: {
        confirmed: 2,
        waitlisted: 2,
        cancelled: 1,
        seats: { confirmed: 3, waitlisted: 4 },
        seatsLeft: 0,
      },
    });
  });

  it.each([
    ['a status the keeper must settle', [...full, row('f@x.org', ' maybe')]],
    ['a copied row', [...full, full[0]]],
    ['a party typed as a word', [...full.slice(1), row('a@x.org', 'confirmed', '', 'two')]],
    ['a gap in the line', [...full.slice(0, 3), row('d@x.org', 'waitlisted', 3)]],
    ['seats free while some wait', full],
    ['an offer due now', [...full, row('g@x.org', 'offered', '', '', new Date(NOW))]],
  ])('refuses %s (the keeper reads every row)', (_why, rows) => {
    const capacity = rows === full ? 5 : 10;
    expect(settledFromIndex(indexOf(rows as unknown[][]), capacity, NOW, 'Europe/London')).toHaveProperty(
      'why',
    );
  });

  it.each(['Europe/London', 'Pacific/Auckland', 'America/Los_Angeles'])(
    'reads an offer deadline on the wall clock of the sheet (%s): due in a minute or less sends it to the rows',
    (tz) => {
      const at = (ms: number) => [...full, row('g@x.org', 'offered', '', '', new Date(NOW + ms))];
      const with_ = (ms: number) => {
        const src = {
          timeZone: tz,
          values: (_s: string, a1: string) =>
            at(ms).map((r) => [(r[a1.charCodeAt(0) - 65] ?? '') as CellValue]),
          formula: () => '',
        };
        return settledFromIndex(
          INDEX_FORMULAS.map(([, f]) => evaluate(f, src)),
          4,
          NOW,
          tz,
        );
      };
      expect(with_(5 * 60e3)).toMatchObject({ counts: { offered: 1 } });
      expect(with_(30e3)).toEqual({ why: 'an offer may be due' });
      expect(with_(-day)).toEqual({ why: 'an offer may be due' });
    },
  );

  it('refuses an index whose formulas show an error', () => {
    const v = indexOf(full);
    v[3] = '#REF!';
    expect(settledFromIndex(v, 3, NOW, 'Europe/London')).toEqual({ why: 'index not computed' });
  });
});

describe('mailboxPattern', () => {
  const spellings: Array<[string, string[]]> = [
    [
      'john.smith@gmail.com',
      ['JohnSmith@GoogleMail.com', 'j.o.h.n.smith+rsvp@gmail.com', ' <john.smith@gmail.com> '],
    ],
    ['zoë@example.com', ['ZOË@example.com', 'zoe\u0308@example.com', 'Zoe\u0308+x@Example.com']],
    ['ana@bücher.de', ['Ana@xn--bcher-kva.de', 'ana@bu\u0308cher.de', 'ana+x@BÜCHER.de', 'ana@bücher.de.']],
    ["o'neil&co@ex-ample.org", ["O'Neil&Co+tag@EX-AMPLE.ORG"]],
  ];
  it.each(spellings)('finds every spelling of %s', (email, others) => {
    const re = new RegExp(mailboxPattern(email), 'iu');
    for (const o of [email, ...others]) {
      expect(mailboxKey(o.trim().replace(/^<|>$/g, '')).normalize('NFC')).toBe(mailboxKey(email));
      expect(re.test(o)).toBe(true);
    }
  });
  it('is not found in other mailboxes of the same name', () => {
    const re = new RegExp(mailboxPattern('ana@bücher.de'), 'iu');
    expect(re.test('ana@bucher.de')).toBe(false);
    expect(re.test('anna@bücher.de')).toBe(false);
  });
});

describe('sameFormula', () => {
  test("Sheets' own spelling of a formula is the same formula; another formula is not", () => {
    const ours = '=COUNTIFS(Guests!A2:A,"<>",Guests!C2:C,"confirmed")';
    expect(sameFormula(`=countifs('Guests'!A2:A, "<>", Guests!C2:C, "confirmed")`, ours)).toBe(true);
    expect(sameFormula('=COUNTIFS(Guests!B2:B,"<>",Guests!C2:C,"confirmed")', ours)).toBe(false);
    // Inside a string, case and spaces are what is counted.
    expect(sameFormula('=COUNTIFS(Guests!A2:A,"<>",Guests!C2:C,"Confirmed ")', ours)).toBe(false);
    expect(sameFormula(3, ours)).toBe(false);
    expect(sameFormula('#N/A', ours)).toBe(false);
  });
});

describe("the runtime's formulas the Index uses", () => {
  const src = {
    timeZone: 'UTC',
    values: (sheet: string) => (sheet === 'Guests' ? [['Email']] : null),
    formula: (sheet: string, a1: string) =>
      sheet !== 'Index' ? null : a1 === 'A2' ? '=COUNT(Guests!D2:D)' : '',
  };
  test('a reference shows its cell; FORMULATEXT shows a formula, #N/A for a cell without one, #REF! without the sheet', () => {
    expect(evaluate('=Guests!A1', src)).toBe('Email');
    expect(evaluate('=FORMULATEXT(Index!A2)', src)).toBe('=COUNT(Guests!D2:D)');
    expect(evaluate('=FORMULATEXT(Index!B2)', src)).toBe('#N/A');
    expect(evaluate('=FORMULATEXT(Gone!B2)', src)).toBe('#REF!');
    expect(evaluate('=Gone!A1', src)).toBe('#REF!');
  });
  test("a formula is stored in Sheets' spelling: capitals, no quotes a sheet name does not need", () => {
    expect(storedFormula(`=countifs('Guests'!A2:A,"<>'x'!")`)).toBe(`=COUNTIFS(Guests!A2:A,"<>'x'!")`);
    expect(storedFormula(`=SUM('My sheet'!A:A)+sum('A1'!B:B)`)).toBe(`=SUM('My sheet'!A:A)+SUM('A1'!B:B)`);
  });
  test('rows inserted or deleted: references to that sheet are rewritten as Sheets does, others stay', () => {
    const f = '=COUNTIFS(Guests!A2:A,"<>",Guests!C2:C,"x")+SUM(Log!A2:A)';
    // A row inserted below the header: the ranges start one row lower (they still cover the same cells).
    expect(shiftRows(f, 'Guests', 1, 1)).toBe('=COUNTIFS(Guests!A3:A,"<>",Guests!C3:C,"x")+SUM(Log!A2:A)');
    // Below the first guest: the range grows (its start stays).
    expect(shiftRows(f, 'Guests', 2, 1)).toBe(f);
    // The first guest's row deleted: the range starts at the next row, which is row 2 again.
    expect(shiftRows(f, 'Guests', 2, -1)).toBe(f);
    expect(shiftRows('=Guests!A1', 'Guests', 1, 1)).toBe('=Guests!A1');
    expect(shiftRows('=Guests!A1', 'Guests', 1, -1)).toBe('=#REF!');
    expect(shiftRows('=FORMULATEXT(Index!K2)', 'Index', 1, -1)).toBe('=FORMULATEXT(Index!K1)');
    expect(shiftRows("=SUM('My sheet'!B2:B9)", 'My sheet', 3, -2)).toBe("=SUM('My sheet'!B2:B7)");
    expect(shiftRows('=SUM(Guests!B2:B3)', 'Guests', 2, -2)).toBe('=SUM(#REF!)');
    expect(evaluate('=SUM(#REF!)', src)).toBe('#REF!');
  });
});
