/**
 * The form's render stamp, signed: `<ms>.<nonce>.<signature>`. The honeypot reads its time (a person
 * takes a few seconds), and the throttle counts the new guests each page view makes (core/throttle.ts).
 * The key is a random secret in script properties, made on first use; nobody outside the script
 * can make a stamp, so a bot must load a page to get one.
 */
import { parseStamp } from '../../core/honeypot';
import { keyOf } from '../../sheets/script-props';

const KEY = 'rsvp.stampKey';
/** A stamp older than this counts as unsigned (a page left open for days still signs up). */
export const STAMP_LIFE_MS = 6 * 3600e3;

const webSafe = (bytes: number[]) => Utilities.base64EncodeWebSafe(bytes).replace(/=+$/, '');

// Two first pages at once: whichever write landed last is the key (a stamp signed with the other
// only counts as unsigned).
const secret = (create: boolean) => keyOf(KEY, create, () => `${Utilities.getUuid()}${Utilities.getUuid()}`);

const sign = (payload: string, key: string) =>
  webSafe(Utilities.computeHmacSha256Signature(payload, key)).slice(0, 22);

/** A new stamp for a page being rendered now. Unsigned (a bare time) if the key cannot be had. */
export function newStamp(now = Date.now()): string {
  try {
    const key = secret(true);
    if (!key) return String(now);
    const nonce = Utilities.getUuid().replace(/-/g, '').slice(0, 16);
    return `${now}.${nonce}.${sign(`${now}.${nonce}`, key)}`;
  } catch (e) {
    console.error(`stamp unsigned: ${String(e)}`);
    return String(now);
  }
}

/**
 * What a posted stamp says: the page view it stands for (its nonce) if the web app signed it and it
 * is still fresh; none (a bare time, an old page); or forged, a signed shape whose signature the
 * web app did not make, which only a bot sends.
 */
export function readStamp(stamp: string, now = Date.now()): { page: string | null; forged: boolean } {
  const s = parseStamp(stamp);
  if (!s || !s.nonce || now - s.ms > STAMP_LIFE_MS) return { page: null, forged: false };
  try {
    const key = secret(false);
    if (!key) return { page: null, forged: false };
    const ok = sign(`${s.ms}.${s.nonce}`, key) === s.sig;
    return { page: ok ? s.nonce : null, forged: !ok };
  } catch (e) {
    console.error(`stamp not checked: ${String(e)}`);
    return { page: null, forged: false };
  }
}
