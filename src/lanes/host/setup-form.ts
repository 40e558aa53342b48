/**
 * RSVP → Set up your event: a sidebar form built from the settings schema. The browser's own date
 * and time pickers, a time zone list, dropdowns for choices; each field checked as the host types
 * (the sidebar) and again here by the same parser the keeper uses. Nothing is written until Save,
 * and only valid settings are: a host who closes the sidebar half-way changes nothing.
 */
import { closedBy } from '../../core/deadline';
import {
  SETTINGS,
  SETTING_KEYS,
  SettingKey,
  SettingSpec,
  SettingType,
  isValidTimeZone,
} from '../../core/settings-schema';
import { parseSettings } from '../../core/settings';
import { keeper } from '../../keeper/keeper';
import { mailOutlook } from '../../messenger/send';
import { publicUrl } from '../../sheets/public-url';
import { FORM_DATE } from '../../sheets/settings-table';
import { NOT_SET_UP_MESSAGE, Workbook } from '../../sheets/workbook';

export interface SetupField {
  key: SettingKey;
  label: string;
  help: string;
  type: SettingType;
  blank: string;
  choices: string[];
  strict: boolean;
  min: number | null;
  required: boolean;
  value: string;
}

export interface SetupData {
  fields: SetupField[];
  spreadsheetTimeZone: string;
  formUrl: string | null;
}

export type SetupAnswer =
  | { ok: true; message: string; formUrl: string | null; status: string }
  | { ok: false; errors: Partial<Record<SettingKey, string>>; message: string };

const DATE_KEYS = new Set(SETTING_KEYS.filter((k) => SETTINGS[k].type === 'dateTime'));
const REQUIRED = new Set<SettingKey>(['eventName', 'capacity']);
const NUMERIC = new Set<SettingType>(['wholeNumber', 'hours']);

export function openSetupForm(): void {
  const html = HtmlService.createHtmlOutputFromFile('Setup').setTitle('Set up your event');
  SpreadsheetApp.getUi().showSidebar(html);
}

/** The sidebar's fields, with what the Settings sheet holds now. */
export function setupData(): SetupData | { error: string } {
  const book = Workbook.open();
  if (!book) return { error: NOT_SET_UP_MESSAGE };
  const snap = book.settings.read();
  const values = book.settings.formValues(snap);
  const fields = SETTING_KEYS.filter((k) => (SETTINGS[k] as SettingSpec).inSidebar).map((key) => {
    const s: SettingSpec = SETTINGS[key];
    return {
      key,
      label: s.label,
      // (The sheet's own hint about its cells means nothing in the sidebar.)
      help: s.help.replace(/ Double-click the cell for a date picker\./, ''),
      type: s.type,
      blank: s.blank,
      choices: [...(s.choices ?? [])],
      strict: !!s.strict,
      min: s.min ?? null,
      required: REQUIRED.has(key),
      value: values[key],
    };
  });
  return { fields, spreadsheetTimeZone: book.timeZone, formUrl: publicUrl() };
}

/**
 * Save: every field is read by the schema's parser, as the sheet would be read; any problem (even one
 * the sheet would only flag) is answered on its field and nothing is written. Then one recount, so
 * the summary, the flags and the form follow at once.
 */
export function saveSetup(input: unknown): SetupAnswer {
  const book = Workbook.open();
  if (!book) return { ok: false, errors: {}, message: NOT_SET_UP_MESSAGE };
  const given = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const values: Partial<Record<SettingKey, string>> = {};
  for (const key of SETTING_KEYS)
    if (key in given && (SETTINGS[key] as SettingSpec).inSidebar)
      values[key] = String(given[key] ?? '').slice(0, 2000);
  const snap = book.settings.read();
  const current = book.settings.formValues(snap);
  const merged = { ...current, ...values };
  const tz = merged.timeZone.trim() || book.timeZone;
  const errors: Partial<Record<SettingKey, string>> = {};
  // The raw values as the sheet's reader would see them: a date is its wall clock in the event's zone.
  const raw: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEYS) {
    const v = merged[key];
    if (DATE_KEYS.has(key) && v.trim()) {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v.trim()))
        errors[key] = `${SETTINGS[key].label}: pick a date and a time.`;
      else raw[key] = Utilities.parseDate(v.trim(), isValidTimeZone(tz) ? tz : book.timeZone, FORM_DATE);
    } else raw[key] = v;
  }
  for (const key of REQUIRED) if (!merged[key].trim()) errors[key] = `${SETTINGS[key].label} is required.`;
  const parsed = parseSettings(raw, book.timeZone);
  for (const [key, flag] of Object.entries(parsed.flags) as Array<[SettingKey, string]>)
    errors[key] ??= flag.replace(/ Using the default until it is fixed\.$/, '');
  if (Object.keys(errors).length) {
    // A problem in a setting the sidebar does not show is fixed in the Settings sheet: say which.
    const elsewhere = (Object.keys(errors) as SettingKey[])
      .filter((k) => !(SETTINGS[k] as SettingSpec).inSidebar)
      .map((k) => errors[k]);
    const message = elsewhere.length
      ? `Nothing was saved: fix this in the Settings sheet first: ${elsewhere.join(' ')}`
      : 'Nothing was saved: fix the fields marked below.';
    return { ok: false, errors, message };
  }
  // Numbers go in as numbers (a number stored as text is flagged by the cell's own validation).
  const typed: Partial<Record<SettingKey, string | number>> = { ...values };
  for (const key of SETTING_KEYS) {
    const v = values[key];
    if (v !== undefined && NUMERIC.has(SETTINGS[key].type) && v.trim() !== '') typed[key] = Number(v);
  }
  book.settings.writeSettings(snap, typed, DATE_KEYS);
  book.flush();
  const tx = keeper.recount(mailOutlook());
  const after = book.settings.read();
  const status = String(after.summaryValues.Status ?? '');
  const s = parsed.settings;
  const closed = closedBy({ startsAt: s.startsAt ?? null, closesAt: s.closesAt ?? null }, Date.now());
  const url = publicUrl();
  const next = url
    ? 'Saved. Open your form to see it as a guest will.'
    : 'Saved. Next: Deploy → New deployment → Web app (execute as me, who has access: anyone), then open the form once.';
  return {
    ok: true,
    message: closed
      ? `${next} Note: the form is closed now (${closed === 'started' ? 'Starts at' : 'Registration closes at'} has passed).`
      : next,
    formUrl: url,
    status: tx.ok ? status : tx.message,
  };
}
