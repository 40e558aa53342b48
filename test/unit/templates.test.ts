/** Emails that cannot be turned against a guest: greeting, buttons, deadline, calendar file. */
import { formatDate } from '../../emulator/dates';
import { EventSettings } from '../../src/core/settings';
import { EmailKind } from '../../src/core/outbox';
import { EmailGuest, calendarFile, greeting, render } from '../../src/messenger/templates';

const settings: EventSettings = {
  eventName: 'Winter Social',
  startsAt: new Date('2027-01-15T18:00:00Z'),
  endsAt: null,
  closesAt: null,
  timeZone: 'America/New_York',
  location: 'The Hall',
  details: '',
  capacity: 10,
  claimWindowHours: 24,
  replyTo: '',
  hostName: 'Sam',
  offerExpiry: 'cancel',
  replyCheckMinutes: 5,
  reminders: [],
  quietHours: null,
  largestParty: 1,
  smallerFirst: true,
  hostEditMail: true,
};
const URL = 'https://script.google.com/macros/s/abc/exec';
const TOKEN = '0b6c7d43-2f7e-4c8a-9f3e-5d1c2b3a4e5f';
const guest = (patch: Partial<EmailGuest> = {}): EmailGuest => ({
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  token: TOKEN,
  position: 2,
  status: 'confirmed',
  offerExpires: null,
  ...patch,
});

/**
 * The buttons of an HTML body: each one-cell table button's link, label and style, and the height its
 * cell's padding and the link's line height give it (what Outlook for Windows keeps too).
 */
function buttons(html: string) {
  return [
    ...html.matchAll(
      /<td bgcolor="[^"]*" style="([^"]*)"><a href="([^"]*)" style="([^"]*)">([^<]*)<\/a><\/td>/g,
    ),
  ].map(([, cell, href, style, label]) => {
    const px = (css: string, prop: string) =>
      Number(new RegExp(`(?:^|;)${prop}:(\\d+)px`).exec(css)?.[1] ?? NaN);
    return {
      href,
      label,
      inlineBlock: /display:inline-block/.test(style),
      height: 2 * px(cell, 'padding') + px(style, 'line-height'),
    };
  });
}

describe('greeting', () => {
  test('a first name is used; a sentence with a link hidden behind blank look-alikes is not', () => {
    expect(greeting('Ada Lovelace')).toBe('Hi Ada,');
    const spam =
      'there!\u2800Your\u2800seat\u2800needs\u2800a\u2800deposit:\u2800pay\u2800at\u2800https://evil.example/pay';
    expect(greeting(spam)).toBe('Hi there,');
    const mail = render('confirmed', guest({ name: spam }), settings, URL, formatDate, {
      calendarUid: 'u@x',
    });
    expect(mail.body.split('\n')[0]).toBe('Hi there,');
    expect(mail.body).not.toContain('evil.example');
    expect(mail.htmlBody).not.toContain('evil.example');
  });

  test('a name that is used is escaped in the HTML body', () => {
    const mail = render(
      'waitlisted',
      guest({ name: '<i>Ada', status: 'waitlisted' }),
      settings,
      URL,
      formatDate,
    );
    expect(mail.htmlBody).toContain('<p>Hi &#60;i&#62;Ada,</p>');
  });
});

describe('the key action is a button big enough to tap', () => {
  const cases: Array<[EmailKind, Partial<EmailGuest>, string, string]> = [
    ['confirmed', {}, 'View or change my RSVP', 'status'],
    ['cancel-link', {}, 'Cancel my RSVP', 'cancel'],
    [
      'offered',
      { status: 'offered', offerExpires: new Date('2027-01-10T15:00:00Z') },
      'Claim my seat',
      'claim',
    ],
    ['invited', { status: 'invited' }, 'Confirm my seat', 'confirm'],
    ['waitlisted', { status: 'waitlisted' }, 'Check your place', 'status'],
  ];
  test.each(cases)('%s: "%s"', (kind, patch, label, action) => {
    const mail = render(kind, guest(patch), settings, URL, formatDate);
    const [button, ...rest] = buttons(mail.htmlBody);
    expect(rest).toEqual([]);
    expect(button).toEqual({
      href: `${URL}?action=${action}&#38;t=${TOKEN}`,
      label,
      inlineBlock: true,
      height: expect.any(Number),
    });
    expect(button.height).toBeGreaterThanOrEqual(44);
    // The plain-text part keeps the link.
    expect(mail.body).toContain(`${label}: ${URL}?action=${action}&t=${TOKEN}`);
  });

  test('the claim deadline is in bold, in the event’s time zone', () => {
    const mail = render(
      'offered',
      guest({ status: 'offered', offerExpires: new Date('2027-01-10T15:00:00Z') }),
      settings,
      URL,
      formatDate,
    );
    expect(mail.htmlBody).toContain(
      'Claim it by <strong>Sunday 10 January at 10:00 (EST)</strong>, or it goes',
    );
    expect(mail.body).toContain('Claim it by Sunday 10 January at 10:00 (EST), or it goes');
  });
});

describe('cancelled and expired: no invitation to sign up again when the event is full', () => {
  test.each([
    ['cancelled', 'cancelled'],
    ['expired', 'cancelled'],
  ] as const)('%s', (kind, status) => {
    const open = render(kind, guest({ status }), settings, URL, formatDate, { eventFull: false });
    expect(open.body).toMatch(/[Ss]ign up again/);
    expect(buttons(open.htmlBody).map((b) => b.href)).toEqual([URL]);
    const full = render(kind, guest({ status }), settings, URL, formatDate, { eventFull: true });
    expect(full.body).not.toMatch(/sign up again/i);
    expect(buttons(full.htmlBody)).toEqual([]);
  });
});

describe('the calendar file', () => {
  test('its UID is the one given, and neither the UID, the description nor the URL carries the token', () => {
    const ics = calendarFile({ ...settings, details: 'Bring a dish.' }, '5f0e@sheet-rsvp', URL);
    expect(ics).toContain('UID:5f0e@sheet-rsvp');
    expect(ics).not.toContain(TOKEN);
    expect(ics).not.toMatch(/action=cancel/);
    expect(ics.replace(/\r\n /g, '')).toContain(`Event page: ${URL}`);
    expect(ics).toContain(`URL;VALUE=URI:${URL}`);
  });

  test('METHOD:PUBLISH, and the SEQUENCE it is given (how many times the time or place changed)', () => {
    const ics = calendarFile(settings, 'u@sheet-rsvp', URL, 3);
    expect(ics).toContain('\r\nMETHOD:PUBLISH\r\n');
    expect(ics).toContain('\r\nSEQUENCE:3\r\n');
    expect(calendarFile(settings, 'u@sheet-rsvp', URL)).toContain('\r\nSEQUENCE:0\r\n');
  });

  test('the calendar name is escaped as RFC 5545 TEXT, like the summary, and the file ends with CRLF', () => {
    const ics = calendarFile({ ...settings, eventName: 'Réunion, "été"; 2027 \\ fin' }, 'u@sheet-rsvp', URL);
    const unfolded = ics.replace(/\r\n /g, '');
    const line = (prop: string) => unfolded.split('\r\n').find((l) => l.startsWith(`${prop}:`));
    const escaped = 'Réunion\\, "été"\\; 2027 \\\\ fin';
    expect(line('NAME')).toBe(`NAME:${escaped}`);
    expect(line('X-WR-CALNAME')).toBe(`X-WR-CALNAME:${escaped}`);
    expect(line('SUMMARY')).toBe(`SUMMARY:${escaped}`);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  test('render attaches it to a confirmation with the UID it is given', () => {
    const mail = render('confirmed', guest(), settings, URL, formatDate, { calendarUid: 'abc@sheet-rsvp' });
    expect(mail.ics).toContain('UID:abc@sheet-rsvp');
    expect(mail.ics).not.toContain(TOKEN);
  });
});

describe('the waitlisted email once no seat will be offered', () => {
  const closed =
    'Registration for Winter Social has closed, so no more seats will be offered from the waitlist.';
  const body = (s: EventSettings, now?: Date) =>
    render('waitlisted', guest({ status: 'waitlisted' }), s, URL, formatDate, { now }).body;
  test('before the deadline it promises an offer; from the deadline, or the start, it says none will come', () => {
    const closesAt = new Date('2027-01-10T12:00:00Z');
    const s = { ...settings, closesAt };
    expect(body(s, new Date(closesAt.getTime() - 1))).toContain("we'll email you a link to claim it");
    expect(body(s, closesAt)).toContain(closed);
    expect(body(s, closesAt)).not.toContain("we'll email you");
    expect(body(s, closesAt)).toContain("You're number 2 on the waitlist for Winter Social.");
    expect(body(settings, settings.startsAt!)).toContain(closed);
    expect(body(settings)).toContain("we'll email you a link to claim it"); // no time given: as before
  });
});

describe('parties in the emails', () => {
  test('an invite to a party of 3 says so; a party of 1 reads as before', () => {
    const invite = (party?: number) =>
      render('invited', guest({ status: 'invited', party }), settings, URL, formatDate).body;
    expect(invite(3)).toContain("You're invited to Winter Social, with your party of 3.");
    expect(invite(1)).toContain("You're invited to Winter Social.\n");
    expect(invite()).toContain("You're invited to Winter Social.\n");
  });
});

describe('the confirmation: the guest’s page first, then cancel and add to calendar', () => {
  test('one button to the status page; cancel and calendar links below; no token in the calendar links', () => {
    const mail = render('confirmed', guest(), settings, URL, formatDate, { calendarUid: 'u@x' });
    expect(buttons(mail.htmlBody).map((b) => b.label)).toEqual(['View or change my RSVP']);
    expect(mail.body).toContain(`Can't come? Cancel my RSVP: ${URL}?action=cancel&t=${TOKEN}`);
    const google = /https:\/\/calendar\.google\.com\/calendar\/render\?[^\s)]+/.exec(mail.body)?.[0] ?? '';
    const outlook =
      /https:\/\/outlook\.live\.com\/calendar\/0\/deeplink\/compose\?[^\s)]+/.exec(mail.body)?.[0] ?? '';
    expect(new globalThis.URL(google).searchParams.get('dates')).toBe('20270115T180000Z/20270115T200000Z');
    expect(new globalThis.URL(google).searchParams.get('text')).toBe('Winter Social');
    expect(new globalThis.URL(outlook).searchParams.get('startdt')).toBe('2027-01-15T18:00:00.000Z');
    for (const link of [google, outlook]) expect(link).not.toContain(TOKEN);
    expect(mail.htmlBody).toContain('>Google Calendar</a> · <a href=');
  });

  test('Outlook for Windows: the size lives on the cell, not on the link', () => {
    const mail = render('confirmed', guest(), settings, URL, formatDate);
    const link = /<a href="[^"]*action=status[^"]*" style="([^"]*)"/.exec(mail.htmlBody)?.[1] ?? '';
    expect(link).not.toMatch(/padding|border-radius/);
    expect(mail.htmlBody).toMatch(
      /<table role="presentation"[^>]*><tr><td bgcolor="#1a5fb4" style="padding:12px 24px/,
    );
  });
});

describe('the calendar file, read back by ical.js (a parser that reads RFC 5545 escaping as written)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ICAL = require('ical.js');
  test('the name with , ; and \\, the place, the times, METHOD and SEQUENCE come back as sent', () => {
    const s = { ...settings, eventName: 'Réunion, "été"; 2027 \\ fin', location: 'Hall; B, floor 2' };
    const cal = new ICAL.Component(ICAL.parse(calendarFile(s, 'u@sheet-rsvp', URL, 2)));
    // NAME (RFC 7986) and X-WR-CALNAME are properties ical.js does not type, so it gives them raw: the
    // raw value is the name escaped as RFC 5545 TEXT, which a TEXT reader turns back into the name.
    const escaped = 'Réunion\\, "été"\\; 2027 \\\\ fin';
    expect(cal.getFirstPropertyValue('name')).toBe(escaped);
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe(escaped);
    expect(ICAL.design.icalendar.value.text.fromICAL(escaped)).toBe(s.eventName);
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    const ev = new ICAL.Event(cal.getFirstSubcomponent('vevent'));
    expect(ev.summary).toBe(s.eventName);
    expect(ev.location).toBe('Hall; B, floor 2');
    expect(ev.uid).toBe('u@sheet-rsvp');
    expect(ev.sequence).toBe(2);
    expect(ev.startDate.toJSDate().toISOString()).toBe('2027-01-15T18:00:00.000Z');
    expect(ev.endDate.toJSDate().toISOString()).toBe('2027-01-15T20:00:00.000Z');
  });
});
