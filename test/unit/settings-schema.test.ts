/**
 * The settings schema (issue 23): every setting round-trips through its own parser, a problem does
 * what the schema says (pauses registration, or flags the cell and uses the default), and the
 * README's table of settings is the one the schema generates.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseSettings } from '../../src/core/settings';
import { SETTINGS, SETTING_KEYS, SettingSpec, settingsMarkdown } from '../../src/core/settings-schema';

const README = path.join(__dirname, '..', '..', 'README.md');
const START = '<!-- settings-table:start -->';
const END = '<!-- settings-table:end -->';

/** A good value and a bad one for each type, as a host would type them. */
const SAMPLES: Record<string, { good: unknown; bad: unknown }> = {
  text: { good: 'Winter Social', bad: null },
  longText: { good: 'Line one\nLine two', bad: null },
  dateTime: { good: new Date('2027-01-15T19:00:00Z'), bad: 'next friday' },
  timeZone: { good: 'America/New_York', bad: 'Mars/Olympus' },
  wholeNumber: { good: 4, bad: 'ten' },
  hours: { good: 2, bad: '-1' },
  choice: { good: null, bad: 'sometimes' },
  yesNo: { good: 'no', bad: 'perhaps' },
  email: { good: 'host@example.com', bad: null },
  reminder: { good: '2 days before 10:00', bad: 'whenever' },
  quietHours: { good: '22:00-07:00', bad: 'at night' },
};

const BASE = { eventName: 'Gala', capacity: 10 };

describe('the settings schema', () => {
  test.each(SETTING_KEYS)('%s: a good value is read, a bad one does what the schema says', (key) => {
    const spec: SettingSpec = SETTINGS[key];
    const sample = SAMPLES[spec.type];
    const good = sample.good ?? spec.choices?.[spec.choices.length - 1];
    const ok = parseSettings({ ...BASE, [key]: good }, 'Europe/London');
    expect(ok.flags[key]).toBeUndefined();
    expect(ok.ok).toBe(true);
    // The parser reads the same value again from what it gave (a round trip through the schema).
    const again = spec.parse(good, { defaultTimeZone: 'Europe/London' });
    expect('value' in again).toBe(true);
    if (sample.bad === null || key === 'replyCheckMinutes') return; // free text, or the nearest interval
    const bad = parseSettings({ ...BASE, [key]: sample.bad }, 'Europe/London');
    expect(bad.flags[key]).toBeTruthy();
    if (spec.onProblem === 'pause') expect(bad.ok).toBe(false);
    else {
      expect(bad.ok).toBe(true);
      expect(bad.flags[key]).toMatch(/Using the default until it is fixed\.$/);
    }
  });

  test('every type a setting uses has a sample above (a new type needs one)', () => {
    for (const key of SETTING_KEYS) expect(Object.keys(SAMPLES)).toContain(SETTINGS[key].type);
  });

  test("README.md's table of settings is the schema's", () => {
    const readme = fs.readFileSync(README, 'utf8');
    const table = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END)).trim();
    // Cell by cell (Prettier pads the columns): run `npm run readme` after changing a setting.
    const cells = (md: string) =>
      md
        .split('\n')
        .filter((l) => !/^\|\s*-+/.test(l))
        .map((l) => l.split(/(?<!\\)\|/).map((c) => c.trim()));
    expect(cells(table)).toEqual(cells(settingsMarkdown()));
    expect(cells(table).map((r) => r[1])).toEqual(['Setting', ...SETTING_KEYS.map((k) => SETTINGS[k].label)]);
  });
});
