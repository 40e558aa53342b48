/** Text safety for guest-supplied values: cells, email headers, HTML. Pure. */

/**
 * A value as a cell will store it verbatim. Sheets parses written strings as if typed: '=…' becomes a
 * formula, '+…'/'-…' too, and number- or date-like text changes type. A leading apostrophe stores the
 * rest as plain text and is not part of the value, so every string we write from data goes through here.
 */
export function cellText(s: string): string {
  return s === '' ? '' : `'${s}`;
}

/**
 * Characters that show as blank space but are not `\s`: Braille blank (U+2800), the Hangul fillers
 * (U+115F, U+1160, U+3164, U+FFA0). Spammers use them to pass a whole sentence off as one "word".
 */
const BLANKS = /[\u2800\u115f\u1160\u3164\uffa0]/g;
/** Line and paragraph separators, and every other control character: one line means one line. */
const CONTROL = /[\p{Cc}\u2028\u2029]+/gu;
/** Format characters (zero-width space, bidi overrides and isolates, soft hyphen, BOM, tags…). */
const FORMAT = /\p{Cf}/u;
/**
 * The zero-width joiner and non-joiner are part of how some scripts are spelled (Persian, the Indic
 * scripts) and of emoji sequences (👩‍💻): kept between two non-ASCII characters, where they cannot
 * split or join anything a reader would take for Latin text or a link.
 */
const JOINER = /[\u200c\u200d]/;
const nonAscii = (c: string) => (c.codePointAt(0) ?? 0) > 0x7f && !FORMAT.test(c);

/** Format characters removed (joiners kept only where a script needs them, see JOINER). */
export function stripInvisible(s: string): string {
  const chars = Array.from(s);
  return chars
    .filter((c, i) => {
      if (!FORMAT.test(c)) return true;
      if (!JOINER.test(c)) return false;
      const before = chars[i - 1];
      const after = chars[i + 1];
      return !!before && !!after && nonAscii(before) && nonAscii(after);
    })
    .join('');
}

/** Whether a string holds any character that is invisible or changes how the rest displays. */
export function hasInvisible(s: string): boolean {
  return /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u2800\u115f\u1160\u3164\uffa0]/u.test(s);
}

/**
 * One line of visible text: no control or format characters, blank look-alikes as spaces, runs of
 * space as one. For names, and anything that may reach an email header.
 */
export function oneLine(s: string): string {
  return stripInvisible(s).replace(CONTROL, ' ').replace(BLANKS, ' ').replace(/\s+/g, ' ').trim();
}

export function clamp(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

export function escapeHtml(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The longest first name a greeting shows: past it, "Hi there,". */
export const MAX_GREETING = 30;

/**
 * The word an email greets the guest by (the name's first word), or null when the name is no fit for
 * it: a greeting is the host's voice, so a name that holds a link, an address, a domain or a phone
 * number anywhere ("there!⠀Your⠀seat⠀needs⠀a⠀deposit:⠀pay⠀at⠀https://evil.example/pay") is never
 * put there, and neither is a first "word" longer than any first name.
 */
export function greetingName(name: string): string | null {
  const clean = oneLine(name);
  let first = clean.split(' ')[0];
  while (/[,;:]$/.test(first)) first = first.slice(0, -1);
  if (!first || Array.from(first).length > MAX_GREETING) return null;
  const linkish =
    /@|:\/\/|\bwww\b|\b(https?|mailto|ftp|file|data|javascript):/i.test(clean) ||
    // A domain-ish x.y (evil.example, pay.me): a dot (or a full-width or ideographic one) between two
    // letters or digits.
    /[\p{L}\p{N}][.。．｡][\p{L}\p{N}]/u.test(clean) ||
    // A phone number or a code: three digits or more in the word we would show.
    (first.match(/\p{N}/gu) ?? []).length >= 3;
  return linkish ? null : first;
}

/** An address shown to whoever holds a guest's link: enough to recognise it, not to learn it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${Array.from(email.slice(0, at))[0]}•••${email.slice(at)}`;
}
