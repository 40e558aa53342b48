/** The address guests reply to: the one the email lane watches. */
import { plusAddress } from '../core/email';
import { EventSettings } from '../core/settings';
import { oneLine } from '../core/text';

let owner: string | null = null;

/**
 * The script owner's address (web app and triggers run as the owner); '' when Apps Script won't say.
 * Asked once per execution (each execution is a fresh script context).
 */
export function ownerAddress(): string {
  if (owner === null) {
    try {
      owner = String(Session.getEffectiveUser().getEmail() || '').toLowerCase();
    } catch {
      owner = '';
    }
  }
  return owner;
}

/** Settings → Reply-to address, or the owner's address with +rsvp. Always one line (it becomes a header). */
export function replyAddress(settings: EventSettings): string {
  const set = oneLine(settings.replyTo).toLowerCase();
  if (set) return set;
  const owner = ownerAddress();
  return owner ? plusAddress(owner, 'rsvp') : '';
}
