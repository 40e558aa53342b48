/** Email addresses: normalizing and validating what a guest typed. Pure; parsing by email-addresses. */
import addrs from 'email-addresses';

export const MAX_EMAIL = 254;
/** RFC 5321: a mailbox name longer than this is refused by mail servers. */
export const MAX_LOCAL_PART = 64;

export type EmailCheck = { ok: true; email: string } | { ok: false; message: string };

/** How an address already on the list is compared with one just typed (normalizeEmail's spelling). */
export const emailKey = (raw: string): string => raw.trim().normalize('NFC').toLowerCase();

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
  if (/\s/.test(s)) return { ok: false, message: 'That email address has a space in it.' };
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
  return { ok: true, email: emailKey(parsed.address) };
}

/** `host@gmail.com` + 'rsvp' → `host+rsvp@gmail.com`: mail to it lands in the same inbox, findable by `to:`. */
export function plusAddress(address: string, tag: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '';
  const local = address.slice(0, at).split('+')[0];
  return `${local}+${tag}@${address.slice(at + 1)}`.toLowerCase();
}
