/**
 * The web form lane: doGet serves the sign-up page (and guest link pages), doPost runs the seat
 * request and answers with a page, or JSON with format=json for embeds (every page a link can
 * reach answers JSON with format=json too). GET never changes state.
 */
import { mailboxKey } from '../../core/email';
import { isBot } from '../../core/honeypot';
import { isSuperseded } from '../../core/keeper';
import { Guest } from '../../core/model';
import { EventSettings } from '../../core/settings';
import { Answer, AnswerStatus, answerFor, checkParty, checkSignup } from '../../core/signup';
import { throttleMessage } from '../../core/throttle';
import { questionFieldsHtml } from '../../core/question-fields';
import { qrSvg } from '../../core/qr';
import { maskEmail } from '../../core/text';
import { BUSY_MESSAGE, SeatAnswer, SeatFailure, keeper } from '../../keeper/keeper';
import { MailState, deliverAnswer } from '../../messenger/send';
import { whenText } from '../../messenger/templates';
import { SUMMARY_LABELS } from '../../sheets/layout';
import { closedBy } from '../../core/deadline';
import { learnPublicUrl, publicUrl } from '../../sheets/public-url';
import { Workbook } from '../../sheets/workbook';
import { formQuestions, keptPrivate, postedAnswers, postedValues, savedValues } from './details';
import { checkInPost, doorPage, passPage, walkInPost } from './door';
import { passLink } from '../../sheets/door-keys';
import { newStamp, readStamp } from './stamp';
import { admitTry, countUnsignedSignup } from './throttle';

type Event = GoogleAppsScript.Events.DoGet | GoogleAppsScript.Events.DoPost;
type Output = GoogleAppsScript.HTML.HtmlOutput | GoogleAppsScript.Content.TextOutput;

const TONE: Partial<Record<AnswerStatus, string>> = {
  confirmed: 'good',
  'already-confirmed': 'good',
  waitlisted: 'wait',
  'already-waitlisted': 'wait',
  invalid: 'bad',
  busy: 'bad',
  queued: 'wait',
  throttled: 'bad',
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
  form: { name: string; email: string; party: number; values?: Record<string, string[]> };
  /** By field: name, email, party, and each question's field (see core/questions.ts, fieldName). */
  errors: Record<string, string>;
  /** The host's questions as fields (core/question-fields.ts), HTML escaped there. */
  questionsHtml: string;
  /** A guest's page: the form that changes their answers (null: no questions, or not theirs to change). */
  detailsForm: { token: string; html: string } | null;
  /** A confirmed guest's page: their pass (its QR code, drawn here, and its link). */
  pass: { svg: string; link: string } | null;
  /** The form asks for a party size up to this (1: it does not ask). */
  largestParty: number;
  /** A guest's page: a way to change their party size (null: parties are off, or not theirs to change). */
  partyForm: { token: string; current: number; max: number } | null;
  buttonText: string;
  buttons: Array<{ action: string; token: string; label: string; secondary?: boolean }>;
  backLink: string | null;
  actionUrl: string;
  /** When the form was rendered (server clock): the honeypot's second signal. */
  stamp: string;
  /** The answer box takes focus on load: after a POST, so a guest without JavaScript hears it. */
  focusAnswer: boolean;
  /** Client.html, the form's JavaScript (shared with the embed snippet). */
  clientScript: string;
}

interface Overview {
  settings: EventSettings | null;
  /** Settings hold a typo: the event's name when known, so the page can say registration is paused. */
  pausedEvent?: string;
  seatsLeft: number | null;
  waitlisted: number | null;
}

/** The event and its seats, from one read of the Settings sheet (the summary the keeper keeps). */
function overview(): Overview {
  const book = Workbook.open();
  if (!book) return { settings: null, seatsLeft: null, waitlisted: null };
  const snap = book.settings.read();
  const values = snap.summaryValues;
  const num = (label: (typeof SUMMARY_LABELS)[number]) => {
    const v = values[label];
    return typeof v === 'number' ? v : null;
  };
  return {
    settings: snap.result.ok ? snap.result.settings : null,
    pausedEvent: snap.result.ok ? undefined : snap.result.settings.eventName || undefined,
    seatsLeft: num('Seats left'),
    waitlisted: num('Waitlisted'),
  };
}

const seatsText = (o: Overview): string =>
  !o.settings || o.seatsLeft === null
    ? ''
    : o.seatsLeft > 0
      ? `${o.seatsLeft} ${o.seatsLeft === 1 ? 'seat' : 'seats'} left`
      : 'The event is full: the waitlist is open';

const buttonText = (o: Overview): string => (o.seatsLeft === 0 ? 'Join the waitlist' : 'Reserve my seat');

const NOT_OPEN: Answer = {
  status: 'closed',
  message: 'Registration is not open yet.',
  detail: 'Please check back soon.',
};

/** The host's Settings hold a typo: registration is paused, not gone (the event keeps its name). */
const paused = (eventName: string): Answer => ({
  status: 'closed',
  message: `Registration for ${eventName} is paused.`,
  detail: 'The organiser is updating the event details. Please check back soon.',
});

const closedAnswer = (o: Overview): Answer => (o.pausedEvent ? paused(o.pausedEvent) : NOT_OPEN);

/** Past the registration deadline or the start: the page says so instead of showing the form. */
const registrationOver = (s: EventSettings): boolean => closedBy(s, Date.now()) !== null;

const OVER = (s: EventSettings): Answer => ({
  status: 'closed',
  message: `Registration for ${s.eventName} has closed.`,
  detail: 'Sign-ups are no longer taken. If you already signed up, the link in your email still works.',
});

function page(o: Overview, patch: Partial<PageModel>): GoogleAppsScript.HTML.HtmlOutput {
  const s = o.settings;
  const url = appUrl() ?? '';
  const model: PageModel = {
    title: s ? s.eventName : (o.pausedEvent ?? 'Registration'),
    eventName: s ? s.eventName : (o.pausedEvent ?? 'Registration is not open yet'),
    eventLines: s ? [whenText(s, Utilities.formatDate), s.location].filter(Boolean) : [],
    seatsText: seatsText(o),
    answer: null,
    showForm: !!s,
    form: { name: '', email: '', party: 1 },
    errors: {},
    largestParty: s?.largestParty ?? 1,
    partyForm: null,
    buttonText: buttonText(o),
    buttons: [],
    backLink: null,
    actionUrl: url,
    stamp: newStamp(),
    focusAnswer: false,
    clientScript: '',
    questionsHtml: '',
    detailsForm: null,
    pass: null,
    ...patch,
  };
  if (model.showForm && s)
    model.questionsHtml = questionFieldsHtml({
      questions: formQuestions(),
      values: model.form.values ?? {},
      errors: model.errors,
      largestParty: s.largestParty,
    });
  if (!s && !patch.answer) model.answer = withTone(closedAnswer(o));
  if (s && registrationOver(s) && !patch.answer) {
    model.answer = withTone(OVER(s));
    model.showForm = false;
  }
  // Every page gets the script: the form and the guest page's buttons answer in place with it.
  model.clientScript = HtmlService.createHtmlOutputFromFile('Client').getContent();
  const t = HtmlService.createTemplateFromFile('Page');
  Object.assign(t, model);
  return t
    .evaluate()
    .setTitle(titleOf(model))
    .addMetaTag('viewport', 'width=device-width, initial-scale=1')
    .setXFrameOptionsMode(HtmlService.XFrameOptionsMode.ALLOWALL);
}

/**
 * An answered page leads its title with the answer: inside Google's cross-origin frame the browser
 * ignores `autofocus`, so without JavaScript the title (read out when the page loads) is what
 * tells a screen-reader user the outcome first.
 */
const titleOf = (m: PageModel): string =>
  m.focusAnswer && m.answer ? `${m.answer.message} – ${m.title}` : m.title;

const withTone = (a: Answer) => ({ ...a, tone: a.asking ? '' : (TONE[a.status] ?? '') });

const jsonOutput = (value: unknown): GoogleAppsScript.Content.TextOutput =>
  ContentService.createTextOutput(JSON.stringify(value)).setMimeType(ContentService.MimeType.JSON);

function json(a: Answer, actions?: PageModel['buttons']): GoogleAppsScript.Content.TextOutput {
  const body: Record<string, unknown> = { status: a.status, message: a.message, detail: a.detail };
  if (a.position !== undefined) body.position = a.position;
  if (a.party !== undefined) body.party = a.party;
  if (a.errors) body.errors = a.errors;
  // The seats line as it is now (after this sign-up took one): the page updates it in place.
  if (a.seatsText !== undefined) body.seatsText = a.seatsText;
  if (a.asking) body.asking = true;
  // A guest page's buttons, without the token (the caller has it).
  if (actions) body.actions = actions.map((b) => ({ action: b.action, label: b.label }));
  return jsonOutput(body);
}

const SCRIPT_ERROR: Answer = {
  status: 'error',
  message: 'Sorry, something went wrong on our side.',
  detail: 'Please try again in a moment.',
};

/** A caller that asked for JSON (or for a page's content) gets JSON, even when the script fails. */
function answeringJson(e: Event, handle: () => Output): Output {
  try {
    return inPage(e, handle());
  } catch (err) {
    if (param(e, 'format') !== 'json' && param(e, 'view') !== 'page') throw err;
    console.error(`web app: ${String(err)}`);
    return json(SCRIPT_ERROR);
  }
}

/**
 * view=page: the page's script asks for the next page without leaving the sandboxed frame (see
 * Client.html), so it gets that page's content, the same HTML a plain request gets, as JSON.
 */
function inPage(e: Event, out: Output): Output {
  if (param(e, 'view') !== 'page' || param(e, 'format') === 'json' || !('getTitle' in out)) return out;
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/.exec(out.getContent());
  return jsonOutput({ page: main ? main[1] : '', title: out.getTitle() });
}

/** The form's public link (this request's own /exec URL, unless the host set another). */
const appUrl = (): string | null => publicUrl();

const GUEST_PAGES = ['status', 'cancel', 'confirm', 'claim', 'decline', 'leave', 'party'];

const param = (e: Event, k: string): string => {
  const v = e?.parameter?.[k];
  return typeof v === 'string' ? v : '';
};

export function handleGet(e: GoogleAppsScript.Events.DoGet): Output {
  learnPublicUrl();
  return answeringJson(e, () => {
    const action = param(e, 'action');
    // The door (issue 26): a pass, and the door page. Pages only: they change nothing.
    if (action === 'pass') return passPage(e);
    if (action === 'door') return doorPage(e);
    const asJson = param(e, 'format') === 'json';
    const o = overview();
    if (GUEST_PAGES.includes(action)) return guestPage(o, param(e, 't'), action, asJson);
    if (asJson) return jsonOutput(eventState(o));
    // Any other GET, including one carrying name/email, only shows the form.
    return page(o, {});
  });
}

/**
 * The event's state for the embed snippet, which is a static page: what the form page would show
 * (button text, seats line) and a render stamp for the honeypot. One read of Settings, no lock.
 */
function eventState(o: Overview): Record<string, unknown> {
  const s = o.settings;
  return {
    open: !!s && !registrationOver(s),
    paused: !s && !!o.pausedEvent,
    closed: !!s && registrationOver(s),
    eventName: s?.eventName ?? o.pausedEvent ?? null,
    when: s ? whenText(s, Utilities.formatDate) : null,
    location: s?.location ?? null,
    seatsLeft: s ? o.seatsLeft : null,
    full: !!s && o.seatsLeft === 0,
    buttonText: buttonText(o),
    seatsText: seatsText(o),
    ...(s ? {} : { message: closedAnswer(o).message, detail: closedAnswer(o).detail }),
    ...(s && registrationOver(s) ? { message: OVER(s).message, detail: OVER(s).detail } : {}),
    stamp: newStamp(),
  };
}

/**
 * The page a guest's link opens: their status and, where it applies, a button. Link scanners open
 * links with GET, so GET only shows; the buttons POST.
 */
function guestPage(
  o: Overview,
  token: string,
  action: string,
  asJson: boolean,
  details?: { notice?: Answer; values?: Record<string, string[]>; errors?: Record<string, string> },
): Output {
  const guest = token ? findByToken(token) : null;
  const back = appUrl();
  if (!guest) {
    const notFound = answerFor('not-found', null, '');
    if (asJson) return json(notFound, []);
    return page(o, { showForm: false, backLink: back, answer: withTone(notFound) });
  }
  const cancel = { action: 'cancel', token, label: 'Yes, cancel my RSVP', secondary: action !== 'cancel' };
  // The cancel page says whose RSVP this is (a forwarded email's link is someone else's), and offers a
  // way out that changes nothing.
  const asking = action === 'cancel';
  const whose = `This is the RSVP of ${[guest.name, `(${maskEmail(guest.email)})`].filter(Boolean).join(' ')}.`;
  const keep = (label: string) => ({ action: 'status', token, label, secondary: true });
  const full = o.seatsLeft === 0;
  const deadline = (d: Date | null) =>
    d && o.settings ? Utilities.formatDate(d, o.settings.timeZone, "EEEE d MMMM 'at' HH:mm (z)") : 'soon';
  let a: Answer;
  let buttons: PageModel['buttons'] = [];
  switch (guest.status) {
    case 'confirmed':
      a = {
        status: 'already-confirmed',
        // The cancel page asks a question: not a green "You're confirmed." above a cancel button.
        message: asking ? 'Cancel your RSVP?' : "You're confirmed.",
        ...(asking ? { asking: true } : {}),
        detail: asking
          ? `${whose} Do you want to cancel your RSVP? Your seat will go to the next person on the waitlist.`
          : 'See you there!',
      };
      buttons = asking ? [cancel, keep('No, keep my seat')] : [cancel];
      break;
    case 'waitlisted': {
      a = answerFor('already-waitlisted', guest.position, guest.email);
      // "leave" only ever takes the guest off the waitlist: pressed late, it cannot cancel a seat.
      const leaving = asking || action === 'leave';
      // Their own page: where they stand, not "already" (that answers a second sign-up).
      a.message = leaving ? 'Leave the waitlist?' : `You're number ${guest.position} on the waitlist.`;
      if (leaving) {
        a.asking = true;
        a.detail = `${whose} Do you want to leave the waitlist? The people behind you move up.`;
      }
      const leave = {
        action: 'leave',
        token,
        label: leaving ? 'Yes, leave the waitlist' : 'Leave the waitlist',
        secondary: !leaving,
      };
      buttons = [leave, ...(leaving ? [keep('No, keep my place')] : [])];
      break;
    }
    case 'offered':
      a = {
        status: 'already-offered',
        message: 'A seat is being held for you.',
        detail: `Claim it by ${deadline(guest.offerExpires)}.`,
      };
      buttons = [
        { action: 'claim', token, label: 'Claim my seat' },
        { action: 'decline', token, label: "No thanks, I can't come", secondary: true },
      ];
      break;
    case 'invited':
      a = {
        status: 'invited',
        message: "You're invited.",
        detail: full
          ? "Every seat is taken right now: join the waitlist and we'll email you if a seat frees up."
          : 'Confirm your seat with the button below.',
      };
      buttons = [
        { action: 'confirm', token, label: full ? 'Join the waitlist' : 'Confirm my seat' },
        { ...cancel, label: "I can't come", secondary: true },
      ];
      break;
    default:
      a = {
        ...answerFor('already-cancelled', null, guest.email, { full }),
        message: 'Your RSVP is cancelled.',
      };
  }
  const max = o.settings?.largestParty ?? 1;
  const changeable = max > 1 && ['confirmed', 'offered', 'waitlisted', 'invited'].includes(guest.status);
  if (max > 1) a.party = guest.party;
  if (changeable) a.detail = `${a.detail} Your party: ${guest.party}.`.trim();
  if (details?.notice)
    a = { ...details.notice, detail: [details.notice.detail, a.detail].filter(Boolean).join(' ') };
  if (asJson) return json(a, buttons);
  return page(o, {
    showForm: false,
    answer: withTone(a),
    detailsForm: detailsFormFor(o, guest, details),
    pass: passOf(guest),
    partyForm: changeable ? { token, current: guest.party, max } : null,
    // Back to the form invites a sign-up: not when the event is full.
    backLink: guest.status === 'cancelled' && !full ? back : null,
    buttons,
  });
}

/** A confirmed guest's pass on their page: the QR code of their check-in link, and the link. */
function passOf(guest: Guest): PageModel['pass'] {
  if (guest.status !== 'confirmed') return null;
  const version = Workbook.open()?.guests.answersAt(guest.row).pass ?? '';
  const link = passLink(guest, version);
  return link ? { link, svg: qrSvg(link, 200, 'Your pass: a QR code to show at the door') } : null;
}

/** Answers are taken until the event starts, from a live RSVP. */
const takesDetails = (o: Overview, g: Guest): boolean =>
  !!o.settings &&
  ['confirmed', 'offered', 'waitlisted', 'invited'].includes(g.status) &&
  !(o.settings.startsAt && Date.now() >= o.settings.startsAt.getTime());

/** A guest's page: the host's questions, filled in with what the guest saved (never a private answer). */
function detailsFormFor(
  o: Overview,
  guest: Guest,
  details?: { values?: Record<string, string[]>; errors?: Record<string, string> },
): PageModel['detailsForm'] {
  if (!takesDetails(o, guest)) return null;
  const questions = formQuestions();
  if (!questions.length) return null;
  const book = Workbook.open();
  const values = details?.values ?? savedValues(questions, book ? book.guests.answersAt(guest.row) : {});
  const html = questionFieldsHtml({
    questions,
    values,
    errors: details?.errors ?? {},
    largestParty: guest.party,
    party: guest.party,
    idPrefix: 'd',
  });
  return { token: guest.token, html };
}

/** The guest's page posted their answers: checked, then written on their row by the keeper. */
function saveDetails(e: GoogleAppsScript.Events.DoPost, asJson: boolean): Output {
  const o = overview();
  const token = param(e, 't');
  const guest = token ? findByToken(token) : null;
  if (!guest || !takesDetails(o, guest)) return guestPage(o, token, 'status', asJson);
  const book = Workbook.open();
  const cells = book ? book.guests.answersAt(guest.row) : {};
  const values = postedValues(e);
  const questions = formQuestions();
  const kept = keptPrivate(questions, cells, values, guest.party);
  const asked = questions.filter((q) => !kept.has(q.label));
  const checked = postedAnswers(asked, values, guest.party, guest.name);
  if (!checked.ok) {
    const a: Answer = {
      status: 'invalid',
      message: 'Please check your details.',
      detail: Object.values(checked.errors).join(' '),
      errors: checked.errors,
    };
    if (asJson) return json(a);
    return guestPage(o, token, 'status', false, { notice: a, values, errors: checked.errors });
  }
  const tx = keeper.request({ action: 'answers', token, answers: checked.cells, lane: 'form' });
  if (!tx.ok || tx.outcome.result !== 'details-saved')
    return respondTo(tx, (a, ov) =>
      asJson ? json(a) : page(ov ?? o, { answer: withTone(a), showForm: false }),
    );
  const saved = answerFor('details-saved', null, guest.email);
  if (asJson) return json(saved);
  return guestPage(overview(), token, 'status', false, { notice: saved });
}

/** The guest a link's token belongs to; null for an unknown token or a replaced RSVP's (see isSuperseded). */
function findByToken(token: string): Guest | null {
  const book = Workbook.open();
  const t = token.trim();
  if (!book || !t) return null;
  const rows = book.guests.all();
  const g = rows.find((x) => x.token === t);
  if (!g) return null;
  const key = mailboxKey(g.email);
  return isSuperseded(
    g,
    rows.filter((x) => x.email && mailboxKey(x.email) === key),
  )
    ? null
    : g;
}

export function handlePost(e: GoogleAppsScript.Events.DoPost): Output {
  learnPublicUrl();
  return answeringJson(e, () => post(e));
}

function post(e: GoogleAppsScript.Events.DoPost): Output {
  if (param(e, 'action') === 'pass') return passPage(e);
  if (param(e, 'action') === 'checkin') return checkInPost(e);
  if (param(e, 'action') === 'walkin') return walkInPost(e);
  const asJson = param(e, 'format') === 'json';
  const respond = (a: Answer, form = { name: '', email: '', party: 1 }, o?: Overview) =>
    asJson
      ? json(a)
      : page(o ?? overview(), {
          answer: withTone(a),
          focusAnswer: true,
          showForm:
            a.status === 'invalid' || ((a.status === 'busy' || a.status === 'throttled') && !!form.email),
          form,
          errors: a.errors ?? {},
          // Back to the form after a cancel, unless the event is full (then it would only invite a wait).
          backLink:
            a.status === 'not-found' ||
            (['cancelled', 'declined', 'already-cancelled'].includes(a.status) && (o?.seatsLeft ?? 1) !== 0)
              ? appUrl()
              : null,
        });

  const action = param(e, 'action');
  // A status link posted ("Keep my seat" on the cancel page, an embed asking): the same read-only page as GET.
  if (action === 'status') return guestPage(overview(), param(e, 't'), action, asJson);
  if (action === 'cancel' || action === 'claim' || action === 'decline' || action === 'leave') {
    return respondTo(keeper.request({ action, token: param(e, 't'), lane: 'form' }), (a, o) =>
      respond(a, undefined, o),
    );
  }
  if (action === 'answers') return saveDetails(e, asJson);
  if (action === 'party') {
    // A guest changing their party size from their page: checked like the form's field.
    const max = overview().settings?.largestParty ?? 1;
    const p = checkParty(param(e, 'party'), max);
    if (!p.ok || max <= 1)
      return respond({
        status: 'invalid',
        message: 'Please check the party size.',
        detail: p.ok ? 'This event takes one seat per RSVP.' : p.error,
        errors: p.ok ? undefined : { party: p.error },
      });
    return respondTo(keeper.request({ action, token: param(e, 't'), party: p.party, lane: 'form' }), (a, o) =>
      respond(a, undefined, o),
    );
  }
  let name = param(e, 'name');
  let email = param(e, 'email');
  if (action === 'confirm') {
    const g = findByToken(param(e, 't'));
    if (!g || g.status !== 'invited') return guestPage(overview(), param(e, 't'), 'status', asJson);
    name = g.name;
    email = g.email;
  }
  const check = checkSignup(name, email);
  // An invited guest confirming by their link keeps the party on their row unless they said one.
  // (Settings are read for it only when a party was sent: a plain sign-up costs no extra read.)
  const partyParam = param(e, 'party');
  const max = partyParam ? (overview().settings?.largestParty ?? 1) : 1;
  const party = checkParty(partyParam, max);
  // The host's questions, asked on the sign-up form (an invitation confirmed by its link asks none:
  // the guest answers on their page).
  const values = postedValues(e);
  const details = postedAnswers(
    action === 'confirm' ? [] : formQuestions(),
    values,
    party.ok ? party.party : 1,
    check.ok ? check.name : name,
  );
  const form = {
    name: name.slice(0, 200),
    email: email.slice(0, 254),
    party: party.ok ? party.party : 1,
    values,
  };
  if (!check.ok || !party.ok || !details.ok) {
    const errors = {
      ...(check.ok ? {} : check.errors),
      ...(party.ok ? {} : { party: party.error }),
      ...(details.ok ? {} : details.errors),
    };
    return respond(
      {
        status: 'invalid',
        message: 'Please check the form.',
        detail: Object.values(errors).join(' '),
        errors,
      },
      form,
    );
  }
  const seat = {
    email: check.email,
    name: check.name,
    lane: 'form',
    mode: 'seat',
    ...(max > 1 && partyParam ? { party: party.party } : {}),
    ...(Object.keys(details.cells).length ? { answers: details.cells } : {}),
  } as const;
  // A sign-up the honeypot calls a bot (see core/honeypot.ts) is told exactly what that sign-up
  // would have been told, from a read of the rows, and nothing is written or sent.
  // A forged stamp (a signature the web app did not make) is the same: only a bot sends one.
  const stamp = readStamp(param(e, 'ts'));
  if (action !== 'confirm' && (stamp.forged || isBot(param(e, 'website'), param(e, 'ts'), Date.now()))) {
    const preview = keeper.preview(seat);
    if (!preview.ok) return respond(failureAnswer(preview), form);
    const told = answerFor(preview.outcome.result, preview.outcome.position, check.email);
    // The seats line too, as if the seat had been taken: the answer must not tell a bot it was caught.
    const o = overview();
    const took = preview.outcome.result === 'confirmed' ? (preview.outcome.guest.party ?? 1) : 0;
    told.seatsText = seatsText({
      ...o,
      seatsLeft: o.seatsLeft === null ? null : Math.max(0, o.seatsLeft - took),
    });
    return respond(told, form);
  }
  // Cheap, and before the lock: a mailbox tried too often, or a page (or unsigned posts) that made
  // too many new guests this minute. Real guests are never counted against each other.
  const fromPage = stamp.page;
  const verdict = admitTry(mailboxKey(check.email), fromPage);
  if (verdict !== 'ok') {
    return respond({ status: 'throttled', message: throttleMessage(verdict), detail: '' }, form);
  }
  const tx = keeper.request(seat);
  if (fromPage === null && tx.ok && tx.outcome.from === 'new' && tx.outcome.result !== 'closed')
    countUnsignedSignup(mailboxKey(check.email));
  return respondTo(tx, (a, o) => respond(a, form, o));
}

function failureAnswer(tx: SeatFailure): Answer {
  if (tx.reason === 'busy') return { status: 'busy', message: BUSY_MESSAGE, detail: '' };
  // Taken by a transaction that has not answered in time: the guest is emailed the result.
  if (tx.reason === 'queued') return { status: 'queued', message: tx.message, detail: '' };
  if (tx.reason === 'closed') return closedAnswer(overview());
  return { status: 'error', message: 'Sorry, something went wrong on our side.', detail: tx.message };
}

const ENDS_RSVP = new Set(['cancelled', 'declined', 'already-cancelled', 'left']);

/** Send what the keeper's answer owes (outside the lock), then answer the guest. */
function respondTo(tx: SeatAnswer | SeatFailure, respond: (a: Answer, o?: Overview) => Output): Output {
  if (!tx.ok) return respond(failureAnswer(tx));
  let mail: MailState = tx.entry ? 'queued' : 'none';
  try {
    mail = deliverAnswer(tx);
  } catch (err) {
    // The seat is decided and the Outbox row stays 'sending': the drain sends it once it is orphaned.
    console.error(`sending after the keeper's answer failed: ${String(err)}`);
  }
  const { result, position, guest } = tx.outcome;
  // Whether a cancelled guest may be invited back depends on the seats left after this transaction,
  // and the seats line the page shows next counts this RSVP: the transaction's own counts (no read).
  const o: Overview = tx.seats
    ? { settings: tx.settings, seatsLeft: tx.seats.left, waitlisted: tx.seats.waitlisted }
    : overview();
  // The email went (or will go) to the address on the guest's row: say that one.
  const parties = tx.settings.largestParty > 1;
  const a = answerFor(result, position, guest.email, {
    queued: mail === 'queued',
    full: ENDS_RSVP.has(result) && o.seatsLeft === 0,
    party: guest.party,
  });
  if (parties) a.party = guest.party;
  a.seatsText = seatsText(o);
  // Asking again (with another party size, say) keeps the RSVP: the guest's page changes the size.
  if (parties && /^already-(confirmed|waitlisted|offered|invited)$/.test(result))
    a.detail = `${a.detail} To change how many of you are coming, use the link in your email.`;
  return respond(a, o);
}
