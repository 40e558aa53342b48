/**
 * Check-in at the door (issue 26), on the web app: a guest's pass (action=pass&p=…), what the door
 * sees of it with the door key (&k=…), the door page's search by name (action=door), and the
 * check-in itself: a keeper transaction under the lock, so two doors scanning one party at once
 * never count more people than it has. Nothing here can change a seat: the pass is not the RSVP's
 * token, and the door key only checks people in.
 */
import { Guest, partyOf } from '../../core/model';
import { DoorState, findByPass, isPassToken, passToken } from '../../core/pass';
import { qrSvg } from '../../core/qr';
import { oneLine } from '../../core/text';
import { keeper } from '../../keeper/keeper';
import { doorKey, isDoorKey, passKey, passLink } from '../../sheets/door-keys';
import { publicUrl } from '../../sheets/public-url';
import { Workbook } from '../../sheets/workbook';
import { formQuestions } from './details';
import { checkParty, checkSignup } from '../../core/signup';
import { deliverAnswer } from '../../messenger/send';

type Event = GoogleAppsScript.Events.DoGet | GoogleAppsScript.Events.DoPost;
type Output = GoogleAppsScript.HTML.HtmlOutput;

const param = (e: Event, k: string): string => {
  const v = e?.parameter?.[k];
  return typeof v === 'string' ? v : '';
};

/** The door's own name ("Door 2"), as the device gave it: one short line. */
const doorNameOf = (e: Event) => oneLine(param(e, 'd')).slice(0, 30) || 'the door';

/** The door page's link (the dashboard shows it), or null until the form's link is known. */
export function doorLink(replace = false): string | null {
  const url = publicUrl();
  return url ? `${url}?action=door&k=${doorKey(replace)}` : null;
}

interface DoorModel {
  title: string;
  heading: string;
  eventLine: string;
  notice: { tone: string; message: string; detail: string } | null;
  guest: {
    name: string;
    tone: string;
    statusLine: string;
    arrivedLine: string;
    answers: Array<{ label: string; value: string }>;
  } | null;
  buttons: Array<{ label: string; secondary?: boolean; fields: Array<[string, string]> }>;
  qrSvg: string;
  pass: string;
  search: { key: string; q: string; results: Array<{ name: string; line: string; href: string }> } | null;
  /** A walk-in, while seats are free (through the same seat request as the form); the waitlist else. */
  walkIn: { open: boolean; seatsText: string; largestParty: number; waiting: string[] };
  actionUrl: string;
  storeKey: string;
  doorName: string;
}

function render(m: Partial<DoorModel>): Output {
  const model: DoorModel = {
    title: 'Check-in',
    heading: 'Check-in',
    eventLine: '',
    notice: null,
    guest: null,
    buttons: [],
    qrSvg: '',
    pass: '',
    search: null,
    walkIn: { open: false, seatsText: '', largestParty: 1, waiting: [] },
    actionUrl: publicUrl() ?? '',
    storeKey: '',
    doorName: '',
    ...m,
  };
  const t = HtmlService.createTemplateFromFile('Door');
  Object.assign(t, model);
  return t
    .evaluate()
    .setTitle(model.title)
    .addMetaTag('viewport', 'width=device-width, initial-scale=1')
    .setXFrameOptionsMode(HtmlService.XFrameOptionsMode.ALLOWALL);
}

interface Found {
  guest: Guest;
  door: DoorState & { version: string };
}

/** Every row as read now, with its door cells (no lock: a page only shows). */
function rowsWithDoor(book: Workbook): Array<{ guest: Guest; door: DoorState & { version: string } }> {
  const guests = book.guests.all();
  const door = book.guests.doorTable();
  return guests.map((guest, i) => ({
    guest,
    door: door[i] ?? { arrived: 0, at: null, door: '', version: '' },
  }));
}

function findPass(book: Workbook, pass: string): Found | null {
  const key = passKey();
  if (!key || !isPassToken(pass)) return null;
  const rows = rowsWithDoor(book);
  const g = findByPass(
    key,
    pass,
    rows.map((r) => ({ guest: r.guest, version: r.door.version })),
  );
  return g ? (rows.find((r) => r.guest === g) ?? null) : null;
}

const clockOf = (book: Workbook) => (d: Date) => {
  const tz = book.settings.read().result.settings.timeZone || book.timeZone;
  return Utilities.formatDate(d, tz, 'HH:mm');
};

function eventLine(book: Workbook): string {
  const s = book.settings.read().result.settings;
  return [s.eventName, s.location].filter(Boolean).join(' · ');
}

/** The page a door link gets once its key is replaced (or a made-up one gets): nothing else. */
const badDoorLink = () =>
  render({
    title: 'Check-in',
    notice: {
      tone: 'bad',
      message: 'This door link is no longer valid.',
      detail: 'Ask the host for the new door link.',
    },
  });

const NOT_A_PASS = {
  tone: 'bad',
  message: 'This pass is not valid.',
  detail: 'It may be mistyped, replaced by a newer pass, or from an RSVP that was made again since.',
};

/** What the door sees of a guest: name, party, status (red unless confirmed), arrivals, door answers. */
function doorView(book: Workbook, f: Found, notice: DoorModel['notice'], e: Event): Output {
  const g = f.guest;
  const party = partyOf(g.party);
  const confirmed = g.status === 'confirmed';
  const clock = clockOf(book);
  const cells = book.guests.answersAt(g.row);
  const answers = formQuestions()
    .filter((q) => q.door && !q.private)
    .map((q) => ({ label: q.label, value: cells[q.label.toLowerCase()] ?? '' }))
    .filter((a) => a.value);
  const left = party - f.door.arrived;
  const fields = (n: number): Array<[string, string]> => [
    ['action', 'checkin'],
    ['p', param(e, 'p')],
    ['k', param(e, 'k')],
    ['d', param(e, 'd')],
    ['n', String(n)],
  ];
  return render({
    title: `${g.name || g.email} – check-in`,
    heading: 'Check-in',
    eventLine: eventLine(book),
    notice,
    guest: {
      name: g.name || g.email,
      tone: confirmed ? (left ? 'good' : 'wait') : 'bad',
      statusLine: confirmed
        ? `Confirmed · party of ${party}`
        : `${g.status ? g.status[0].toUpperCase() + g.status.slice(1) : 'No status'}: not confirmed. Do not check in.`,
      arrivedLine: f.door.arrived
        ? `Arrived: ${f.door.arrived} of ${party}${f.door.at ? ` at ${clock(f.door.at)}` : ''}${f.door.door ? ` (${f.door.door})` : ''}`
        : '',
      answers,
    },
    // "Check in 1 … N of N": everyone still to come, or part of the party.
    buttons:
      confirmed && left > 0
        ? Array.from({ length: left }, (_, i) => left - i).map((n, i) => ({
            label:
              n === left
                ? `Check in ${n === 1 ? '1' : `all ${n}`}${party > 1 ? ` of ${party}` : ''}`
                : `Check in ${n}`,
            secondary: i > 0,
            fields: fields(n),
          }))
        : [],
    storeKey: param(e, 'k'),
    doorName: param(e, 'd'),
  });
}

/** GET or POST action=pass: the guest's pass, or with the door key the door's view of it. */
export function passPage(e: Event): Output {
  const book = Workbook.open();
  const pass = param(e, 'p').trim();
  const f = book ? findPass(book, pass) : null;
  if (!book || !f) return render({ title: 'Pass', heading: 'Pass', notice: NOT_A_PASS });
  if (isDoorKey(param(e, 'k'))) return doorView(book, f, null, e);
  const g = f.guest;
  const link = passLink(g, f.door.version) ?? '';
  return render({
    title: `Pass – ${g.name || 'guest'}`,
    heading: g.name || 'Your pass',
    eventLine: eventLine(book),
    guest: {
      name: `${book.settings.read().result.settings.eventName}`,
      tone: g.status === 'confirmed' ? 'good' : 'bad',
      statusLine:
        g.status === 'confirmed'
          ? `Confirmed · party of ${partyOf(g.party)}`
          : `This RSVP is ${g.status || 'not confirmed'}: the pass does not let you in.`,
      arrivedLine: f.door.arrived ? `Checked in: ${f.door.arrived} of ${partyOf(g.party)}` : '',
      answers: [],
    },
    qrSvg:
      g.status === 'confirmed' && link ? qrSvg(link, 240, 'Your pass: a QR code to show at the door') : '',
    pass,
  });
}

/** POST action=checkin: n more of the party arrive, under the lock; then the door's view again. */
export function checkInPost(e: Event): Output {
  const book = Workbook.open();
  const pass = param(e, 'p').trim();
  if (!book || !isDoorKey(param(e, 'k'))) return badDoorLink();
  const key = passKey();
  const n = Number(param(e, 'n'));
  const door = doorNameOf(e);
  const tx = keeper.checkIn(
    [
      {
        find: (rows) =>
          key
            ? findByPass(
                key,
                pass,
                rows.map((r) => ({ guest: r.guest, version: r.door.version })),
              )
            : null,
        n,
        door,
      },
    ],
    clockOf(book),
  );
  const f = findPass(book, pass);
  if (!f) return render({ title: 'Pass', notice: NOT_A_PASS });
  const result = tx.ok ? (tx.results[0]?.said ?? null) : null;
  const notice = !tx.ok
    ? { tone: 'bad', message: 'Not checked in: please try again.', detail: tx.message }
    : !result
      ? NOT_A_PASS
      : result.ok
        ? {
            tone: 'good',
            message: `Checked in: ${result.arrived} of ${result.party}.`,
            detail: `Welcome${f.guest.name ? `, ${f.guest.name}` : ''}!`,
          }
        : { tone: result.reason === 'already' ? 'wait' : 'bad', message: result.message, detail: '' };
  return doorView(book, f, notice, e);
}

/** The walk-in part of the door page: seats free (the summary the keeper keeps), or the waitlist. */
function walkInOf(book: Workbook): DoorModel['walkIn'] {
  const snap = book.settings.read();
  const left = snap.summaryValues['Seats left'];
  const seats = typeof left === 'number' ? left : 0;
  const waiting = seats
    ? []
    : book.guests
        .all()
        .filter((g) => g.status === 'waitlisted')
        .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
        .slice(0, 5)
        .map(
          (g) =>
            `#${g.position} ${g.name || g.email}${partyOf(g.party) > 1 ? ` (party of ${partyOf(g.party)})` : ''}`,
        );
  return {
    open: seats > 0,
    seatsText:
      seats > 0 ? `${seats} ${seats === 1 ? 'seat' : 'seats'} free.` : 'The event is full: no walk-ins.',
    largestParty: snap.result.settings.largestParty ?? 1,
    waiting,
  };
}

/** POST action=walkin: a seat through the keeper (the cap holds at the door too), then checked in. */
export function walkInPost(e: Event): Output {
  const book = Workbook.open();
  const k = param(e, 'k');
  if (!book || !isDoorKey(k)) return badDoorLink();
  const check = checkSignup(param(e, 'name'), param(e, 'email'));
  const largest = book.settings.read().result.settings.largestParty ?? 1;
  const party = checkParty(param(e, 'party'), largest);
  const again = (notice: DoorModel['notice']) => doorPage(e, notice);
  if (!check.ok || !party.ok)
    return again({
      tone: 'bad',
      message: 'Please check the walk-in.',
      detail: [...Object.values(check.ok ? {} : check.errors), party.ok ? '' : party.error]
        .filter(Boolean)
        .join(' '),
    });
  const tx = keeper.request({
    email: check.email,
    name: check.name,
    lane: 'form',
    mode: 'seat',
    ...(largest > 1 ? { party: party.party } : {}),
  });
  if (!tx.ok) return again({ tone: 'bad', message: 'Not seated: please try again.', detail: tx.message });
  const result = tx.outcome.result;
  if (result !== 'confirmed' && result !== 'already-confirmed')
    return again({
      tone: 'bad',
      message:
        result === 'waitlisted'
          ? `Full: ${check.name} is number ${tx.outcome.position} on the waitlist.`
          : `Not seated (${result}).`,
      detail: 'No seat was free for them.',
    });
  try {
    deliverAnswer(tx);
  } catch (err) {
    console.error(`walk-in email not sent now: ${String(err)}`);
  }
  const token = tx.outcome.guest.token;
  const done = keeper.checkIn(
    [
      {
        find: (rows) => rows.find((r) => r.guest.token === token)?.guest ?? null,
        n: 'rest',
        door: doorNameOf(e),
      },
    ],
    clockOf(book),
  );
  const said = done.ok ? done.results[0]?.said : null;
  return again(
    said?.ok
      ? {
          tone: 'good',
          message: `${check.name}: seated and checked in (${said.arrived} of ${said.party}).`,
          detail: '',
        }
      : {
          tone: 'wait',
          message: `${check.name} is confirmed.`,
          detail: said ? said.message : 'Check them in from the search.',
        },
  );
}

/** GET action=door: the door page, with the door key; a search by name for guests without a phone. */
export function doorPage(e: Event, notice: DoorModel['notice'] = null): Output {
  const book = Workbook.open();
  const k = param(e, 'k');
  if (!book || !isDoorKey(k)) return badDoorLink();
  const q = oneLine(param(e, 'q')).toLowerCase().slice(0, 100);
  const key = passKey();
  const url = publicUrl() ?? '';
  const rows = q && key ? rowsWithDoor(book) : [];
  const results = rows
    .filter(({ guest: g }) => ['confirmed', 'offered', 'waitlisted', 'invited'].includes(g.status))
    .filter(({ guest: g }) => g.name.toLowerCase().includes(q) || g.email.toLowerCase().includes(q))
    .slice(0, 20)
    .map(({ guest: g, door }) => ({
      name: g.name || g.email,
      line: `${g.status}${partyOf(g.party) > 1 ? ` · party of ${partyOf(g.party)}` : ''}${door.arrived ? ` · ${door.arrived} arrived` : ''}`,
      href: `${url}?action=pass&p=${passToken(key!, g.token, door.version)}&k=${encodeURIComponent(k)}&d=${encodeURIComponent(param(e, 'd'))}`,
    }));
  return render({
    title: `Check-in – ${doorNameOf(e)}`,
    heading: `Check-in · ${doorNameOf(e)}`,
    eventLine: eventLine(book),
    search: { key: k, q: param(e, 'q'), results },
    walkIn: walkInOf(book),
    notice,
    storeKey: k,
    doorName: param(e, 'd'),
  });
}
