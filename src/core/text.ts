/** Text safety for guest-supplied values: cells, email headers, HTML. Pure. */

/**
 * A value as a cell will store it verbatim. Sheets parses written strings as if typed: '=…' becomes a
 * formula, '+…'/'-…' too, and number- or date-like text changes type. A leading apostrophe stores the
 * rest as plain text and is not part of the value, so every string we write from data goes through here.
 */
export function cellText(s: string): string {
  return s === '' ? '' : `'${s}`;
}

/** One line, no control characters: for names and anything that may reach an email header. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;
/** Bidi overrides and isolates: legitimate right-to-left text never needs them; spoofing does. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

export function oneLine(s: string): string {
  return s.replace(BIDI, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

export function clamp(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

export function escapeHtml(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
