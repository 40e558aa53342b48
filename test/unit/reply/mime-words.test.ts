import { decodeEncodedWords } from '../../../src/core/reply/mime-words';

describe('decodeEncodedWords', () => {
  test('B and Q, UTF-8 and ISO-8859-1', () => {
    expect(decodeEncodedWords('=?UTF-8?B?Sm9zw6k=?=')).toBe('José');
    expect(decodeEncodedWords('=?utf-8?q?Jos=C3=A9_Garc=C3=ADa?=')).toBe('José García');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?Fran=E7ois?=')).toBe('François');
    expect(decodeEncodedWords('=?iso-8859-1?b?RnJhbudvaXM=?=')).toBe('François');
    expect(decodeEncodedWords('=?windows-1252?Q?=93Ada=94?=')).toBe('“Ada”');
    expect(decodeEncodedWords('=?UTF-8?B?8J+RjQ==?=')).toBe('👍');
  });

  test('adjacent encoded words join without the whitespace between them; other text keeps it', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?Ada?= =?UTF-8?Q?_Lovelace?=')).toBe('Ada Lovelace');
    expect(decodeEncodedWords('=?UTF-8?B?Sm9z?=\r\n =?UTF-8?B?w6k=?=')).toBe('José');
    // A character split across two words (common though not allowed) is still whole.
    expect(decodeEncodedWords('=?UTF-8?Q?Jos=C3?= =?UTF-8?Q?=A9?=')).toBe('José');
    expect(decodeEncodedWords('Dr. =?UTF-8?Q?Jos=C3=A9?= Garcia')).toBe('Dr. José Garcia');
    expect(decodeEncodedWords('plain text')).toBe('plain text');
  });

  test('unknown charsets and invalid bytes', () => {
    expect(decodeEncodedWords('=?x-unknown?Q?abc?=')).toBe('=?x-unknown?Q?abc?=');
    expect(decodeEncodedWords('=?UTF-8?Q?a=FFb?=')).toBe('a\ufffdb');
    expect(decodeEncodedWords('=?UTF-8?Q?a=C3?=')).toBe('a\ufffd');
  });
});
