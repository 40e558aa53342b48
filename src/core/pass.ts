/**
 * A guest's pass: the check-in link's own token, and the door's decision when it is scanned. Pure.
 *
 * The pass token is HMAC-SHA-256 of the guest's row token under a pass key only the script holds
 * (script properties), so a pass never carries the token that cancels the RSVP, cannot be made
 * from anything a guest or a door sees, and needs no cell of its own. It is revoked for one guest by
 * bumping their "Pass" cell (a version), and for everyone by a new pass key.
 */
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha256';
import { utf8ToBytes } from '@noble/hashes/utils';
import qrcode from 'qrcode-generator';
import { Guest, partyOf } from './model';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64URL[(n >> 18) & 63] + B64URL[(n >> 12) & 63];
    if (i + 1 < bytes.length) out += B64URL[(n >> 6) & 63];
    if (i + 2 < bytes.length) out += B64URL[n & 63];
  }
  return out;
}

/** 22 characters (132 bits) of HMAC-SHA-256(key, token.version). */
export function passToken(key: string, guestToken: string, version = ''): string {
  const mac = hmac(sha256, utf8ToBytes(key), utf8ToBytes(`${guestToken}.${version.trim()}`));
  return base64url(mac).slice(0, 22);
}

export const isPassToken = (p: string): boolean => /^[A-Za-z0-9_-]{22}$/.test(p);

/** The row a pass belongs to, of the rows given (each with its Pass version), or null. */
export function findByPass<G extends Pick<Guest, 'token'>>(
  key: string,
  pass: string,
  rows: ReadonlyArray<{ guest: G; version: string }>,
): G | null {
  if (!isPassToken(pass)) return null;
  for (const r of rows)
    if (r.guest.token && passToken(key, r.guest.token, r.version) === pass) return r.guest;
  return null;
}

/** The pass's QR code as a GIF (for email: Gmail shows an inline image, never a data: URL), base64. */
export function passGifBase64(link: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(unescape(encodeURIComponent(link)), 'Byte');
  qr.make();
  return qr.createDataURL(6, 4).replace(/^data:image\/gif;base64,/, '');
}

/** Where a guest stands at the door: how many of the party have arrived, when, and by which door. */
export interface DoorState {
  arrived: number;
  at: Date | null;
  door: string;
}

export type CheckIn =
  | { ok: true; arrived: number; party: number; added: number; detail: string }
  | { ok: false; reason: 'not-coming' | 'already' | 'too-many'; message: string };

/**
 * `n` more people of a guest's party arrive. Only a confirmed RSVP checks in; never more people than
 * the party; the same scan twice (n already counted) says when they came, and changes nothing.
 */
export function checkIn(
  g: Pick<Guest, 'status' | 'party' | 'name'>,
  state: DoorState,
  n: number,
  clock: (d: Date) => string,
): CheckIn {
  const party = partyOf(g.party);
  if (g.status !== 'confirmed')
    return {
      ok: false,
      reason: 'not-coming',
      message: `Not confirmed: this RSVP is ${g.status || 'blank'}.`,
    };
  const when = state.at ? ` at ${clock(state.at)}${state.door ? ` (${state.door})` : ''}` : '';
  if (state.arrived >= party)
    return {
      ok: false,
      reason: 'already',
      message: `Already checked in${when}: ${state.arrived} of ${party}.`,
    };
  const want = Math.floor(n);
  if (!(want >= 1) || state.arrived + want > party)
    return {
      ok: false,
      reason: 'too-many',
      message: `Only ${party - state.arrived} of the party of ${party} ${party - state.arrived === 1 ? 'is' : 'are'} still to come.`,
    };
  const arrived = state.arrived + want;
  return { ok: true, arrived, party, added: want, detail: `checked in ${arrived} of ${party}` };
}
