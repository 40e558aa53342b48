/** The address guests reply to: the one the email lane watches. */
import { plusAddress } from '../core/email';
import { EventSettings } from '../core/settings';
import { oneLine } from '../core/text';

/** The script owner's address (web app and triggers run as the owner); '' when Apps Script won't say. */
export function ownerAddress(): string {
  try {
    return String(Session.getEffectiveUser().getEmail() || '').toLowerCase();
  } catch {
    return '';
  }
}

/** Settings → Reply-to address, or the owner's address with +rsvp. Always one line (it becomes a header). */
export function replyAddress(settings: EventSettings): string {
  const set = oneLine(settings.replyTo).toLowerCase();
  if (set) return set;
  const owner = ownerAddress();
  return owner ? plusAddress(owner, 'rsvp') : '';
}
