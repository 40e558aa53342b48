/**
 * The web form lane: doGet serves the sign-up page (and guest link pages), doPost runs the seat
 * request and answers with a page, or JSON with format=json for embeds. GET never changes state.
 */
import { Guest } from '../core/model';
import { EventSettings } from '../core/settings';
import { Answer, AnswerStatus, answerFor, checkSignup } from '../core/signup';
import { deliverAnswer } from '../messenger/send';
import { requestSeat } from '../sheets/combiner';
import { whenText } from '../messenger/templates';
import { rowToGuest } from '../sheets/guests';
import { readSettings } from '../sheets/settings-sheet';
import { SUMMARY_LABELS } from '../sheets/layout';
import { BUSY_MESSAGE, openSheets, webAppUrl } from '../sheets/transaction';

type Event = GoogleAppsScript.Events.DoGet | GoogleAppsScript.Events.DoPost;
type Output = GoogleAppsScript.HTML.HtmlOutput | GoogleAppsScript.Content.TextOutput;

const TONE: Partial<Record<AnswerStatus, string>> = {
  confirmed: 'good',
  'already-confirmed': 'good',
  waitlisted: 'wait',
  'already-waitlisted': 'wait',
  invalid: 'bad',
  busy: 'bad',
  closed: 'bad',
  error: 'bad',
};

interface PageModel {
  title: string;
  eventName: string;
  eventLines: string[];
  seatsText: string;
  answer: (Answer & { tone: string }) | null;
  showForm: boolean;
  form: { name: string; email: string };
  errors: Partial<Record<'name' | 'email', string>>;
  buttonText: string;
  buttonForm: { action: string; token: string; label: string } | null;
  backLink: string | null;
  actionUrl: string;
}

interface Overview {
  settings: EventSettings | null;
  seatsLeft: number | null;
  waitlisted: number | null;
}

/** The event and its seats, from one read of the Settings sheet (the summary the keeper keeps). */
function overview(): Overview {
  const sheets = openSheets();
  if (!sheets) return { settings: null, seatsLeft: null, waitlisted: null };
  const snap = readSettings(sheets.settings, sheets.timeZone);
  const values = snap.summaryValues;
  const num = (label: (typeof SUMMARY_LABELS)[number]) => {
    const v = values[label];
    return typeof v === 'number' ? v : null;
  };
  return {
    settings: snap.result.ok ? snap.result.settings : null,
    seatsLeft: num('Seats left'),
    waitlisted: num('Waitlisted'),
  };
}

function page(o: Overview, patch: Partial<PageModel>): GoogleAppsScript.HTML.HtmlOutput {
  const s = o.settings;
  const url = webAppUrl() ?? '';
  const model: PageModel = {
    title: s ? s.eventName : 'Registration',
    eventName: s ? s.eventName : 'Registration is not open yet',
    eventLines: s ? [whenText(s, Utilities.formatDate), s.location].filter(Boolean) : [],
    seatsText: !s
      ? ''
      : o.seatsLeft === null
        ? ''
        : o.seatsLeft > 0
          ? `${o.seatsLeft} ${o.seatsLeft === 1 ? 'seat' : 'seats'} left`
          : 'The event is full: the waitlist is open',
    answer: null,
    showForm: !!s,
    form: { name: '', email: '' },
    errors: {},
    buttonText: o.seatsLeft === 0 ? 'Join the waitlist' : 'Reserve my seat',
    buttonForm: null,
    backLink: null,
    actionUrl: url,
    ...patch,
  };
  if (!s && !patch.answer) {
    model.answer = {
      status: 'closed',
      message: 'Registration is not open yet.',
      detail: 'Please check back soon.',
      tone: 'bad',
    };
  }
  const t = HtmlService.createTemplateFromFile('Page');
  Object.assign(t, model);
  return t
    .evaluate()
    .setTitle(model.title)
    .addMetaTag('viewport', 'width=device-width, initial-scale=1')
    .setXFrameOptionsMode(HtmlService.XFrameOptionsMode.ALLOWALL);
}

const withTone = (a: Answer) => ({ ...a, tone: TONE[a.status] ?? '' });

function json(a: Answer): GoogleAppsScript.Content.TextOutput {
  const body: Record<string, unknown> = { status: a.status, message: a.message, detail: a.detail };
  if (a.position !== undefined) body.position = a.position;
  if (a.errors) body.errors = a.errors;
  return ContentService.createTextOutput(JSON.stringify(body)).setMimeType(ContentService.MimeType.JSON);
}

const param = (e: Event, k: string): string => {
  const v = e?.parameter?.[k];
  return typeof v === 'string' ? v : '';
};

export function handleGet(e: GoogleAppsScript.Events.DoGet): Output {
  const action = param(e, 'action');
  const o = overview();
  if (param(e, 'format') === 'json') {
    return ContentService.createTextOutput(
      JSON.stringify({
        open: !!o.settings,
        eventName: o.settings?.eventName ?? null,
        when: o.settings ? whenText(o.settings, Utilities.formatDate) : null,
        location: o.settings?.location ?? null,
        seatsLeft: o.settings ? o.seatsLeft : null,
      }),
    ).setMimeType(ContentService.MimeType.JSON);
  }
  if (action === 'status' || action === 'cancel' || action === 'confirm') return guestPage(o, param(e, 't'));
  // Any other GET, including one carrying name/email, only shows the form.
  return page(o, {});
}

/** The page a guest's link opens: their current status. Reads only; changes nothing. */
function guestPage(o: Overview, token: string): GoogleAppsScript.HTML.HtmlOutput {
  const guest = token ? findByToken(token) : null;
  const back = webAppUrl();
  if (!guest) {
    return page(o, {
      showForm: false,
      backLink: back,
      answer: withTone({
        status: 'error',
        message: "We couldn't find that link.",
        detail: 'It may be mistyped or out of date. You can sign up again with the form.',
      }),
    });
  }
  const a: Answer =
    guest.status === 'confirmed'
      ? {
          status: 'already-confirmed',
          message: "You're confirmed.",
          detail: 'To cancel, reply "cancel" to your confirmation email.',
        }
      : guest.status === 'waitlisted'
        ? answerFor('already-waitlisted', guest.position, guest.email)
        : guest.status === 'offered'
          ? answerFor('already-offered', null, guest.email)
          : guest.status === 'invited'
            ? {
                status: 'invited',
                message: "You're invited.",
                detail: 'Confirm your seat with the button below.',
              }
            : {
                status: 'closed',
                message: 'Your RSVP is cancelled.',
                detail: 'You can sign up again with the form.',
              };
  return page(o, {
    showForm: false,
    answer: withTone(a),
    backLink: guest.status === 'cancelled' ? back : null,
    buttonForm: guest.status === 'invited' ? { action: 'confirm', token, label: 'Confirm my seat' } : null,
  });
}

function findByToken(token: string): Guest | null {
  const sheets = openSheets();
  if (!sheets) return null;
  const values = sheets.guests.getDataRange().getValues();
  for (let i = 1; i < values.length; i++) {
    const g = rowToGuest(values[i], i + 1);
    if (g.token && g.token === token.trim()) return g;
  }
  return null;
}

export function handlePost(e: GoogleAppsScript.Events.DoPost): Output {
  const asJson = param(e, 'format') === 'json';
  const respond = (a: Answer, form = { name: '', email: '' }) =>
    asJson
      ? json(a)
      : page(overview(), {
          answer: withTone(a),
          showForm: a.status === 'invalid' || a.status === 'busy',
          form,
          errors: a.errors ?? {},
        });

  // A filled honeypot is a bot: answer as if received, write nothing.
  if (param(e, 'website')) {
    return respond({ status: 'received', message: 'Thanks, we got your request.', detail: '' });
  }
  let name = param(e, 'name');
  let email = param(e, 'email');
  if (param(e, 'action') === 'confirm') {
    const g = findByToken(param(e, 't'));
    if (!g || g.status !== 'invited') return guestPage(overview(), param(e, 't'));
    name = g.name;
    email = g.email;
  }
  const check = checkSignup(name, email);
  const form = { name: name.slice(0, 200), email: email.slice(0, 254) };
  if (!check.ok) {
    return respond(
      {
        status: 'invalid',
        message: 'Please check the form.',
        detail: Object.values(check.errors).join(' '),
        errors: check.errors,
      },
      form,
    );
  }
  const tx = requestSeat({ email: check.email, name: check.name, lane: 'form', mode: 'seat' });
  if (!tx.ok) {
    if (tx.reason === 'busy') return respond({ status: 'busy', message: BUSY_MESSAGE, detail: '' }, form);
    if (tx.reason === 'closed') {
      return respond({
        status: 'closed',
        message: 'Registration is not open yet.',
        detail: 'Please check back soon.',
      });
    }
    return respond({
      status: 'error',
      message: 'Sorry, something went wrong on our side.',
      detail: tx.message,
    });
  }
  try {
    deliverAnswer(tx);
  } catch (err) {
    // The seat is taken and the Outbox row stays 'sending': the drain sends it once it is orphaned.
    console.error(`sending after sign-up failed: ${String(err)}`);
  }
  return respond(answerFor(tx.outcome.result, tx.outcome.position, check.email));
}
