import { parseSender } from '../../../src/core/reply/sender';
import { ada } from './messages';

describe('parseSender', () => {
  test('forms of From', () => {
    expect(parseSender('Ada Lovelace <ADA@example.com>', '')).toEqual(ada);
    expect(parseSender('"Lovelace, Ada" <ada@example.com>', '')).toEqual({
      name: 'Lovelace, Ada',
      email: 'ada@example.com',
    });
    expect(parseSender('  ada@example.com ', '')).toEqual({ name: '', email: 'ada@example.com' });
    expect(parseSender('<ada@example.com>', '')).toEqual({ name: '', email: 'ada@example.com' });
    expect(parseSender('ada@example.com (Ada Lovelace)', '')).toEqual(ada);
    expect(parseSender('Ada (from work) <ada@example.com>', '')).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
    });
    expect(parseSender('"ada@example.com" <ada@example.com>', '')).toEqual({
      name: '',
      email: 'ada@example.com',
    });
    expect(parseSender('"=?UTF-8?B?Sm9zw6k=?=" <jose@example.com>', '')).toEqual({
      name: 'José',
      email: 'jose@example.com',
    });
    // Not RFC 5322 (an unquoted ':'), still readable.
    expect(parseSender('Dr: Ada <ada@example.com>', '')).toEqual({
      name: 'Dr: Ada',
      email: 'ada@example.com',
    });
  });

  test('no valid address', () => {
    expect(parseSender('', '')).toBeNull();
    expect(parseSender('Ada Lovelace', 'ada@example.com')).toBeNull();
    expect(parseSender('Ada <ada@localhost>', '')).toBeNull();
    expect(parseSender('Ada <ada@@example.com>', '')).toBeNull();
  });

  test('Reply-To only names the same mailbox', () => {
    expect(parseSender('ada@example.com', 'Mallory <mallory@evil.example>')).toEqual({
      name: '',
      email: 'ada@example.com',
    });
    expect(
      parseSender('ada@example.com', 'Mallory <mallory@evil.example>, "Lovelace, Ada" <ada@example.com>'),
    ).toEqual({
      name: 'Lovelace, Ada',
      email: 'ada@example.com',
    });
    expect(parseSender('Ada <ada@example.com>', 'Someone Else <ada@example.com>')).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
    });
  });

  test('control and bidi characters do not survive into the name', () => {
    expect(parseSender('"Ada\u202e evil" <ada@example.com>', '')?.name).toBe('Ada evil');
  });
});
