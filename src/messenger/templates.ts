/** Email bodies (plain text and HTML) and the calendar attachment (subjects: core/outbox). Pure. */
import { parseMessageAbout, personalText } from '../core/messages';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { aboutFacts } from '../core/event-facts';
import { EventSettings } from '../core/settings';
import { escapeHtml, greetingName, oneLine } from '../core/text';

import { EmailKind, subjectFor } from '../core/outbox';

export interface EmailGuest {
  email: string;
  name: string;
  token: string;
  position: number | null;
  status: string;
  offerExpires: Date | null;
  /** Seats the RSVP is for (above 1: the email says so). */
  party?: number;
  /** The lane the RSVP came by: one other than the form could not ask the host's questions. */
  source?: string;
}

export interface RenderedEmail {
  subject: string;
  body: string;
  htmlBody: string;
  ics?: string;
  /** The guest's pass link: the mailer attaches its QR code and shows it inline (cid:pass). */
  pass?: string;
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

export function guestLink(url: string | null, action: string, token: string): string | null {
  return url ? `${url}?action=${encodeURIComponent(action)}&t=${encodeURIComponent(token)}` : null;
}

/** The greeting: the name's first word when it is a plausible first name, else "Hi there," (see greetingName). */
export function greeting(name: string): string {
  const first = greetingName(name);
  return first ? `Hi ${first},` : 'Hi there,';
}

export interface RenderContext {
  /** The calendar event's UID for this guest: not the link token, and the same on every update. */
  calendarUid?: string;
  /** No seat is left: a cancelled guest is not invited to sign up again (they could only wait). */
  eventFull?: boolean;
  /** A reminder: what the guest was told when they confirmed, if it changed since (Outbox About). */
  about?: string;
  /** When the email is sent (a reminder says "tomorrow" or "today" from it). */
  now?: Date;
  /** The calendar file's SEQUENCE: how many times the event's time or place changed. */
  calendarSequence?: number;
  /** The host asks questions on the form (none of them private answers: those stay in the sheet). */
  asksQuestions?: boolean;
  /** A confirmed guest's pass (their check-in link, not their RSVP link): shown with its QR code. */
  passLink?: string | null;
}

/** "today", "tomorrow", "in 7 days": from the calendar dates in the event's time zone. */
function dayWord(s: EventSettings, now: Date, fmt: DateFormatter): string {
  if (!s.startsAt) return 'coming up';
  const day = (d: Date) => Date.parse(`${fmt(d, s.timeZone, 'yyyy-MM-dd')}T00:00:00Z`);
  const n = Math.round((day(s.startsAt) - day(now)) / 86400e3);
  return n <= 0 ? 'today' : n === 1 ? 'tomorrow' : `in ${n} days`;
}

/** What changed since the guest confirmed: the time, the place (from the About cell). */
function changedLines(s: EventSettings, about: string | undefined, fmt: DateFormatter): string[] {
  const then = aboutFacts(about ?? '');
  if (!then) return [];
  const out: string[] = [];
  const nowStart = s.startsAt ? s.startsAt.toISOString() : '';
  if (then.startsAt !== nowStart) {
    const was = then.startsAt
      ? fmt(new Date(then.startsAt), s.timeZone, "EEEE d MMMM yyyy 'at' HH:mm")
      : 'not yet set';
    out.push(`Please note the new time: ${whenText(s, fmt)} (it was ${was}).`);
  }
  if (then.location !== s.location)
    out.push(
      `Please note the new place: ${s.location || 'to be announced'} (it was ${then.location || 'not yet set'}).`,
    );
  return out;
}

/** A paragraph: plain text, or plain text with its HTML form (for a bold part). */
type Line = string | { text: string; html: string };

/** The email's key action (a link styled as a button), or a line of text when there is no link. */
type Action = [label: string, link: string | null];

/**
 * A link that looks and taps like a button: 12 + 20 + 12 = 44 px high (the smallest comfortable touch
 * target). Inline styles only: Gmail drops <style> blocks and classes.
 */
export const BUTTON_STYLE =
  'display:inline-block;font-size:16px;line-height:20px;font-weight:bold;color:#ffffff;text-decoration:none';

/**
 * A one-cell table button: Outlook for Windows (Word's renderer) drops padding, radius and inline-block
 * on a link, but keeps a cell's padding and background, so the button stays 44 px high there too.
 */
function buttonHtml(label: string, link: string): string {
  return (
    `<table role="presentation" border="0" cellspacing="0" cellpadding="0" style="margin:24px 0"><tr>` +
    `<td bgcolor="#1a5fb4" style="${BUTTON_CELL_STYLE}">` +
    `<a href="${escapeHtml(link)}" style="${BUTTON_STYLE}">${escapeHtml(label)}</a></td></tr></table>`
  );
}

/** The button's cell: its padding is the button's height in every client (12 + 20 + 12 = 44 px). */
export const BUTTON_CELL_STYLE = 'padding:12px 24px;border-radius:6px;background-color:#1a5fb4';

/** "20270115T180000Z": a calendar link's UTC time. */
const utcStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * "Add to Google Calendar" and "Outlook" links for the event. Like the .ics, they carry no guest link
 * (a shared calendar would show it): only the event, its place and the public form.
 */
export function calendarLinks(
  s: EventSettings,
  eventUrl: string | null,
): Array<[label: string, link: string]> {
  if (!s.startsAt) return [];
  const start = s.startsAt;
  const end = s.endsAt ?? new Date(start.getTime() + 2 * 3600e3);
  const about = [s.details, eventUrl ? `Event page: ${eventUrl}` : ''].filter(Boolean).join('\n\n');
  const q = (o: Record<string, string>) =>
    Object.entries(o)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
  return [
    [
      'Google Calendar',
      `https://calendar.google.com/calendar/render?${q({ action: 'TEMPLATE', text: s.eventName, dates: `${utcStamp(start)}/${utcStamp(end)}`, location: s.location, details: about })}`,
    ],
    [
      'Outlook',
      `https://outlook.live.com/calendar/0/deeplink/compose?${q({ path: '/calendar/action/compose', rru: 'addevent', subject: s.eventName, startdt: start.toISOString(), enddt: end.toISOString(), location: s.location, body: about })}`,
    ],
  ];
}

export function render(
  kind: EmailKind,
  g: EmailGuest,
  s: EventSettings,
  url: string | null,
  fmt: DateFormatter,
  ctx: RenderContext = {},
): RenderedEmail {
  const when = whenText(s, fmt);
  const party = g.party && g.party > 1 ? g.party : 1;
  const ofN = party > 1 ? ` (a party of ${party})` : '';
  const details = [`When: ${when}`, s.location ? `Where: ${s.location}` : '', s.details].filter(Boolean);
  const statusLink = guestLink(url, 'status', g.token);
  const cancel = guestLink(url, 'cancel', g.token);
  const confirm = guestLink(url, 'confirm', g.token);
  const claim = guestLink(url, 'claim', g.token);
  const leave = guestLink(url, 'leave', g.token);
  // Every email to someone waiting offers a way off the list (the page asks; only its button acts).
  const leaveLine: Line[] = leave
    ? [
        {
          text: `Don't need a place any more? Leave the waitlist: ${leave}`,
          html: `Don't need a place any more? <a href="${escapeHtml(leave)}">Leave the waitlist</a>.`,
        },
      ]
    : [];
  // In the event's time zone, with the zone's name: a guest elsewhere still reads it right.
  const deadline = g.offerExpires ? fmt(g.offerExpires, s.timeZone, "EEEE d MMMM 'at' HH:mm (z)") : 'soon';
  let lines: Line[];
  let actions: Action[] = [];
  let after: Line[] = [];
  if (kind === 'offered') {
    const rest = ', or it goes to the next person on the waitlist.';
    lines = [
      party > 1
        ? `Good news: ${party} seats at ${s.eventName} have opened up, and they're being held for your party.`
        : `Good news: a seat at ${s.eventName} has opened up, and it's being held for you.`,
      {
        text: `Claim it by ${deadline}${rest}`,
        html: `Claim it by <strong>${escapeHtml(deadline)}</strong>${escapeHtml(rest)}`,
      },
      '',
      ...details,
    ];
    actions = [['Claim my seat', claim]];
    after = ["Can't come after all? The same link lets you pass the seat on."];
  } else if (kind === 'cancelled') {
    lines = [
      ctx.about === 'host'
        ? `Your RSVP for ${s.eventName} has been cancelled by the host. If you think this is a mistake, reply to this email.`
        : `Your RSVP for ${s.eventName} is cancelled. Thanks for letting us know.`,
    ];
    actions = ctx.eventFull ? [] : [['Changed your mind? Sign up again', url]];
  } else if (kind === 'expired') {
    lines = [
      `The seat we held for you at ${s.eventName} was not claimed in time, so it has gone to the next person.`,
      g.status === 'waitlisted'
        ? `You're back on the waitlist as number ${g.position}.`
        : ctx.eventFull
          ? 'Your RSVP is cancelled.'
          : 'If you still want to come, you can sign up again.',
    ];
    actions =
      g.status === 'waitlisted'
        ? [['Check your place', statusLink]]
        : ctx.eventFull
          ? []
          : [['Sign up again', url]];
    if (g.status === 'waitlisted') after = leaveLine;
  } else if (kind === 'waitlist-closed') {
    lines = [
      `Registration for ${s.eventName} has closed, so no more seats will be offered from the waitlist.`,
      'Thank you for your interest, and sorry we could not fit you in this time.',
    ];
  } else if (kind === 'closed') {
    lines = [
      `Thank you for your reply. Registration for ${s.eventName} has closed, so we can't add you to the list any more.`,
      'Sorry we could not fit you in this time.',
    ];
  } else if (kind === 'left') {
    lines = [`You've left the waitlist for ${s.eventName}. Thanks for letting us know.`];
    actions = ctx.eventFull ? [] : [['Changed your mind? Sign up again', url]];
  } else if (kind === 'message') {
    // The host's own words, as plain text (escaped in HTML), with the guest's name and page filled in.
    const m = parseMessageAbout(ctx.about);
    lines = personalText(m?.text ?? '', g.name, statusLink)
      .split(/\n{2,}/)
      .map((p) => p.trim())
      .filter(Boolean);
    actions = [['View or change my RSVP', statusLink]];
  } else if (kind === 'cancel-link') {
    lines = [
      `We got your message asking to cancel your RSVP for ${s.eventName}.`,
      "To make sure it really came from you, please confirm with the button below. If you didn't ask to cancel, ignore this email: your RSVP stays as it is.",
    ];
    actions = [['Cancel my RSVP', cancel]];
  } else if (kind === 'reminder') {
    const changes = changedLines(s, ctx.about, fmt);
    lines = [
      `A reminder: ${s.eventName} is ${dayWord(s, ctx.now ?? new Date(), fmt)}, and your ${party > 1 ? `${party} seats are` : 'seat is'} confirmed.`,
      ...(changes.length
        ? [
            '',
            ...changes,
            ...(s.startsAt ? ['The attached invite.ics replaces the one you may have saved.'] : []),
          ]
        : []),
      '',
      ...details,
      '',
      "Can't come any more? Please cancel so someone on the waitlist can have your seat.",
    ];
    actions = [['Cancel my RSVP', cancel]];
  } else if (kind === 'confirmed') {
    lines = [
      party > 1
        ? `You're in! ${party} seats at ${s.eventName} are confirmed for you and your party.`
        : `You're in! Your seat at ${s.eventName} is confirmed.`,
      '',
      ...details,
      '',
      'If your plans change, please cancel so someone on the waitlist can have your seat.',
    ];
    // The main action is the guest's page (party, calendar, cancel); cancelling is one more line.
    // A "yes" by email, an import or an invitation could not ask the host's questions: the page does.
    const ask = ctx.asksQuestions && g.source !== 'form';
    if (ask) lines.push('', `The host has a few questions for you: please answer them on your page.`);
    actions = [[ask ? 'Complete your details' : 'View or change my RSVP', statusLink]];
    const cal = calendarLinks(s, url);
    after = [
      ...(cancel
        ? [
            {
              text: `Can't come? Cancel my RSVP: ${cancel}`,
              html: `Can't come? <a href="${escapeHtml(cancel)}">Cancel my RSVP</a>.`,
            },
          ]
        : []),
      ...(cal.length
        ? [
            {
              text: `Add to your calendar: ${cal.map(([l, link]) => `${l}: ${link}`).join(' · ')} (or open the attached invite.ics)`,
              html: `Add to your calendar: ${cal.map(([l, link]) => `<a href="${escapeHtml(link)}">${escapeHtml(l)}</a>`).join(' · ')} (or open the attached invite.ics).`,
            },
          ]
        : []),
    ];
  } else if (kind === 'waitlisted') {
    // Past the deadline or the start no seat is offered (the keeper's fill): say so, not "we'll email you".
    // (Known only when the sender says when it sends: the mailer always does.)
    const now = ctx.now?.getTime();
    const over = now !== undefined && [s.closesAt, s.startsAt].some((d) => !!d && now >= d.getTime());
    lines = over
      ? [
          `You're number ${g.position} on the waitlist for ${s.eventName}${ofN}.`,
          `Registration for ${s.eventName} has closed, so no more seats will be offered from the waitlist.`,
        ]
      : [
          `${s.eventName} is full, but you're number ${g.position} on the waitlist${ofN}.`,
          "If a seat frees up, we'll email you a link to claim it. There's nothing else you need to do.",
          '',
          ...details,
        ];
    actions = [['Check your place', statusLink]];
    after = leaveLine;
  } else {
    // Every seat taken: "Confirm my seat" would promise what the guest cannot get.
    lines = [
      party > 1
        ? `You're invited to ${s.eventName}, with your party of ${party}.`
        : `You're invited to ${s.eventName}.`,
      '',
      ...details,
      '',
      ctx.eventFull
        ? "Every seat is taken right now, but you can join the waitlist: if a seat frees up, we'll email you a link to claim it."
        : 'Seats are confirmed in the order people answer.',
    ];
    actions = [[ctx.eventFull ? 'Join the waitlist' : 'Confirm my seat', confirm]];
    after = ['Or simply reply "yes" to this email.'];
  }
  // A host's message is all the host's words, greeting included.
  const hello = kind === 'message' ? '' : greeting(g.name);
  const sign = s.hostName ? ['', s.hostName] : [];
  const textOf = (l: Line) => (typeof l === 'string' ? l : l.text);
  const htmlOf = (l: Line) =>
    typeof l === 'string' ? (l ? `<p>${escapeHtml(l).replace(/\n/g, '<br>')}</p>` : '') : `<p>${l.html}</p>`;
  // The pass: its QR code inline (Gmail shows a cid: image, never a data: one) and its link.
  const pass = (kind === 'confirmed' || kind === 'reminder') && ctx.passLink ? ctx.passLink : null;
  const body = [
    ...(hello ? [hello, ''] : []),
    ...lines.map(textOf),
    '',
    ...actions.map(([label, link]) => (link ? `${label}: ${link}` : label)),
    ...(pass ? ['', `Your pass (show it at the door; it cannot change your RSVP): ${pass}`] : []),
    ...(after.length ? ['', ...after.map(textOf)] : []),
    ...sign,
  ].join('\n');
  const htmlActions = actions
    .map(([label, link]) => (link ? buttonHtml(label, link) : `<p>${escapeHtml(label)}</p>`))
    .join('');
  const passHtml = pass
    ? `<p><strong>Your pass</strong>: show it at the door (it cannot change your RSVP).</p>` +
      `<p><img src="cid:pass" width="180" height="180" alt="Your pass: a QR code to show at the door"></p>` +
      `<p><a href="${escapeHtml(pass)}">Open your pass</a></p>`
    : '';
  const htmlBody =
    `<div style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:560px">` +
    `${hello ? `<p>${escapeHtml(hello)}</p>` : ''}${lines.map(htmlOf).join('')}${htmlActions}${passHtml}${after.map(htmlOf).join('')}` +
    (s.hostName ? `<p>${escapeHtml(s.hostName)}</p>` : '') +
    `</div>`;
  const subject =
    kind === 'reminder'
      ? `Reminder: ${oneLine(s.eventName)} is ${dayWord(s, ctx.now ?? new Date(), fmt)}${changedLines(s, ctx.about, fmt).length ? ' (note what changed)' : ''}`.slice(
          0,
          250,
        )
      : kind === 'message'
        ? oneLine(parseMessageAbout(ctx.about)?.subject || s.eventName).slice(0, 250)
        : subjectFor(kind, s, g.position);
  const out: RenderedEmail = { subject, body, htmlBody };
  if (pass) out.pass = pass;
  if ((kind === 'confirmed' || kind === 'reminder') && s.startsAt && ctx.calendarUid)
    out.ics = calendarFile(s, ctx.calendarUid, url, ctx.calendarSequence ?? 0);
  return out;
}

/**
 * The calendar file. Its UID is not the guest's token and it carries no guest link: anyone who can see
 * a calendar the guest imported it into (a shared or published calendar) sees the UID, the description
 * and the URL, and a token there would let them cancel the guest. It links to the event page instead.
 */
export function calendarFile(s: EventSettings, uid: string, eventUrl: string | null, sequence = 0): string {
  // ical-generator writes NAME and X-WR-CALNAME unescaped (SUMMARY it escapes): escape them here, as
  // RFC 5545 3.3.11 says for TEXT, or "Réunion, été" splits into two values.
  const name = s.eventName.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
  // METHOD:PUBLISH and a SEQUENCE that grows with each change of time or place: a calendar that has
  // the event (same UID) replaces it with this one.
  const cal = ical({
    name,
    method: ICalCalendarMethod.PUBLISH,
    prodId: { company: 'sheet-rsvp', product: 'rsvp', language: 'EN' },
  });
  const start = s.startsAt as Date;
  cal.createEvent({
    id: uid,
    sequence,
    start,
    end: s.endsAt ?? new Date(start.getTime() + 2 * 3600e3),
    summary: s.eventName,
    location: s.location || undefined,
    description:
      [s.details, eventUrl ? `Event page: ${eventUrl}` : ''].filter(Boolean).join('\n\n') || undefined,
    url: eventUrl ?? undefined,
  });
  // Every content line ends with CRLF (RFC 5545 3.1), the last one too.
  const text = cal.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
