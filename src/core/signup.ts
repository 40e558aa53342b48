/** Validating a sign-up from a form or an embed, and the words each outcome is told in. Pure. */
import { Result } from './keeper';
import { normalizeEmail } from './email';
import { parseNameAndEmail } from './paste';
import { oneLine } from './text';
import { MAX_EMAIL } from './email';

export const MAX_NAME = 200;

export type SignupCheck =
  | { ok: true; name: string; email: string }
  | { ok: false; errors: Partial<Record<'name' | 'email', string>> };

export function checkSignup(rawName: unknown, rawEmail: unknown): SignupCheck {
  const errors: Partial<Record<'name' | 'email', string>> = {};
  let name = oneLine(typeof rawName === 'string' ? rawName : '');
  const emailText = typeof rawEmail === 'string' ? rawEmail : '';
  let email = '';
  if (emailText.length > MAX_EMAIL * 2) errors.email = 'That email address is too long.';
  else {
    let n = normalizeEmail(emailText);
    // Pasted from an address book ("Ada Lovelace <ada@example.com>"): the guest means the one
    // address inside, as the import reads it; its name fills an empty name field.
    if (!n.ok && /^[^<>,;@]*<[^<>,;@]+@[^<>,;@]+>$/.test(emailText.trim())) {
      const pasted = parseNameAndEmail(emailText);
      if (!('problem' in pasted)) {
        n = { ok: true, email: pasted.email };
        if (!name) name = oneLine(pasted.name);
      }
    }
    if (n.ok) email = n.email;
    else errors.email = n.message;
  }
  const nameError = !name
    ? 'Please enter your name.'
    : name.length > MAX_NAME
      ? `Please shorten your name to ${MAX_NAME} characters or fewer.`
      : null;
  // The name's error first: the summary reads in the form's order.
  const all = { ...(nameError ? { name: nameError } : {}), ...errors };
  return Object.keys(all).length ? { ok: false, errors: all } : { ok: true, name, email };
}

/** The party field as typed (blank: 1), checked against the largest party the host allows. */
export function checkParty(
  raw: unknown,
  largest: number,
): { ok: true; party: number } | { ok: false; error: string } {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text || largest <= 1) return { ok: true, party: 1 };
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > largest)
    return { ok: false, error: `Please choose how many of you are coming: 1 to ${largest}.` };
  return { ok: true, party: n };
}

export type AnswerStatus = Result | 'invalid' | 'busy' | 'queued' | 'throttled' | 'closed' | 'error';

export interface Answer {
  status: AnswerStatus;
  position?: number;
  /** The headline. */
  message: string;
  /** A second line of detail. */
  detail: string;
  errors?: Partial<Record<'name' | 'email' | 'party', string>>;
  /** A question to the guest ("Cancel your RSVP?"): shown without the status's colour. */
  asking?: boolean;
  /** The page's seats line after this answer ("The event is full: the waitlist is open"). */
  seatsText?: string;
  /** The guest's party size, when parties are on (the embed shows it). */
  party?: number;
}

export interface AnswerContext {
  /** The guest's email could only be queued (the day's quota is spent, or sending failed): it goes later. */
  queued?: boolean;
  /** No seats are left: a cancelled guest is not invited to sign up again (they would only wait). */
  full?: boolean;
  /** The guest's party size (1: nothing is said about it). */
  party?: number;
}

/** " for 3" / " (a party of 3)": said only for a party above 1. */
const seatsFor = (party = 1) => (party > 1 ? ` ${party} seats are held for you.` : '');
const partyOfN = (party = 1) => (party > 1 ? ` (a party of ${party})` : '');

export function answerFor(
  result: Result,
  position: number | null,
  email: string,
  ctx: AnswerContext = {},
): Answer {
  switch (result) {
    case 'confirmed':
      return {
        status: result,
        message: `You're in!${seatsFor(ctx.party)}`,
        detail: ctx.queued
          ? `We'll email a confirmation to ${email} as soon as we can.`
          : `We've sent a confirmation to ${email}.`,
      };
    case 'waitlisted':
      return {
        status: result,
        position: position ?? undefined,
        message: `The event is full: you're number ${position} on the waitlist${partyOfN(ctx.party)}.`,
        detail: ctx.queued
          ? `We'll email ${email} as soon as we can, and send a link to claim a seat if one frees up.`
          : `We've emailed ${email}, and we'll send a link to claim a seat if one frees up.`,
      };
    case 'already-confirmed':
      return {
        status: result,
        message: "You're already confirmed.",
        detail: 'See you there! Your confirmation email has the details.',
      };
    case 'already-waitlisted':
      return {
        status: result,
        position: position ?? undefined,
        message: `You're already number ${position} on the waitlist.`,
        detail: "We'll email you a link to claim a seat if one frees up.",
      };
    case 'already-offered':
      return {
        status: result,
        message: 'A seat is being held for you.',
        detail: 'Check your email for the link to claim it.',
      };
    case 'invited':
    case 'already-invited':
      return {
        status: result,
        message: "You're on the invitation list.",
        detail: 'Check your email to confirm your seat.',
      };
    case 'cancelled':
      return {
        status: result,
        message: 'Your RSVP is cancelled.',
        detail: [
          ctx.queued ? `We'll send a note to ${email}.` : `We've sent a note to ${email}.`,
          ctx.full ? '' : 'You can sign up again any time.',
        ]
          .filter(Boolean)
          .join(' '),
      };
    case 'left':
      return {
        status: result,
        message: "You've left the waitlist.",
        detail: 'Thanks for letting us know: the people behind you have moved up.',
      };
    case 'already-cancelled':
      return {
        status: result,
        message: 'Your RSVP was already cancelled.',
        detail: ctx.full ? '' : 'You can sign up again with the form.',
      };
    case 'declined':
      return {
        status: result,
        message: "Thanks: we've passed the seat on.",
        detail: 'Your RSVP is cancelled.',
      };
    case 'not-offered':
      return {
        status: result,
        position: position ?? undefined,
        message: `No seat is being held for you yet: you're number ${position} on the waitlist.`,
        detail: "We'll email you when one frees up.",
      };
    case 'not-found':
      return {
        status: result,
        message: 'This link is no longer valid.',
        detail:
          'It may be mistyped, or from an RSVP that was cancelled or made again since. To sign up, use the form.',
      };
    case 'closed':
      return {
        status: result,
        message: 'Registration has closed.',
        detail: 'Sign-ups are no longer taken for this event.',
      };
    case 'party-changed':
      return {
        status: result,
        message: `Your party is now ${ctx.party ?? 1}.`,
        detail: 'Thanks for letting us know: any seats freed go to the next people waiting.',
      };
    case 'details-saved':
      return {
        status: result,
        message: 'Thanks: your details are saved.',
        detail: 'You can change them here until the event starts.',
      };
    case 'party-unavailable':
      return {
        status: result,
        message: `Your party stays at ${ctx.party ?? 1}: the extra seats are not free.`,
        detail: 'Every seat is taken or someone is waiting for it. Your own seats are kept.',
      };
    case 'too-large':
      return {
        status: result,
        message: 'That is more seats than one RSVP may hold.',
        detail: 'Please choose a smaller party.',
      };
    case 'host-edit':
    case 'reverted':
      return { status: result, message: 'Updated by the host.', detail: '' };
  }
}
