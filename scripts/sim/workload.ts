/**
 * One seed of the simulator: a randomized multi-lane workload run by the built bundle on the
 * virtual clock, with every invariant checked as it goes. The seed decides everything (the
 * workload, the settings, the interleavings, the kills), so a seed that fails fails the same way
 * on any machine, and `npm run simulate -- --seed S` replays it.
 *
 * The workload runs in rounds of ten modelled minutes. In a round, events land at random moments
 * and overlap: bursts of form sign-ups (duplicates and mailbox look-alikes among them), email
 * replies (yes, verified and forged cancels), imports (pending and pre-confirmed), cancels, claims,
 * declines, invite confirmations, capacity changes up and down, host edits of a Status cell, and
 * the time triggers (drain, reply poll) as Google's scheduler would start them; some executions are
 * killed at a random call. Checked:
 * - after every write that lands (every commit): the keeper never grants a seat beyond the cap;
 * - after every round, once nothing runs: statuses known, waitlist 1..W, one live row per mailbox,
 *   offers have deadlines, the summary matches the rows;
 * - at the end, after the drain has had days to send what the quota held back: every Outbox row sent
 *   (or skipped for a reason), each email sent once, the Log replays to the sheet.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Backend, BackendOptions } from '../../emulator/backend';
import { mailboxKey } from '../../src/core/email';
import { keyOf } from '../../src/core/questions';
import {
  ExecutionResult,
  Runtime,
  RunOptions,
  projectRoot,
  readDist,
  webEvent,
} from '../../emulator/runtime';
import { Prng, hash32 } from '../../emulator/sim';
import {
  KNOWN_STATUSES,
  capacityOf,
  guestRows,
  heldTokens,
  logViolations,
  mailViolations,
  parseQuiet,
  quietViolations,
  deadlineViolations,
  reminderViolations,
  owedMailViolations,
  privateAnswerViolations,
  messageViolations,
  doorViolations,
  logRows,
  LogRow,
  TOLD_CLOSED,
} from './checks';
import { records, settingValue, text } from './sheet';

export interface SimConfig {
  seed: number;
  /** The negative control: form sign-ups by a naive claim (read the count, no lock). */
  naive?: boolean;
  rounds?: number;
  /**
   * A second negative control: the bundle with issue 22's bug put back (a lane's emails replace the
   * keeper's, as `added ? added.mail : decision.mail` did). The owed-mail check must catch it.
   */
  mutant?: 'lane-replaces-mail' | 'stale-index';
  /**
   * false: parties off in every seed (`--no-parties`), and the digest leaves out what parties add
   * to a sheet (the Party columns, the two parties settings) and masks times (see untimed), so it
   * can be compared with a build from before parties: with Largest party 1 the product must behave
   * exactly as it did.
   */
  parties?: boolean;
  /**
   * Issue 24: this many guests already on the list when the run starts (all confirmed), the
   * capacity raised to match, so every transaction reads a big sheet while the
   * workload runs over it. 0 or absent: an empty list.
   */
  bigList?: number;
}

/** The two Settings rows parties added; left out of the `--no-parties` digest. */
const PARTY_SETTINGS = ['Largest party', 'Smaller parties may go first'];

/**
 * Every knob of one seed, drawn once at its start from the seed and printed first in its trail (as
 * tigerbeetle's VOPR prints its seed and every probability): a failing seed says what world it ran in.
 */
export interface SeedOptions {
  /** What a kill leaves: the killed execution's unflushed writes thrown away, or landed. */
  onKill: 'discard' | 'commit';
  mailQuotaPerDay: number;
  gmailOpsPerDay: number;
  cacheEviction: number;
  /** Chance that an execution started is killed at a random call. */
  killChance: number;
  capacity: number;
  claimWindowHours: number;
  offerExpiry: 'cancel' | 'waitlist';
  /** The event starts 2½ hours in (reminders fall inside the run), else 3 days in. */
  startsSoon: boolean;
  quietHours: string;
  /** Minutes into the run at which registration closes, or null (no deadline). */
  closesAtMinute: number | null;
  /** 1: parties off. */
  largestParty: number;
  smallerFirst: 'yes' | 'no';
  /**
   * The host asks questions (issue 25): a private "Door code" (a value unique to each guest that no
   * email or page may ever show) and a per-person "Diet", the import's Diet column mapped to it.
   */
  questions: boolean;
  /** Chance that an Import paste is a form's export with its own header (Timestamp, Name, Email, Diet). */
  widePaste: number;
  /** Per event of a round: how the event is chosen (cumulative thresholds in round()). */
  mix: {
    burst: number;
    bigBurst: number;
    reply: number;
    importRows: number;
    guestAction: number;
    sendInvites: number;
    quietToggle: number;
    silentCapacity: number;
  };
}

/** The seed's options. Each knob has its own stream, so adding one leaves the others' draws as they were. */
export function drawOptions(config: SimConfig): SeedOptions {
  const seed = config.seed >>> 0;
  const r = (knob: string) => new Prng(hash32(`option:${knob}`, seed));
  const chance = (knob: string, p: number) => r(knob).random() < p;
  const closes = r('closesAt');
  const parties = r('parties');
  const partiesOn = parties.random() < 0.4 && !config.naive && config.parties !== false;
  const q = r('quietHours').random();
  return {
    onKill: chance('onKill', 0.5) ? 'discard' : 'commit',
    mailQuotaPerDay: chance('smallQuota', 0.3) ? 10 + (r('mailQuota').next() % 20) : 100000,
    gmailOpsPerDay: chance('smallGmail', 0.15) ? 300 + (r('gmailOps').next() % 300) : 20000,
    cacheEviction: chance('cacheEviction', 0.5) ? 0.05 : 0,
    killChance: 0.08,
    capacity: 2 + (r('capacity').next() % 9),
    claimWindowHours: chance('claimWindow', 0.5) ? 1 : 0.5,
    offerExpiry: chance('offerExpiry', 0.5) ? 'cancel' : 'waitlist',
    startsSoon: chance('startsSoon', 0.5),
    quietHours: q < 0.4 ? '09:20-09:40' : q < 0.55 ? 'off' : '',
    // (not in the negative control: it must meet the same contention, not sign-ups cut short)
    closesAtMinute: closes.random() < 0.3 && !config.naive ? 20 + (closes.next() % 25) : null,
    largestParty: partiesOn ? 2 + (parties.next() % 3) : 1,
    smallerFirst: parties.random() < 0.7 ? 'yes' : 'no',
    questions: chance('questions', 0.5) && !config.naive,
    mix: {
      burst: 0.27,
      bigBurst: 0.05,
      reply: 0.15,
      importRows: 0.08,
      guestAction: 0.18,
      sendInvites: 0.06,
      quietToggle: 0.04,
      silentCapacity: 0.05,
      // the rest: host edits (capacity and Status cells)
    },
    widePaste: 0.35,
  };
}

export interface SimOutcome {
  seed: number;
  violations: string[];
  digest: string;
  stats: Record<string, number>;
  /** What happened, in order (for a failing seed). */
  trail: string[];
}

const MINUTE = 60e3;
const ROUND_MS = 10 * MINUTE;
const START = Date.UTC(2026, 5, 1, 8, 0, 0);
const REPLY_TO = 'host+rsvp@example.com';
const GOOD_AUTH = 'mx.google.com; dmarc=pass header.from=example.com; spf=pass';

/**
 * The negative control's claim, the classic buggy script: read the list, count, append. No lock.
 */
const NAIVE_FIXTURE = String.raw`
function naiveSignUp(name, email) {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  var guests = ss.getSheetByName('Guests');
  var settings = ss.getSheetByName('Settings').getDataRange().getValues();
  var capacity = 0;
  for (var i = 0; i < settings.length; i++) if (settings[i][0] === 'Capacity') capacity = Number(settings[i][1]);
  var rows = guests.getDataRange().getValues();
  var held = 0, waiting = 0;
  for (var j = 1; j < rows.length; j++) {
    if (String(rows[j][0]).toLowerCase() === email.toLowerCase() && rows[j][2] !== 'cancelled') return 'already';
    if (rows[j][2] === 'confirmed' || rows[j][2] === 'offered') held++;
    if (rows[j][2] === 'waitlisted') waiting++;
  }
  var status = held < capacity ? 'confirmed' : 'waitlisted';
  var now = new Date();
  guests.appendRow(["'" + email, "'" + name, status, status === 'waitlisted' ? waiting + 1 : '', 'form', now, now, '', '', Utilities.getUuid()]);
  SpreadsheetApp.flush();
  return status;
}`;

interface Person {
  name: string;
  email: string;
}

/** The people of a run: plain addresses, and Gmail ones that are typed in several spellings. */
function people(r: Prng): Person[] {
  const out: Person[] = [];
  for (let i = 0; i < 18; i++) out.push({ name: `P${i}`, email: `p${i}@example.com` });
  for (let i = 0; i < 6; i++) {
    const base = `gmailer${i}`;
    const spellings = [`${base}@gmail.com`, `${base}+rsvp@gmail.com`, `gma.iler${i}@googlemail.com`];
    out.push({ name: `G${i}`, email: spellings[r.next() % spellings.length] });
    out.push({ name: `G${i}`, email: spellings[r.next() % spellings.length] });
  }
  return out;
}

/**
 * A sheet's values as a build from before parties would have them: no Party column (Guests, Import;
 * found by its header cell), no parties settings rows.
 */
export function withoutPartyCells(name: string, values: string[][]): string[][] {
  if (name === 'Settings') return values.filter((row) => !PARTY_SETTINGS.includes(String(row[0])));
  if (name !== 'Guests' && name !== 'Import') return values;
  const header = values.find((row) => row.includes('Party'));
  if (!header) return values;
  const at = header.indexOf('Party');
  return values.map((row) => row.filter((_, j) => j !== at));
}

/**
 * Times masked: the emulator charges each service call modelled time, so a build that reads one
 * more column (Party) stamps the same events some milliseconds apart. What happened, to whom, in
 * which order, and every word of every sheet and email still count.
 */
export function untimed(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(untimed);
  if (x instanceof Date) return 'T';
  if (typeof x === 'number' && x > 1e12) return 'T';
  if (typeof x === 'string')
    return x
      .replace(/\d+\/\d+\/\d{4} \d+:\d\d:\d\d/g, 'T')
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T')
      .replace(/\b\d{13}\b/g, 'T');
  return x;
}

export class Simulation {
  readonly rt: Runtime;
  readonly naiveRt: Runtime | null;
  private readonly r: Prng;
  /** Party sizes come from their own stream: seeds without parties run exactly as they did before. */
  private readonly partyR: Prng;
  /** Guests changing their answers on their page (their own stream: other draws stay). */
  private readonly answersR: Prng;
  /** The host's messages to the list (their own stream). */
  private readonly messageR: Prng;
  /** Scans at the door (their own stream). */
  private readonly doorR: Prng;
  private doorKey = '';
  /** The shape of each Import paste (plain, or a form's wide export). */
  private readonly shapeR: Prng;
  /** Every address the host pasted into Import: each must end on the list (nothing pasted is lost). */
  private readonly pasted = new Set<string>();
  /** Largest party in this seed (1: parties off). */
  private largestParty = 1;
  private readonly who: Person[];
  readonly violations: string[] = [];
  readonly trail: string[] = [];
  private readonly killed = new Set<string>();
  private readonly runs: Array<Promise<ExecutionResult>> = [];
  private readonly stats: Record<string, number> = {};
  /** Capacity values in effect, by time: a grant is checked against the largest since its start. */
  private capacities: Array<{ at: number; cap: number | null }> = [];
  /** Quiet hours values in effect, by time (the host turns them on and off). */
  private quietHistory: Array<{ at: number; value: string }> = [];
  /** Rows holding a seat after the last commit by an execution, and rows the host has made held since. */
  /**
   * Who gave each seat now held (by row token), and seats a host's unknown status has suspended
   * (the keeper puts such a typo back, seat and all).
   */
  private seats = new Map<string, 'keeper' | 'host'>();
  private suspended = new Set<string>();
  private events = 0;
  readonly options: SeedOptions;

  constructor(
    readonly config: SimConfig,
    shared?: { code: string; files: Record<string, string> },
  ) {
    const seed = config.seed >>> 0;
    this.r = new Prng(hash32('workload', seed));
    this.partyR = new Prng(hash32('parties', seed));
    this.answersR = new Prng(hash32('answers', seed));
    this.messageR = new Prng(hash32('messages', seed));
    this.doorR = new Prng(hash32('door', seed));
    this.shapeR = new Prng(hash32('paste shape', seed));
    const o = (this.options = drawOptions(config));
    this.largestParty = o.largestParty;
    const backend: BackendOptions = {
      seed,
      startAt: START,
      url: 'https://script.google.com/macros/s/sim/exec',
      onKill: o.onKill,
      mailQuotaPerDay: o.mailQuotaPerDay,
      gmailOpsPerDay: o.gmailOpsPerDay,
      cacheEviction: o.cacheEviction,
    };
    const bundle = config.mutant ? (shared ?? readDist(path.join(projectRoot(), 'dist'))) : shared;
    this.rt = new Runtime({
      backend: new Backend(backend),
      ...(bundle && config.mutant ? { ...bundle, code: mutate(bundle.code, config.mutant) } : (bundle ?? {})),
    });
    this.naiveRt = config.naive
      ? new Runtime({
          backend: this.rt.backend,
          code: (shared?.code ?? readCode()) + NAIVE_FIXTURE,
          files: shared?.files,
        })
      : null;
    this.who = people(this.r);
    this.rt.backend.onCommit = (ex) => this.onCommit(ex?.startedAt ?? null, ex?.id ?? 'host');
  }

  private note(line: string): void {
    this.trail.push(`${new Date(this.rt.backend.now()).toISOString().slice(11, 19)} ${line}`);
  }

  private count(k: string, n = 1): void {
    this.stats[k] = (this.stats[k] ?? 0) + n;
  }

  private violation(v: string): void {
    this.violations.push(v);
    this.note(`VIOLATION ${v}`);
  }

  // ---- every-instant check ---------------------------------------------------------------

  /**
   * After each write that lands: the keeper never grants a seat beyond the cap in effect. A grant
   * is a row the keeper made hold a seat that held none; a host's typo it puts back is no grant, a
   * seat the host gave by hand (a logged override) is the host's, and a seat a typo suspended still
   * counts until it is settled.
   */
  private onCommit(startedAt: number | null, who: string): void {
    const b = this.rt.backend;
    if (!b.ss.byName('Settings') || !b.ss.byName('Guests')) return; // still being set up
    const cap = capacityOf(b.sheetRaw('Settings'));
    const now = b.now();
    const last = this.capacities[this.capacities.length - 1];
    if (!last || last.cap !== cap) this.capacities.push({ at: now, cap });
    const rows = guestRows(b.sheetRaw('Guests'));
    const held = heldTokens(rows);
    const status = new Map(rows.map((g) => [g.token, g.status.trim().toLowerCase()]));
    const known = (t: string) => KNOWN_STATUSES.has(status.get(t) ?? 'cancelled');
    if (startedAt === null) {
      for (const t of held) if (!this.seats.has(t)) this.seats.set(t, 'host');
      for (const t of this.seats.keys()) if (!held.has(t) && !known(t)) this.suspended.add(t);
      return;
    }
    const granted = [...held].filter((t) => !this.seats.has(t));
    if (granted.length) {
      // The largest capacity in effect at any time since this execution started (the host may lower it meanwhile).
      const since = this.capacities.filter(
        (c, i, all) => c.at >= startedAt || all[i + 1] === undefined || all[i + 1].at > startedAt,
      );
      const allowed = Math.max(0, ...since.map((c) => c.cap ?? 0));
      const keepers = new Set([...held, ...this.suspended].filter((t) => this.seats.get(t) !== 'host'));
      // Seats, not rows: each row holds its party.
      const partyOf = new Map(rows.map((g) => [g.token || `row ${g.row}`, g.party]));
      const seatsHeld = [...keepers].reduce((n, t) => n + (partyOf.get(t) ?? 1), 0);
      if (seatsHeld > allowed) {
        const names = granted.map((t) => rows.find((g) => g.token === t)?.email ?? t).join(', ');
        this.violation(
          `${who} granted a seat (${names}), taking the keeper's seats held to ${seatsHeld}, over the cap of ${allowed}`,
        );
      }
    }
    for (const t of granted) this.seats.set(t, 'keeper');
    for (const t of [...this.seats.keys()]) {
      if (held.has(t)) this.suspended.delete(t);
      else if (known(t)) {
        // Released for real (cancelled, waitlisted…): the next time it holds a seat is a new grant.
        this.seats.delete(t);
        this.suspended.delete(t);
      }
    }
  }

  // ---- running things --------------------------------------------------------------------

  /** While true, nothing started is killed (the first round's walk through every lane). */
  private sparing = false;

  private start(
    fn: string,
    args: unknown[],
    opts: RunOptions,
    label: string,
    check?: (res: ExecutionResult) => void,
  ): void {
    const kill =
      !this.sparing && this.r.random() < this.options.killChance ? 1 + (this.r.next() % 60) : undefined;
    const rt = fn === 'naiveSignUp' && this.naiveRt ? this.naiveRt : this.rt;
    const run = rt.run(fn, args, { ...opts, killAfterCalls: kill }).then((res) => {
      this.count('executions');
      if (res.killed) {
        this.killed.add(res.execId);
        this.count('killed');
        this.note(`${label} killed at call ${kill}`);
      } else if (!res.ok && !res.refused) {
        this.violation(`${label} failed: ${res.error?.message}`);
      }
      if (res.refused) this.count('refused');
      if (res.ok && !res.killed) check?.(res);
      return res;
    });
    this.runs.push(run);
  }

  private post(fields: Record<string, string>, label: string): void {
    const e = webEvent(
      'POST',
      {},
      { type: 'application/x-www-form-urlencoded', contents: new URLSearchParams(fields).toString() },
    );
    const check = (res: ExecutionResult) => {
      const out = res.result as { content?: string } | undefined;
      // Cancelling is always allowed: never answered "closed" (past the deadline, or the start).
      if (fields.action === 'cancel' && JSON.parse(out?.content ?? '{}')?.status === 'closed')
        this.violation(`${label} was answered "closed"`);
      // No answer a guest's browser gets ever carries a private answer (theirs or anyone's).
      for (const v of this.privateValues)
        if ((out?.content ?? '').includes(v))
          this.violation(`${label}: its answer shows a private answer (${v})`);
    };
    this.start('doPost', [e], { context: 'webapp' }, label, check);
  }

  /** At modelled time `at`, look at the sheet as it is then and act. */
  private at(at: number, what: string, act: () => void): void {
    this.rt.backend.sim!.schedule(at, `workload#${++this.events}`, () => {
      this.note(what);
      act();
    });
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.r.next() % xs.length];
  }

  private guests() {
    return guestRows(this.rt.backend.sheetRaw('Guests')).filter((g) => g.email);
  }

  // ---- the workload ----------------------------------------------------------------------

  private signUp(p: Person, label: string): void {
    this.count('sign-ups');
    if (this.naiveRt) {
      this.start('naiveSignUp', [p.name, p.email], { context: 'webapp' }, label);
      return;
    }
    // A person who took a few seconds on the page (the honeypot's stamp), or a script posting JSON.
    const stamp = String(this.rt.backend.now() - 30e3);
    // (The first round's walk through every lane signs up one seat each, so it reaches every case.)
    const party: Record<string, string> =
      this.largestParty > 1 && !this.sparing
        ? { party: String(1 + (this.partyR.next() % this.largestParty)) }
        : {};
    this.post(
      { name: p.name, email: p.email, format: 'json', ts: stamp, ...party, ...this.answers(p, party.party) },
      label,
    );
  }

  /** A guest's answers to the host's questions: a door code no email or page may show, and diets. */
  private answers(p: Person, party = '1'): Record<string, string> {
    if (!this.options.questions) return {};
    const code = `PRIV${p.email.replace(/\W/g, '').slice(0, 12)}${this.privateValues.size}X`;
    this.privateValues.add(code);
    const diets = ['None', 'Vegan', 'Vegetarian', ''];
    const out: Record<string, string> = { [keyOf('door code')]: code };
    for (let i = 1; i <= Number(party); i++)
      out[`${keyOf('diet')}_${i}`] = diets[(p.email.length + i) % diets.length];
    return out;
  }

  /** Private answers given so far: each must stay in the sheet, out of every email and answer. */
  private readonly privateValues = new Set<string>();

  private burst(t: number, big: boolean): void {
    const n = big ? 20 + (this.r.next() % 16) : 1 + (this.r.next() % 6);
    for (let i = 0; i < n; i++) {
      const p = this.pick(this.who);
      this.at(t + (this.r.next() % (big ? 1500 : 4000)), `sign-up ${p.email}`, () =>
        this.signUp(p, `sign-up ${p.email}`),
      );
    }
  }

  private reply(t: number, person?: Person, want?: 'yes' | 'cancel' | 'forged cancel'): void {
    const p = person ?? this.pick(this.who);
    const x = this.r.random();
    const kind = want ?? (x < 0.6 ? 'yes' : x < 0.85 ? 'cancel' : 'forged cancel');
    this.at(t, `${kind} by email from ${p.email}`, () => {
      this.count('replies');
      this.rt.backend.deliverMail({
        from: `${p.name} <${p.email}>`,
        to: REPLY_TO,
        subject: 'Re: You are invited',
        plainBody: kind === 'yes' ? 'Yes, count me in!' : "Sorry, I can't make it any more.",
        headers: kind === 'cancel' ? { 'Authentication-Results': GOOD_AUTH } : {},
      });
    });
  }

  private importRows(t: number, want?: 'importPending' | 'importConfirmed'): void {
    const n = 1 + (this.r.next() % 6);
    const mode = want ?? (this.r.random() < 0.5 ? 'importPending' : 'importConfirmed');
    const people = Array.from({ length: n }, () => this.pick(this.who));
    // Some pastes are a form's export (Timestamp | Name | Email | Diet, with its header): wider than
    // Name | Email, over the Result and Party columns (issue 22). Their own stream: other draws stay.
    const wide = this.shapeR.random() < this.options.widePaste;
    const lines = wide
      ? [
          ['Timestamp', 'Name', 'Email', 'Diet'],
          ...people.map((p, i) => [`2026/06/01 08:0${i}:00`, p.name, p.email, i % 2 ? 'Vegan' : '']),
        ]
      : people.map((p) => [`${p.name} <${p.email}>`]);
    this.at(t, `host pastes ${n} rows into Import${wide ? ' (a form export, with its header)' : ''}`, () => {
      const rows = this.rt.backend.sheetRaw('Import');
      const first = Math.max(2, rows.length + 1);
      const end = String.fromCharCode(64 + lines[0].length);
      this.rt.backend.hostEdit('Import', `A${first}:${end}${first + lines.length - 1}`, lines);
      for (const p of people) this.pasted.add(p.email);
    });
    this.at(t + 20e3, `host runs ${mode}`, () => {
      this.count('imports');
      this.start(mode, [], { context: 'editor' }, mode);
    });
  }

  private guestAction(t: number, want?: 'offer' | 'invite' | 'cancel', spare: string[] = []): void {
    this.at(t, 'a guest uses a link', () => {
      const rows = this.guests();
      // With parties on, a guest sometimes changes their party size (fewer: seats freed; more: asked for).
      const live = rows.filter((g) => ['confirmed', 'offered', 'waitlisted'].includes(g.status) && g.token);
      if (!want && this.options.questions && live.length && this.answersR.random() < 0.2) {
        const g = live[this.answersR.next() % live.length];
        const p = this.who.find((x) => x.email === g.email) ?? { name: g.name, email: g.email };
        this.count('answers changed');
        this.post(
          {
            action: 'answers',
            t: g.token,
            format: 'json',
            ...this.answers(p as Person, String(g.party || 1)),
          },
          `answers ${g.email}`,
        );
        return;
      }
      if (!want && this.largestParty > 1 && live.length && this.partyR.random() < 0.3) {
        const g = live[this.partyR.next() % live.length];
        const party = String(1 + (this.partyR.next() % this.largestParty));
        this.count('party changes');
        this.post({ action: 'party', t: g.token, party, format: 'json' }, `party ${g.email} → ${party}`);
        return;
      }
      const offered = rows.filter((g) => g.status === 'offered');
      const invited = rows.filter((g) => g.status === 'invited');
      const x = want === 'offer' ? 0 : want === 'invite' ? 0.5 : want === 'cancel' ? 1 : this.r.random();
      if (x < 0.4 && offered.some((r) => !spare.includes(r.email))) {
        const g = this.pick(offered.filter((r) => !spare.includes(r.email)));
        const action = this.r.random() < 0.75 ? 'claim' : 'decline';
        this.count(action);
        this.post({ action, t: g.token, format: 'json' }, `${action} ${g.email}`);
      } else if (x < 0.55 && invited.length) {
        const g = this.pick(invited);
        this.count('confirm');
        this.post({ action: 'confirm', t: g.token, format: 'json' }, `confirm invite ${g.email}`);
      } else if (rows.some((r) => !spare.includes(r.email))) {
        const g = this.pick(rows.filter((r) => !spare.includes(r.email)));
        this.count('cancel');
        this.post({ action: 'cancel', t: g.token, format: 'json' }, `cancel ${g.email}`);
      }
    });
  }

  private hostEdit(
    t: number,
    want?: {
      capacity?: (now: number) => number;
      status?: string;
      row?: (rows: ReturnType<Simulation['guests']>) => ReturnType<Simulation['guests']>[number] | undefined;
    },
  ): void {
    if (want?.capacity || (!want && this.r.random() < 0.5)) {
      const fixed = this.r.next() % 13;
      this.at(t, 'host edits the capacity', () => {
        const settings = this.rt.backend.sheetRaw('Settings');
        const row = settings.findIndex((r) => r[0] === 'Capacity') + 1;
        // (A --big-list's seats come on top: the host edits the capacity of the event they have.)
        const cap = want?.capacity
          ? Math.max(0, want.capacity(capacityOf(settings) ?? 0))
          : fixed + this.bigSeated;
        this.note(`  (capacity ${cap})`);
        this.count('capacity');
        void this.rt.hostEditAt(this.rt.backend.now(), 'Settings', `B${row}`, [[cap]]);
      });
      return;
    }
    const to =
      want?.status ??
      this.pick(['confirmed', 'cancelled', 'cancelled', 'waitlisted', 'waitlisted', 'maybe', ' Confirmed ']);
    this.at(t, `host types "${to}" into a Status cell`, () => {
      const rows = this.guests();
      if (!rows.length) return;
      const g = want?.row ? want.row(rows) : this.pick(rows);
      if (!g) return;
      this.note(`  (row ${g.row}, ${g.email}, was ${g.status})`);
      this.count('host edits');
      void this.rt.hostEditAt(this.rt.backend.now(), 'Guests', `C${g.row}`, [[to]]);
    });
  }

  /** Which kind of event a draw in [0, 1) is, by the seed's mix (the rest: a host edit). */
  private mixPick(x: number): keyof SeedOptions['mix'] | 'hostEdit' {
    let sum = 0;
    for (const [k, p] of Object.entries(this.options.mix) as Array<[keyof SeedOptions['mix'], number]>) {
      sum += p;
      if (x < sum) return k;
    }
    return 'hostEdit';
  }

  /** The host runs RSVP → Send invites (the invited guests get their invites; the keeper's work rides along). */
  private sendInvites(t: number): void {
    this.at(t, 'host runs Send invites', () => {
      this.count('send invites');
      this.start('sendInvites', [], { context: 'editor' }, 'sendInvites');
    });
  }

  /** The host sends a message to some groups (maybe only those missing required details). */
  private message(t: number): void {
    const groups = ['confirmed', 'offered', 'waitlisted', 'invited'].filter(
      () => this.messageR.random() < 0.5,
    );
    const audience = groups.length ? groups : ['confirmed'];
    const n = ++this.messagesSent;
    const draft = { audience, subject: `News ${n}`, text: `Hi {name}, news number ${n}. Your page: {link}` };
    this.at(t, `host sends message ${n} to ${audience.join(', ')}`, () => {
      this.count('messages');
      this.start('sendMessage', [draft], { context: 'editor' }, `message ${n}`);
    });
  }

  private messagesSent = 0;
  /** Seats the pre-filled list holds (--big-list): the capacity is raised by as many. */
  private bigSeated = 0;

  /** A pass scanned at the door: one or two more of the party, the pass taken from the guest's email. */
  private scan(t: number): void {
    const door = `Door ${1 + (this.doorR.next() % 2)}`;
    const n = String(1 + (this.doorR.next() % 2));
    const pick = this.doorR.next();
    this.at(t, `a pass is scanned at ${door}`, () => {
      const passes = [
        ...new Set(
          this.rt.backend.mail.flatMap(
            (m) => /[?&]action=pass&p=([A-Za-z0-9_-]{22})/.exec(m.body)?.[1] ?? [],
          ),
        ),
      ];
      if (!this.doorKey) {
        // The host opens the dashboard for the door link (known once the form's link is).
        this.start('dashboardShare', [], { context: 'editor' }, 'host opens the dashboard', (res) => {
          const link = (res.result as { doorLink?: string } | undefined)?.doorLink;
          if (link) this.doorKey = new URL(link).searchParams.get('k') ?? '';
        });
        return;
      }
      if (!passes.length) return;
      const p = passes[pick % passes.length];
      this.count('door scans');
      this.post(
        { action: 'checkin', p, k: this.doorKey, d: door, n },
        `scan ${p.slice(0, 6)} at ${door} (${n})`,
      );
    });
  }

  /** The host turns quiet hours off, on (a stretch of the run), or back to the default. */
  private quietToggle(t: number): void {
    const to = this.pick(['off', '09:20-09:40', '', '10:00-10:30']);
    this.at(t, `host sets Quiet hours to "${to}"`, () => {
      this.count('quiet toggles');
      this.quietHistory.push({ at: this.rt.backend.now(), value: to });
      this.editSetting('Quiet hours', to, true);
    });
  }

  /**
   * The host raises the capacity and no edit trigger runs for it (Google drops one, or the edit
   * came by the API): the next transaction, whatever its lane, must hand out the seats and tell
   * the people it offers them to.
   */
  private silentCapacity(t: number): void {
    const more = 1 + (this.r.next() % 3);
    this.at(t, `host raises the capacity by ${more} (no edit trigger)`, () => {
      this.count('silent capacity raises');
      const cap = capacityOf(this.rt.backend.sheetRaw('Settings')) ?? 0;
      this.editSetting('Capacity', cap + more, false);
    });
  }

  private editSetting(label: string, value: unknown, withTrigger: boolean): void {
    const settings = this.rt.backend.sheetRaw('Settings');
    const row = settings.findIndex((r) => r[0] === label) + 1;
    if (row < 1) return;
    if (withTrigger) void this.rt.hostEditAt(this.rt.backend.now(), 'Settings', `B${row}`, [[value]]);
    else this.rt.backend.hostEdit('Settings', `B${row}`, [[value]]);
  }

  /** Time triggers due in [from, to), started as Google's scheduler would. */
  private triggers(from: number, to: number): void {
    for (const t of this.rt.backend.triggers) {
      if (t.eventType !== 'CLOCK' || !t.everyMinutes) continue;
      const every = t.everyMinutes * MINUTE;
      let next = t.nextRunAt ?? from + every;
      while (next < to) {
        const at = Math.max(next, from);
        const event = { authMode: 'FULL', triggerUid: t.id, timezone: 'Europe/London' };
        this.at(at, `trigger ${t.handlerFunction}`, () =>
          this.start(t.handlerFunction, [event], { context: 'trigger' }, t.handlerFunction),
        );
        next += every;
      }
      t.nextRunAt = next;
    }
  }

  async setUp(): Promise<void> {
    const rt = this.rt;
    const must = async (fn: string, context: RunOptions['context'] = 'editor') => {
      const res = await rt.run(fn, [], { context });
      if (!res.ok) throw new Error(`${fn} failed: ${res.error?.message}`);
    };
    await must('setUp');
    const o = this.options;
    const big = this.config.bigList ?? 0;
    if (big > 0) {
      // A long list as a host would have it: imported rows with tokens, every one confirmed (a
      // waitlist ahead of the workload's people would keep every new sign-up waiting).
      const now = new Date(rt.backend.now());
      const waiting = 0;
      const seated = big - waiting;
      const sheet = rt.backend.ss.byName('Guests')!;
      sheet.maxRows = Math.max(sheet.maxRows, big + 1000);
      rt.backend.hostEdit(
        'Guests',
        `A2:J${big + 1}`,
        Array.from({ length: big }, (_, i) => [
          `'listed${i}@example.org`,
          `'Listed ${i}`,
          i < seated ? 'confirmed' : 'waitlisted',
          i < seated ? '' : i - seated + 1,
          'import',
          now,
          now,
          '',
          '',
          `'listed-token-${i}`,
        ]),
      );
      this.bigSeated = seated;
      // Their seats count as the keeper's in the every-instant check: a seat the keeper grants past
      // the cap with them must be caught, as if the keeper had seated them itself (an import).
      for (let i = 0; i < seated; i++) this.seats.set(`listed-token-${i}`, 'keeper');
    }
    this.note(`options: ${JSON.stringify(o)}`);
    const settings: Record<string, unknown> = {
      Capacity: o.capacity + this.bigSeated,
      'Claim window (hours)': o.claimWindowHours,
      'When an offer runs out': o.offerExpiry,
      // Reminders and quiet hours (issue 15): when the event starts 2½ hours in (11:30 in London),
      // the morning-of reminder (then 2 hours before) falls 30 minutes into the run; quiet hours
      // may cover a stretch of the run, so offers and reminders must wait them out.
      'Starts at': new Date(START + (o.startsSoon ? 150 * MINUTE : 3 * 86400e3)),
      'Quiet hours': o.quietHours,
    };
    if (o.closesAtMinute !== null)
      settings['Registration closes at'] = new Date(START + o.closesAtMinute * MINUTE);
    if (o.largestParty > 1) {
      settings['Largest party'] = o.largestParty;
      settings['Smaller parties may go first'] = o.smallerFirst;
    }
    const rows = rt.backend.sheetRaw('Settings');
    for (const [label, value] of Object.entries(settings)) {
      const i = rows.findIndex((x) => x[0] === label);
      rt.backend.hostEdit('Settings', `B${i + 1}`, [[value]]);
    }
    if (o.questions)
      await rt.hostEdit('Questions', 'A2:H3', [
        ['yes', 'Door code', 'short text', '', 'no', 'once per RSVP', 'no', 'yes'],
        ['yes', 'Diet', 'one choice', 'None, Vegan, Vegetarian', 'no', 'for each person', 'yes', 'no'],
      ]);
    await must('recount');
    await must('turnOnEmailReplies');

    this.quietHistory.push({ at: 0, value: o.quietHours });
    this.note(`set up: ${JSON.stringify(settings)}, ${JSON.stringify(this.rt.backend.opts.onKill)} kills`);
  }

  /**
   * The first round of every seed walks through every lane and host action once (at seeded moments,
   * overlapping), so each seed reaches them: no seed passes by never meeting a case.
   */
  private canon(from: number): void {
    const at = (minute: number) => from + minute * MINUTE + (this.r.next() % 50e3);
    // The workload's own seats (a --big-list's pre-filled ones are not its people).
    const cap = (capacityOf(this.rt.backend.sheetRaw('Settings')) ?? 0) - this.bigSeated;
    for (let i = 0; i < cap + 3; i++) {
      const p = this.who[i];
      this.at(from + (this.r.next() % 800), `sign-up ${p.email}`, () => this.signUp(p, `sign-up ${p.email}`));
    }
    this.reply(at(1), this.who[cap + 4], 'yes');
    this.reply(at(2), this.who[0], 'cancel');
    this.reply(at(2), this.who[1], 'forged cancel');
    // (never the two whose email cancels are on their way: each lane's case must happen)
    const spare = [this.who[0].email, this.who[1].email];
    this.guestAction(at(3), 'cancel', spare);
    this.importRows(at(3), 'importPending');
    this.hostEdit(at(4), { capacity: (c) => c + 2 });
    this.guestAction(at(5), 'offer', spare);
    this.guestAction(at(6), 'invite', spare);
    // A capacity raise no edit trigger handles, then Send invites: its transaction hands out the
    // seats, and the guests offered them must be told (issue 22).
    this.silentCapacity(at(6));
    this.sendInvites(from + 7 * MINUTE - 5e3);
    // Two different rows (not the guest coming back below): two quick edits of one cell are a known
    // gap until the keeper remembers each row's last logged state (see the closing note of issue 11).
    const edited = new Set<string>();
    const another = (rows: ReturnType<Simulation['guests']>) => {
      const others = rows.filter((g) => g.email !== this.who[0].email && !edited.has(g.token));
      const g = others.length ? this.pick(others) : undefined;
      if (g) edited.add(g.token);
      return g;
    };
    this.hostEdit(at(7), { status: 'maybe', row: another });
    this.hostEdit(at(7), { status: ' Confirmed ', row: another });
    this.hostEdit(at(7), {
      status: 'cancelled',
      // A guest holding something (a seat first): cancelling them by hand must tell them.
      row: (rows) =>
        another(rows.filter((g) => g.status === 'confirmed')) ??
        another(rows.filter((g) => ['offered', 'waitlisted', 'invited'].includes(g.status))),
    });
    this.importRows(at(8), 'importConfirmed');
    this.hostEdit(at(8), { capacity: (c) => c - 3 });
    // The guest who cancelled by email comes back; the host then tries to revive the old row.
    const back = this.who[0];
    this.at(from + 9 * MINUTE, `sign-up ${back.email} again`, () =>
      this.signUp(back, `sign-up ${back.email}`),
    );
    this.hostEdit(from + 9 * MINUTE + 30e3, {
      status: 'waitlisted',
      row: (rows) => rows.find((g) => g.email === back.email && g.status === 'cancelled'),
    });
  }

  async round(i: number): Promise<void> {
    const rt = this.rt;
    const from = rt.backend.now();
    const to = from + ROUND_MS;
    const n = i === 0 ? 0 : 2 + (this.r.next() % 4);
    this.sparing = i === 0;
    if (i === 0) this.canon(from);
    for (let e = 0; e < n; e++) {
      const t = from + (this.r.next() % ROUND_MS);
      const pick = this.mixPick(this.r.random());
      if (pick === 'burst') this.burst(t, false);
      else if (pick === 'bigBurst') this.burst(t, true);
      else if (pick === 'reply') this.reply(t);
      else if (pick === 'importRows') this.importRows(t);
      else if (pick === 'guestAction') this.guestAction(t);
      else if (pick === 'sendInvites') this.sendInvites(t);
      else if (pick === 'quietToggle') this.quietToggle(t);
      else if (pick === 'silentCapacity') this.silentCapacity(t);
      else this.hostEdit(t);
    }
    // Now and then the host writes to some of the list (RSVP → Message guests), from its own stream.
    if (i > 0 && !this.naiveRt && this.messageR.random() < 0.3)
      this.message(from + (this.messageR.next() % ROUND_MS));
    // Guests arrive at the door: a few scans of passes from their emails, some of one party at once.
    if (i > 0 && !this.naiveRt && this.doorR.random() < 0.5)
      for (let k = 1 + (this.doorR.next() % 4); k > 0; k--) this.scan(from + (this.doorR.next() % ROUND_MS));
    this.triggers(from, to);
    await rt.settle();
    await Promise.all(this.runs.splice(0));
    // A transaction torn by a kill is put right by the next one (every transaction recounts).
    if (this.stats.killed) await this.quietRun('recount', 'editor');
    if (rt.backend.now() < to) rt.backend.advanceTo(to);
    for (const v of quietViolations(rt.backend.sheetRaw('Guests'), rt.backend.sheetRaw('Settings')))
      this.violation(`after round ${i}: ${v}`);
  }

  private async quietRun(fn: string, context: RunOptions['context'] = 'trigger'): Promise<void> {
    const res = await this.rt.run(fn, [], { context });
    if (!res.ok) this.violation(`${fn} failed: ${res.error?.message}`);
  }

  /** Days pass: the quota comes back, the drain sends what was held, offers run out. */
  async finish(): Promise<void> {
    const b = this.rt.backend;
    const unsent = () =>
      records(b.sheetRaw('Outbox')).some((r) => ['queued', 'sending'].includes(text(r, 'Status')));
    await this.quietRun('pollReplies');
    for (let day = 0; day < 10 && (day === 0 || unsent()); day++) {
      b.advanceTo(b.now() + 86400e3 + MINUTE);
      b.opts.gmailOpsPerDay = 20000;
      await this.quietRun('pollReplies');
      await this.quietRun('sendQueuedEmails');
      // A big list's reminders are thousands: the 10-minute trigger takes 500 a run, so a day has many.
      for (let run = 0; this.bigSeated && run < 40 && unsent() && b.mailRemaining() > 0; run++) {
        b.advanceTo(b.now() + 10 * MINUTE);
        await this.quietRun('sendQueuedEmails');
      }
    }
    // The host runs the import once more (one killed half-way left rows without a result): every
    // address they pasted is then on the list, whatever shape the paste had.
    await this.quietRun('importPending', 'editor');
    const listed = new Set(this.guests().map((g) => mailboxKey(g.email)));
    // Past the registration deadline an import adds nobody, and its Result says so (raw rows: a
    // wide paste's Email column sits under our header's "Result").
    const closedBoxes = new Set(
      b
        .sheetRaw('Import')
        .filter((r) => r.some((v) => /registration has closed/.test(String(v))))
        .flatMap((r) => r.join(' ').match(/[^\s<>"]+@[^\s<>"]+/g) ?? [])
        .map(mailboxKey),
    );
    for (const email of this.pasted)
      if (!listed.has(mailboxKey(email)) && !closedBoxes.has(mailboxKey(email)))
        this.violation(`at the end: ${email} was pasted into Import but is not on the list`);
    await this.quietRun('recount', 'editor');
    // A recount may queue emails (reminders that start early under a small quota): the drain sends them.
    if (unsent()) await this.quietRun('sendQueuedEmails');
    const guests = b.sheetRaw('Guests');
    for (const v of quietViolations(guests, b.sheetRaw('Settings'))) this.violation(`at the end: ${v}`);
    for (const v of logViolations(b.sheetRaw('Log'), guests)) this.violation(`at the end: ${v}`);
    for (const v of mailViolations(b.sheetRaw('Outbox'), b.mail, this.killed, b.mailRemaining() === 0))
      this.violation(`at the end: ${v}`);
    const settingsRaw = b.sheetRaw('Settings');
    const starts = settingValue(settingsRaw, 'Starts at');
    for (const v of reminderViolations(
      b.mail,
      b.sheetRaw('Log'),
      (t) =>
        parseQuiet([...this.quietHistory].reverse().find((q) => q.at <= t)?.value ?? '', b.opts.timeZone),
      starts instanceof Date ? starts.getTime() : null,
    ))
      this.violation(`at the end: ${v}`);
    for (const v of owedMailViolations(b.sheetRaw('Log'), b.sheetRaw('Outbox'), settingsRaw))
      this.violation(`at the end: ${v}`);
    for (const v of privateAnswerViolations(b.mail, this.privateValues)) this.violation(`at the end: ${v}`);
    for (const v of doorViolations(guests, b.sheetRaw('Log'))) this.violation(`at the end: ${v}`);
    this.stats.checkedIn = logRows(b.sheetRaw('Log')).filter((l) => /^checked in/.test(l.detail)).length;
    const messages = b.ss.byName('Messages') ? b.sheetRaw('Messages') : [];
    for (const v of messageViolations(messages, b.sheetRaw('Outbox'), b.mail))
      this.violation(`at the end: ${v}`);
    if (this.options.questions)
      this.stats.privateAnswersKept = records(b.sheetRaw('Guests')).filter((r) =>
        text(r, 'Door code'),
      ).length;
    const closes = settingValue(settingsRaw, 'Registration closes at');
    if (closes instanceof Date) {
      const log = logRows(b.sheetRaw('Log'));
      this.stats.toldClosed = log.filter((x) => x.detail === 'told: the waitlist has closed').length;
      const after = (x: LogRow) => x.when instanceof Date && x.when.getTime() >= closes.getTime();
      this.stats.cancelledAfterClose = log.filter(
        (x) => after(x) && x.to === 'cancelled' && ['form', 'email'].includes(x.lane),
      ).length;
      this.stats.answeredClosed = records(b.sheetRaw('Replies')).filter(
        (x) => text(x, 'Result') === TOLD_CLOSED,
      ).length;
      const replies = b.sheetRaw('Replies');
      for (const v of deadlineViolations(b.sheetRaw('Log'), b.mail, guests, closes.getTime(), replies))
        this.violation(`at the end: ${v}`);
    }
    this.stats.reminders = b.mail.filter((m) => m.subject.startsWith('Reminder: ')).length;
    for (const v of coverageGaps(b.sheetRaw('Log'), b.sheetRaw('Replies')))
      this.violation(`the first round did not reach: ${v}`);
  }

  digest(): string {
    const b = this.rt.backend;
    const h = crypto.createHash('sha256');
    const withoutParties = this.config.parties === false;
    const mask = (x: unknown) => (withoutParties ? untimed(x) : x);
    for (const name of ['Settings', 'Guests', 'Outbox', 'Log', 'Replies', 'Import']) {
      let values = b.ss.byName(name) ? b.sheetValues(name) : null;
      if (values && withoutParties) values = withoutPartyCells(name, values);
      h.update(JSON.stringify(mask(values)));
    }
    h.update(JSON.stringify(mask(b.mail.map((m) => [m.at, m.to, m.subject, m.body]))));
    return h.digest('hex').slice(0, 16);
  }

  async run(): Promise<SimOutcome> {
    try {
      await this.setUp();
      const rounds = this.config.rounds ?? 5;
      for (let i = 0; i < rounds; i++) await this.round(i);
      await this.finish();
    } catch (e) {
      this.violation(`the run stopped: ${String((e as Error)?.stack ?? e)}`);
    }
    return {
      seed: this.config.seed,
      violations: this.violations,
      digest: this.digest(),
      stats: this.stats,
      trail: this.trail,
    };
  }

  async close(): Promise<void> {
    await this.naiveRt?.close();
    await this.rt.close();
  }
}

/**
 * What the first round walks through in every seed, read from what it left behind. A gap means the
 * workload (or the product) no longer reaches a case, and the seeds would pass without testing it.
 */
export function coverageGaps(log: unknown[][], replies: unknown[][]): string[] {
  const rows = logRows(log);
  const kinds = rows.map((r) => `${r.from}>${r.to}:${r.lane}`);
  const wanted: Array<[string, boolean]> = [
    ['a form sign-up confirmed', kinds.some((k) => /^new>confirmed:form$/.test(k))],
    [
      'a seat asked for by email reply',
      kinds.some((k) => /^(new|invited)>(confirmed|waitlisted):email$/.test(k)),
    ],
    ['a cancel by email reply', kinds.some((k) => />cancelled:email$/.test(k))],
    ['a freed seat offered to the waitlist', kinds.some((k) => /^waitlisted>offered:keeper$/.test(k))],
    ['an import', kinds.some((k) => /:import$/.test(k))],
    ['a host typo put back', rows.some((r) => r.detail.startsWith('reverted'))],
    [
      'a guest cancelled by the host',
      kinds.some((k) => /^(confirmed|offered|waitlisted|invited)>cancelled:host$/.test(k)),
    ],
    [
      'a guest back after cancelling, the old row kept cancelled',
      rows.some((r) => r.detail.startsWith('signed up again after cancelling')) &&
        rows.some((r) => r.detail === 'reverted: one RSVP per mailbox'),
    ],
    // (the email itself may wait for the quota, and be skipped if the guest's state moves on)
    [
      'a forged cancel answered with the cancel link',
      records(replies).some((r) => /cancel link/.test(text(r, 'Result'))),
    ],
  ];
  return wanted.filter(([, ok]) => !ok).map(([what]) => what);
}

/** The built bundle with the keeper's emails dropped whenever a lane adds rows (the old bug). */
export function withLaneReplacingMail(code: string): string {
  const at = /const all = \[\.\.\.addressed, /;
  if (!at.test(code))
    throw new Error('the mutant found no transactionMail to break: update withLaneReplacingMail');
  return code.replace(at, 'const all = [...(parts.some((p) => p.rows) ? [] : addressed), ');
}

/**
 * The built bundle with the keeper trusting an Index it read up to six hours ago (the cache), not
 * what Sheets computes now: a stale index trusted without verification, which the invariants must catch.
 */
export function withStaleIndex(code: string): string {
  const at = /const read = index\.read\(\);/;
  if (!at.test(code)) throw new Error('the mutant found no Index read to make stale: update withStaleIndex');
  return code.replace(
    at,
    'const read = (() => { const c = CacheService.getScriptCache(); const v = c.get("stale-index"); if (v) return JSON.parse(v); const r = index.read(); c.put("stale-index", JSON.stringify(r), 21600); return r; })();',
  );
}

function mutate(code: string, m: NonNullable<SimConfig['mutant']>): string {
  return m === 'stale-index' ? withStaleIndex(code) : withLaneReplacingMail(code);
}

function readCode(): string {
  return fs.readFileSync(path.join(projectRoot(), 'dist', 'Code.js'), 'utf8');
}

/** Run one seed. */
export async function simulate(config: SimConfig): Promise<SimOutcome> {
  const s = new Simulation(config);
  try {
    return await s.run();
  } finally {
    await s.close();
  }
}
