/**
 * The Settings sheet's data validation, from the schema: a date picker on every date, a dropdown on
 * every choice, suggestions on reminders and quiet hours, a warning on a number out of range. The
 * Sheets UI checks these as the host types; the parser still checks everything (an older sheet, a
 * pasted value, a rule removed by hand).
 */
import { SETTINGS, SETTING_KEYS, SettingKey, SettingSpec } from '../core/settings-schema';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Rule = GoogleAppsScript.Spreadsheet.DataValidation;

const DATE_HELP =
  'Pick a date and time: double-click the cell for a date picker, or type it as 2026-12-31 19:00 (in the event time zone).';

/** The rule for one setting, or null (free text). Pure apart from the builder. */
export function ruleFor(spec: SettingSpec): Rule | null {
  const b = () => SpreadsheetApp.newDataValidation();
  switch (spec.type) {
    case 'dateTime':
      // Refused: a date the locale cannot read ("19/12/2026" on a US sheet) never gets in as text.
      return b().requireDate().setAllowInvalid(false).setHelpText(DATE_HELP).build();
    case 'choice':
    case 'yesNo':
    case 'reminder':
    case 'quietHours':
      return b()
        .requireValueInList([...(spec.choices ?? [])], true)
        .setAllowInvalid(!spec.strict)
        .setHelpText(spec.help)
        .build();
    case 'wholeNumber':
    case 'hours':
      // A warning only: the parser's note on the cell says what is wrong and what it does meanwhile.
      return b()
        .requireNumberGreaterThanOrEqualTo(spec.min ?? 0)
        .setAllowInvalid(true)
        .setHelpText(spec.help)
        .build();
    default:
      return null;
  }
}

const DATE_FORMAT = 'yyyy-mm-dd hh:mm';

/** Each setting's value cell (column B of its label's row) gets its rule; dates their format. */
export function applySettingsValidation(sheet: Sheet): number {
  const labels = sheet
    .getRange(1, 1, sheet.getLastRow(), 1)
    .getValues()
    .map((r) => String(r[0]).trim());
  let applied = 0;
  for (const key of SETTING_KEYS as SettingKey[]) {
    const spec: SettingSpec = SETTINGS[key];
    const row = labels.indexOf(spec.label) + 1;
    const rule = row ? ruleFor(spec) : null;
    if (!rule) continue;
    const cell = sheet.getRange(row, 2);
    cell.setDataValidation(rule);
    if (spec.type === 'dateTime') cell.setNumberFormat(DATE_FORMAT);
    applied++;
  }
  return applied;
}
