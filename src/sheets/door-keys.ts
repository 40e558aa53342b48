/**
 * The keys behind passes and the door page, in script properties (never in a sheet a host may
 * share): the pass key signs every guest's pass; the door key opens the door page, shared by every
 * device at the door, and replaced from the dashboard (the old door link stops working at once).
 */
import { passToken } from '../core/pass';
import { publicUrl } from './public-url';
import { keyOf, setScriptProp } from './script-props';

const PASS_KEY = 'rsvp.passKey';
const DOOR_KEY = 'rsvp.doorKey';

const fresh = () => `${Utilities.getUuid()}${Utilities.getUuid()}`.replace(/-/g, '');

export const passKey = (): string | null => keyOf(PASS_KEY, true, fresh);

/** The door key, made on first use; `replace`: a new one (every door link given out stops working). */
export function doorKey(replace = false): string {
  if (replace) setScriptProp(DOOR_KEY, fresh().slice(0, 32));
  return keyOf(DOOR_KEY, true, fresh)!.slice(0, 32);
}

/** A guest's pass link (their check-in link), or null until the form's public link is known. */
export function passLink(guest: { token: string }, version = ''): string | null {
  const url = publicUrl();
  const key = passKey();
  return url && key && guest.token ? `${url}?action=pass&p=${passToken(key, guest.token, version)}` : null;
}

/** Whether a key from a URL is the door key (none is made here: a guess never creates one). */
export function isDoorKey(k: string): boolean {
  const key = keyOf(DOOR_KEY, false, fresh);
  return !!key && !!k && k.length >= 16 && key.slice(0, 32) === k;
}
