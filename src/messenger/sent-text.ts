/**
 * What our emails say, for the email lane to recognise in a reply: every kind of email rendered for this
 * event, in each of its variants (a party, a host's change, a full event), as the guest would quote it.
 * The guest's own name, token and dates differ from the sample; they only change short lines and links,
 * which the matcher (core/reply/own-text.ts) does not need.
 */
import { EmailKind } from '../core/outbox';
import { OwnText, ownTextIndex } from '../core/reply/own-text';
import { htmlToText } from '../core/reply/html-text';
import { EventSettings } from '../core/settings';
import { RenderContext, render } from './templates';

const KINDS: readonly EmailKind[] = [
  'invited',
  'confirmed',
  'waitlisted',
  'offered',
  'cancelled',
  'expired',
  'left',
  'waitlist-closed',
  'reminder',
  'cancel-link',
  'closed',
];

/** Any /exec link: links are not matched, but with one every line that carries a link is rendered. */
const SAMPLE_URL = 'https://script.google.com/macros/s/sample/exec';

const VARIANTS: readonly { party: number; ctx: RenderContext }[] = [
  { party: 1, ctx: {} },
  { party: 3, ctx: { eventFull: true } },
  { party: 1, ctx: { about: 'host' } },
];

/** Every email this event sends, indexed. Build once per poll: it renders about thirty emails. */
export function sentText(settings: EventSettings, fmt = Utilities.formatDate): OwnText {
  const texts: string[] = [];
  const now = new Date();
  for (const kind of KINDS)
    for (const v of VARIANTS) {
      const guest = {
        email: 'guest@example.com',
        name: 'Guest',
        token: 'token',
        position: 2,
        status: kind,
        offerExpires: new Date(now.getTime() + 86400e3),
        party: v.party,
      };
      try {
        const mail = render(kind, guest, settings, SAMPLE_URL, fmt, { ...v.ctx, now });
        texts.push(mail.subject, mail.body, htmlToText(mail.htmlBody));
      } catch (e) {
        // A kind that cannot render for this event (none today) is simply not recognised.
        console.warn(`sentText: ${kind}: ${String(e)}`);
      }
    }
  return ownTextIndex(texts);
}
