/** Email subjects and bodies (plain text and HTML) and the calendar attachment. Pure. */
import ical from 'ical-generator';
import { EventSettings } from '../core/settings';
import { escapeHtml, oneLine } from '../core/text';

import type { MailKind } from '../core/keeper';

/** 'cancel-link': a reply asked to cancel but could not be proven to come from the guest, so the guest
 * (at their own address) gets the link that cancels instead. */
export type EmailKind = MailKind | 'cancel-link';

export interface EmailGuest {
  email: string;
  name: string;
  token: string;
  position: number | null;
  status: string;
  offerExpires: Date | null;
}

export interface RenderedEmail {
  subject: string;
  body: string;
  htmlBody: string;
  ics?: string;
}

/** Formats a date for people, in the event's time zone (injected: Utilities.formatDate on Apps Script). */
export type DateFormatter = (d: Date, timeZone: string, pattern: string) => string;

export function whenText(s: EventSettings, fmt: DateFormatter): string {
  if (!s.startsAt) return 'Date to be announced';
  const start = fmt(s.startsAt, s.timeZone, "EEEE d MMMM yyyy 'at' HH:mm");
  const zone = fmt(s.startsAt, s.timeZone, 'z');
  if (!s.endsAt) return `${start} (${zone})`;
  const sameDay = fmt(s.startsAt, s.timeZone, 'yyyyMMdd') === fmt(s.endsAt, s.timeZone, 'yyyyMMdd');
  const end = fmt(s.endsAt, s.timeZone, sameDay ? 'HH:mm' : "EEEE d MMMM yyyy 'at' HH:mm");
  return `${start} to ${end} (${zone})`;
}

export function subjectFor(kind: EmailKind, s: EventSettings, position: number | null): string {
  const ev = oneLine(s.eventName);
  const subjects: Record<EmailKind, string> = {
    confirmed: `You're in: ${ev}`,
    waitlisted: `You're number ${position ?? '?'} on the waitlist: ${ev}`,
    invited: `You're invited: ${ev}`,
    offered: `A seat opened up: claim it for ${ev}`,
    cancelled: `You're cancelled: ${ev}`,
    expired: `Your held seat was released: ${ev}`,
    'cancel-link': `Cancel your RSVP: ${ev}`,
  };
  return subjects[kind].slice(0, 250);
}

/** The statuses under which an email still makes sense when it is finally sent. */
export const STILL_TRUE: Record<EmailKind, string[]> = {
  confirmed: ['confirmed'],
  waitlisted: ['waitlisted'],
  invited: ['invited'],
  offered: ['offered'],
  cancelled: ['cancelled'],
  expired: ['cancelled', 'waitlisted'],
  'cancel-link': ['confirmed', 'waitlisted', 'offered', 'invited'],
};

export function guestLink(url: string | null, action: string, token: string): string | null {
  return url ? `${url}?action=${encodeURIComponent(action)}&t=${encodeURIComponent(token)}` : null;
}

function greeting(g: EmailGuest): string {
  const first = oneLine(g.name).split(' ')[0];
  return first ? `Hi ${first},` : 'Hi,';
}

export function render(
  kind: EmailKind,
  g: EmailGuest,
  s: EventSettings,
  url: string | null,
  fmt: DateFormatter,
): RenderedEmail {
  const when = whenText(s, fmt);
  const details = [`When: ${when}`, s.location ? `Where: ${s.location}` : '', s.details].filter(Boolean);
  const statusLink = guestLink(url, 'status', g.token);
  const cancel = guestLink(url, 'cancel', g.token);
  const confirm = guestLink(url, 'confirm', g.token);
  const claim = guestLink(url, 'claim', g.token);
  const deadline = g.offerExpires ? fmt(g.offerExpires, s.timeZone, "EEEE d MMMM 'at' HH:mm (z)") : '';
  let lines: string[];
  let actions: Array<[string, string | null]> = [];
  if (kind === 'offered') {
    lines = [
      `Good news: a seat at ${s.eventName} has opened up, and it's being held for you.`,
      `Claim it by ${deadline}, or it goes to the next person on the waitlist.`,
      '',
      ...details,
    ];
    actions = [['Claim my seat (or let it go)', claim]];
  } else if (kind === 'cancelled') {
    lines = [`Your RSVP for ${s.eventName} is cancelled. Thanks for letting us know.`];
    actions = [['Changed your mind? Sign up again', url]];
  } else if (kind === 'expired') {
    lines = [
      `The seat we held for you at ${s.eventName} was not claimed in time, so it has gone to the next person.`,
      g.status === 'waitlisted'
        ? `You're back on the waitlist as number ${g.position}.`
        : 'If you still want to come, you can sign up again.',
    ];
    actions = g.status === 'waitlisted' ? [['Check your place', statusLink]] : [['Sign up again', url]];
  } else if (kind === 'cancel-link') {
    lines = [
      `We got your message asking to cancel your RSVP for ${s.eventName}.`,
      "To make sure it really came from you, please confirm with the link below. If you didn't ask to cancel, ignore this email: your RSVP stays as it is.",
    ];
    actions = [['Cancel my RSVP', cancel]];
  } else if (kind === 'confirmed') {
    lines = [`You're in! Your seat at ${s.eventName} is confirmed.`, '', ...details];
    actions = [['If your plans change, please cancel so someone on the waitlist can have your seat', cancel]];
  } else if (kind === 'waitlisted') {
    lines = [
      `${s.eventName} is full, but you're number ${g.position} on the waitlist.`,
      "If a seat frees up, we'll email you a link to claim it. There's nothing else you need to do.",
      '',
      ...details,
    ];
    actions = [['Check your place or leave the waitlist', statusLink]];
  } else {
    lines = [
      `You're invited to ${s.eventName}.`,
      '',
      ...details,
      '',
      'Seats are confirmed in the order people answer.',
    ];
    actions = [
      ['Confirm my seat', confirm],
      ['Or simply reply "yes" to this email', null],
    ];
  }
  const sign = s.hostName ? ['', s.hostName] : [];
  const body = [
    greeting(g),
    '',
    ...lines,
    '',
    ...actions.map(([label, link]) => (link ? `${label}: ${link}` : label)),
    ...sign,
  ].join('\n');
  const htmlLines = lines.map((l) => (l ? `<p>${escapeHtml(l).replace(/\n/g, '<br>')}</p>` : '')).join('');
  const htmlActions = actions
    .map(([label, link]) =>
      link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(label)}</a></p>` : `<p>${escapeHtml(label)}</p>`,
    )
    .join('');
  const htmlBody =
    `<div style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:560px">` +
    `<p>${escapeHtml(greeting(g))}</p>${htmlLines}${htmlActions}` +
    (s.hostName ? `<p>${escapeHtml(s.hostName)}</p>` : '') +
    `</div>`;
  const out: RenderedEmail = { subject: subjectFor(kind, s, g.position), body, htmlBody };
  if (kind === 'confirmed' && s.startsAt) out.ics = calendarFile(s, g, cancel);
  return out;
}

export function calendarFile(s: EventSettings, g: EmailGuest, cancelUrl: string | null): string {
  const cal = ical({ name: s.eventName, prodId: { company: 'sheet-rsvp', product: 'rsvp', language: 'EN' } });
  const start = s.startsAt as Date;
  cal.createEvent({
    id: `${g.token}@sheet-rsvp`,
    start,
    end: s.endsAt ?? new Date(start.getTime() + 2 * 3600e3),
    summary: s.eventName,
    location: s.location || undefined,
    description:
      [s.details, cancelUrl ? `Cancel: ${cancelUrl}` : ''].filter(Boolean).join('\n\n') || undefined,
    url: cancelUrl ?? undefined,
  });
  return cal.toString();
}
