/** Email addresses: normalizing and validating what a guest typed, and which mailbox it reaches. Pure. */
import addrs from 'email-addresses';
import punycode from 'punycode.js';
import { hasInvisible } from './text';

export const MAX_EMAIL = 254;
/** RFC 5321: a mailbox name longer than this is refused by mail servers. */
export const MAX_LOCAL_PART = 64;

export type EmailCheck = { ok: true; email: string } | { ok: false; message: string };

/** How an address already on the list is compared with one just typed (normalizeEmail's spelling). */
export const emailKey = (raw: string): string => raw.trim().normalize('NFC').toLowerCase();

/**
 * What one stored address may never hold. A comma or semicolon makes it a list when it reaches
 * MailApp (one sign-up would mail several people); quotes, brackets, backslashes and colons only
 * occur in quoted local parts, route syntax or display names; spaces and invisible characters make
 * two addresses look alike.
 */
const NOT_IN_ADDRESS = /[\s,;"<>()[\]\\:]/;

const ONE_ADDRESS =
  'Please enter one plain email address (no commas, semicolons, quotes or brackets), like name@example.com.';

/** Why a string is not one plain address we would store and mail, or null when it is. */
function unsafeAddress(s: string): string | null {
  if (/\s/.test(s)) return 'That email address has a space in it.';
  if (hasInvisible(s)) return 'That email address has an invisible character in it: please type it again.';
  if (NOT_IN_ADDRESS.test(s)) return ONE_ADDRESS;
  return null;
}

/** Trim, strip `mailto:` and angle brackets, lower-case, and accept one plain internet address. */
export function normalizeEmail(raw: string): EmailCheck {
  const s = String(raw ?? '')
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/, '$1')
    .trim()
    // One spelling per address: "é" typed as one character or as e + accent is the same guest.
    .normalize('NFC');
  if (!s) return { ok: false, message: 'Please enter your email address.' };
  if (s.length > MAX_EMAIL) return { ok: false, message: 'That email address is too long.' };
  const unsafe = unsafeAddress(s);
  if (unsafe) return { ok: false, message: unsafe };
  const at = s.lastIndexOf('@');
  if (at < 0) return { ok: false, message: 'That email address has no "@".' };
  if (at === s.length - 1) return { ok: false, message: 'That email address is missing the part after "@".' };
  if (at === 0) return { ok: false, message: 'That email address is missing the part before "@".' };
  if (at > MAX_LOCAL_PART)
    return { ok: false, message: `The part before "@" is too long (${MAX_LOCAL_PART} characters at most).` };
  const domain = s.slice(at + 1);
  if (/^[^.]+$/.test(domain)) {
    return { ok: false, message: `That email address is missing its ending after "${domain}", like ".com".` };
  }
  const parsed = addrs.parseOneAddress({ input: s, rfc6532: true, rejectTLD: true });
  if (!parsed || parsed.type !== 'mailbox' || parsed.name || !/\.[^.]+$/.test(domain) || /\.\./.test(s)) {
    return { ok: false, message: "That doesn't look like an email address: check for typos." };
  }
  if (!hostnameOk(domain) || !codePointsOk(s))
    return { ok: false, message: "That doesn't look like an email address: check for typos." };
  // What we store and mail is the parser's unquoted form: check that, not only what was typed.
  const email = emailKey(parsed.address);
  const stored = unsafeAddress(email);
  if (stored || email.lastIndexOf('@') !== email.indexOf('@'))
    return { ok: false, message: stored ?? ONE_ADDRESS };
  return { ok: true, email };
}

/**
 * A domain mail can be delivered to (RFC 1035 and 5890-5891, as the public validation suites read
 * them): labels of 1-63 letters, digits and inner hyphens, no "_" or other punctuation (a full-width
 * dot is not a dot here), an "xn--" label that is real punycode, and a top-level domain of at least
 * two letters.
 */
function hostnameOk(domain: string): boolean {
  const labels = domain.split('.');
  const tld = labels[labels.length - 1];
  if (!/^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/iu.test(tld)) return false;
  return labels.every((l) => {
    if (!l || l.length > 63 || l.startsWith('-') || l.endsWith('-')) return false;
    if (!/^[\p{L}\p{M}\p{N}-]+$/u.test(l)) return false;
    if (!/^xn--/i.test(l)) return true;
    try {
      const u = punycode.toUnicode(l.toLowerCase());
      return u !== l.toLowerCase() && punycode.toASCII(u) === l.toLowerCase();
    } catch {
      return false;
    }
  });
}

/** No lone surrogate, private-use or unassigned code point anywhere in the address. */
const codePointsOk = (s: string): boolean => !/[\p{Cs}\p{Co}\p{Cn}]/u.test(s);

/** A domain as one spelling: IDNA's width and case folding (approximated by NFKC), xn-- labels decoded. */
function domainKey(domain: string): string {
  return domain
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\.$/, '')
    .split('.')
    .map((label) => {
      if (!label.startsWith('xn--')) return label;
      try {
        return punycode.toUnicode(label).normalize('NFC');
      } catch {
        return label;
      }
    })
    .join('.');
}

/**
 * The mailbox an address delivers to, for matching only (what we store and mail stays what the guest
 * typed): one seat per mailbox. A `+tag` reaches the same mailbox (Gmail, Outlook, Fastmail, iCloud…);
 * Gmail also ignores dots and treats googlemail.com as gmail.com; an IDN domain is the same in Unicode
 * and in its xn-- form. Also applied to rows written before this existed, so old sheets match too.
 */
export function mailboxKey(email: string): string {
  const e = emailKey(String(email ?? '')).replace(/^<(.*)>$/, '$1');
  const at = e.lastIndexOf('@');
  if (at <= 0) return e;
  let local = e.slice(0, at);
  let domain = domainKey(e.slice(at + 1));
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replace(/\./g, '') || local;
  return `${local}@${domain}`;
}

/** `host@gmail.com` + 'rsvp' → `host+rsvp@gmail.com`: mail to it lands in the same inbox, findable by `to:`. */
export function plusAddress(address: string, tag: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '';
  const local = address.slice(0, at).split('+')[0];
  return `${local}+${tag}@${address.slice(at + 1)}`.toLowerCase();
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One character of a key as a cell may hold it: composed or not (a host may type "ë" as "e" and a
 * combining mark), either case (whether a search folds the case of accented letters is not
 * documented).
 */
function charRe(c: string): string {
  if (c < '\u0080') return escapeRe(c);
  const forms = [...new Set([c, c.toUpperCase(), c.normalize('NFD'), c.toUpperCase().normalize('NFD')])];
  return forms.length === 1 ? escapeRe(c) : `(?:${forms.map(escapeRe).join('|')})`;
}

/**
 * A regular expression (RE2 and JavaScript alike) found in every cell whose mailboxKey is this one's:
 * any case, a +tag, Gmail's dots, either spelling of an international domain, a trailing dot. It may
 * also be found in other cells (a longer address holding it): the caller compares keys after.
 */
export function mailboxPattern(email: string): string {
  const key = mailboxKey(email);
  const at = key.lastIndexOf('@');
  if (at <= 0) return escapeRe(key);
  const local = key.slice(0, at);
  const domain = key.slice(at + 1);
  const gmail = domain === 'gmail.com';
  const localRe = [...local].map(charRe).join(gmail ? '\\.*' : '');
  let ascii = domain;
  try {
    ascii = punycode.toASCII(domain);
  } catch {
    // An unencodable domain has one spelling.
  }
  const domains = gmail
    ? ['(?:gmail|googlemail)\\.com']
    : [...new Set([domain, ascii])].map((d) => [...d].map(charRe).join(''));
  return `${localRe}(?:\\+[^@]*)?@(?:${domains.join('|')})\\.?`;
}
