/**
 * Messages the host writes to the guest list (RSVP → Message guests): who gets one, what it says,
 * and how it is kept in its Outbox rows. Pure. The text is the host's, sent as plain text: {name}
 * and {link} are replaced with the guest's name and their own page; nothing else is interpreted.
 */
import { oneLine } from './text';

export const MESSAGE_AUDIENCES = ['confirmed', 'offered', 'waitlisted', 'invited'] as const;
export type Audience = (typeof MESSAGE_AUDIENCES)[number];

export const MAX_SUBJECT = 200;
export const MAX_TEXT = 5000;

export interface MessageDraft {
  audience: Audience[];
  /** Only those of them still missing an answer to a required question (Questions sheet). */
  missingDetails?: boolean;
  subject: string;
  text: string;
}

export type DraftCheck =
  | { ok: true; draft: MessageDraft }
  | { ok: false; errors: Partial<Record<'audience' | 'subject' | 'text', string>> };

/** A draft as the sidebar sends it, checked: who, a one-line subject, and a text. */
export function checkDraft(input: unknown): DraftCheck {
  const o = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const audience = (Array.isArray(o.audience) ? o.audience : []).filter((a): a is Audience =>
    (MESSAGE_AUDIENCES as readonly string[]).includes(String(a)),
  );
  const subject = oneLine(String(o.subject ?? '')).trim();
  const text = String(o.text ?? '')
    .replace(/\r\n?/g, '\n')
    .trim();
  const errors: Partial<Record<'audience' | 'subject' | 'text', string>> = {};
  if (!audience.length)
    errors.audience = 'Choose who gets it: confirmed, offered, waitlisted or invited guests.';
  if (!subject) errors.subject = 'Write a subject.';
  else if (subject.length > MAX_SUBJECT)
    errors.subject = `The subject is ${subject.length} characters: at most ${MAX_SUBJECT}.`;
  if (!text) errors.text = 'Write the message.';
  else if (text.length > MAX_TEXT)
    errors.text = `The message is ${text.length} characters: at most ${MAX_TEXT}.`;
  return Object.keys(errors).length
    ? { ok: false, errors }
    : {
        ok: true,
        draft: {
          audience: [...new Set(audience)],
          subject,
          text,
          ...(o.missingDetails === true ? { missingDetails: true } : {}),
        },
      };
}

/** What an Outbox row of a message carries in its About cell: the message, so the drain needs no other sheet. */
export interface MessageAbout {
  id: string;
  audience: Audience[];
  subject: string;
  text: string;
}

export const messageAbout = (id: string, d: MessageDraft): string =>
  JSON.stringify({ id, audience: d.audience, subject: d.subject, text: d.text });

export function parseMessageAbout(about: string | undefined): MessageAbout | null {
  try {
    const m = JSON.parse(about ?? '') as Partial<MessageAbout>;
    return typeof m?.id === 'string' && Array.isArray(m.audience) && typeof m.text === 'string'
      ? { id: m.id, audience: m.audience, subject: String(m.subject ?? ''), text: m.text }
      : null;
  } catch {
    return null;
  }
}

/** The text for one guest: {name} and {link} filled in (a missing link says where to find it). */
export const personalText = (text: string, name: string, link: string | null): string =>
  text
    .replace(/\{name\}/g, name || 'there')
    .replace(/\{link\}/g, link ?? '(your link is in your confirmation email)');
