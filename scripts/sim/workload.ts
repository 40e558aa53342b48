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
import { ExecutionResult, Runtime, RunOptions, projectRoot, webEvent } from '../../emulator/runtime';
import { Prng, hash32 } from '../../emulator/sim';
import {
  KNOWN_STATUSES,
  capacityOf,
  guestRows,
  heldTokens,
  logViolations,
  mailViolations,
  quietHoursOf,
  quietViolations,
  deadlineViolations,
  reminderViolations,
  TOLD_CLOSED,
} from './checks';

export interface SimConfig {
  seed: number;
  /** The negative control: form sign-ups by a naive claim (read the count, no lock). */
  naive?: boolean;
  rounds?: number;
  /**
   * false: parties off in every seed (`--no-parties`), and the digest leaves out what parties add
   * to a sheet (the Party columns, the two parties settings) and masks times (see untimed), so it
   * can be compared with a build from before parties: with Largest party 1 the product must behave
   * exactly as it did.
   */
  parties?: boolean;
}

/** The two Settings rows parties added; left out of the `--no-parties` digest. */
const PARTY_SETTINGS = ['Largest party', 'Smaller parties may go first'];

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
  /** Rows holding a seat after the last commit by an execution, and rows the host has made held since. */
  /**
   * Who gave each seat now held (by row token), and seats a host's unknown status has suspended
   * (the keeper puts such a typo back, seat and all).
   */
  private seats = new Map<string, 'keeper' | 'host'>();
  private suspended = new Set<string>();
  private events = 0;

  constructor(
    readonly config: SimConfig,
    shared?: { code: string; files: Record<string, string> },
  ) {
    const seed = config.seed >>> 0;
    this.r = new Prng(hash32('workload', seed));
    this.partyR = new Prng(hash32('parties', seed));
    const r = this.r;
    const backend: BackendOptions = {
      seed,
      startAt: START,
      url: 'https://script.google.com/macros/s/sim/exec',
      onKill: r.random() < 0.5 ? 'discard' : 'commit',
      mailQuotaPerDay: r.random() < 0.3 ? 10 + (r.next() % 20) : 100000,
      gmailOpsPerDay: r.random() < 0.15 ? 300 + (r.next() % 300) : 20000,
      cacheEviction: r.random() < 0.5 ? 0.05 : 0,
    };
    this.rt = new Runtime({ backend: new Backend(backend), ...(shared ?? {}) });
    this.naiveRt = config.naive
      ? new Runtime({
          backend: this.rt.backend,
          code: (shared?.code ?? readCode()) + NAIVE_FIXTURE,
          files: shared?.files,
        })
      : null;
    this.who = people(r);
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
    const kill = !this.sparing && this.r.random() < 0.08 ? 1 + (this.r.next() % 60) : undefined;
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
    // Cancelling is always allowed: never answered "closed" (past the deadline, or the start).
    const check = (res: ExecutionResult) => {
      const out = res.result as { content?: string } | undefined;
      if (JSON.parse(out?.content ?? '{}')?.status === 'closed')
        this.violation(`${label} was answered "closed"`);
    };
    this.start('doPost', [e], { context: 'webapp' }, label, fields.action === 'cancel' ? check : undefined);
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
    this.post({ name: p.name, email: p.email, format: 'json', ts: stamp, ...party }, label);
  }

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
    const lines = Array.from({ length: n }, () => this.pick(this.who)).map((p) => [`${p.name} <${p.email}>`]);
    this.at(t, `host pastes ${n} rows into Import`, () => {
      const rows = this.rt.backend.sheetRaw('Import');
      const first = Math.max(2, rows.length + 1);
      this.rt.backend.hostEdit('Import', `A${first}:A${first + n - 1}`, lines);
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
        const cap = want?.capacity ? Math.max(0, want.capacity(capacityOf(settings) ?? 0)) : fixed;
        this.note(`  (capacity ${cap})`);
        this.count('capacity');
        void this.rt.hostEditAt(this.rt.backend.now(), 'Settings', `B${row}`, [[cap]]);
      });
      return;
    }
    const to = want?.status ?? this.pick(['confirmed', 'cancelled', 'waitlisted', 'maybe', ' Confirmed ']);
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
    const r = this.r;
    const settings: Record<string, unknown> = {
      Capacity: 2 + (r.next() % 9),
      'Claim window (hours)': r.random() < 0.5 ? 1 : 0.5,
      'When an offer runs out': r.random() < 0.5 ? 'cancel' : 'waitlist',
      'Starts at': new Date(START + 3 * 86400e3),
    };
    // Reminders and quiet hours (issue 15): in half the seeds the event starts 2½ hours in (11:30 in
    // London), so the morning-of reminder (then 2 hours before) falls 30 minutes into the run; in
    // some, quiet hours cover a stretch of the run, so offers and reminders must wait them out.
    if (r.random() < 0.5) settings['Starts at'] = new Date(START + 150 * MINUTE);
    const q = r.random();
    settings['Quiet hours'] = q < 0.4 ? '09:20-09:40' : q < 0.55 ? 'off' : '';
    // A registration deadline in some seeds, part-way through the run (not in the negative control:
    // it must meet the same contention, not sign-ups cut short).
    const closesAt = new Date(START + (20 + (r.next() % 25)) * MINUTE);
    if (r.random() < 0.3 && !this.config.naive) settings['Registration closes at'] = closesAt;
    // Parties (plus-ones) in 40% of the seeds, not in the negative control (which claims rows).
    if (this.partyR.random() < 0.4 && !this.config.naive && this.config.parties !== false) {
      this.largestParty = 2 + (this.partyR.next() % 3);
      settings['Largest party'] = this.largestParty;
      settings['Smaller parties may go first'] = this.partyR.random() < 0.7 ? 'yes' : 'no';
    }
    const rows = rt.backend.sheetRaw('Settings');
    for (const [label, value] of Object.entries(settings)) {
      const i = rows.findIndex((x) => x[0] === label);
      rt.backend.hostEdit('Settings', `B${i + 1}`, [[value]]);
    }
    await must('recount');
    await must('turnOnEmailReplies');
    this.note(`set up: ${JSON.stringify(settings)}, ${JSON.stringify(this.rt.backend.opts.onKill)} kills`);
  }

  /**
   * The first round of every seed walks through every lane and host action once (at seeded moments,
   * overlapping), so each seed reaches them: no seed passes by never meeting a case.
   */
  private canon(from: number): void {
    const at = (minute: number) => from + minute * MINUTE + (this.r.next() % 50e3);
    const cap = capacityOf(this.rt.backend.sheetRaw('Settings')) ?? 0;
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
      const x = this.r.random();
      if (x < 0.3) this.burst(t, false);
      else if (x < 0.35) this.burst(t, true);
      else if (x < 0.52) this.reply(t);
      else if (x < 0.6) this.importRows(t);
      else if (x < 0.8) this.guestAction(t);
      else this.hostEdit(t);
    }
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
    const unsent = () => b.sheetRaw('Outbox').some((r) => r[6] === 'queued' || r[6] === 'sending');
    await this.quietRun('pollReplies');
    for (let day = 0; day < 10 && (day === 0 || unsent()); day++) {
      b.advanceTo(b.now() + 86400e3 + MINUTE);
      b.opts.gmailOpsPerDay = 20000;
      await this.quietRun('pollReplies');
      await this.quietRun('sendQueuedEmails');
    }
    await this.quietRun('recount', 'editor');
    // A recount may queue emails (reminders that start early under a small quota): the drain sends them.
    if (unsent()) await this.quietRun('sendQueuedEmails');
    const guests = b.sheetRaw('Guests');
    for (const v of quietViolations(guests, b.sheetRaw('Settings'))) this.violation(`at the end: ${v}`);
    for (const v of logViolations(b.sheetRaw('Log'), guests)) this.violation(`at the end: ${v}`);
    for (const v of mailViolations(b.sheetRaw('Outbox'), b.mail, this.killed, b.mailRemaining() === 0))
      this.violation(`at the end: ${v}`);
    const settingsRaw = b.sheetRaw('Settings');
    const starts = settingsRaw.find((x) => x[0] === 'Starts at')?.[1];
    for (const v of reminderViolations(
      b.mail,
      b.sheetRaw('Log'),
      quietHoursOf(settingsRaw, b.opts.timeZone),
      starts instanceof Date ? starts.getTime() : null,
    ))
      this.violation(`at the end: ${v}`);
    const closes = settingsRaw.find((x) => x[0] === 'Registration closes at')?.[1];
    if (closes instanceof Date)
      this.stats.toldClosed = b
        .sheetRaw('Log')
        .filter((x) => x[6] === 'told: the waitlist has closed').length;
    if (closes instanceof Date) {
      const after = (x: unknown[]) => x[0] instanceof Date && x[0].getTime() >= closes.getTime();
      this.stats.cancelledAfterClose = b
        .sheetRaw('Log')
        .filter((x) => after(x) && x[4] === 'cancelled' && ['form', 'email'].includes(String(x[5]))).length;
      this.stats.answeredClosed = b.sheetRaw('Replies').filter((x) => x[6] === TOLD_CLOSED).length;
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
  const kinds = log.slice(1).map((r) => `${String(r[3])}>${String(r[4])}:${String(r[5])}`);
  const wanted: Array<[string, boolean]> = [
    ['a form sign-up confirmed', kinds.some((k) => /^new>confirmed:form$/.test(k))],
    [
      'a seat asked for by email reply',
      kinds.some((k) => /^(new|invited)>(confirmed|waitlisted):email$/.test(k)),
    ],
    ['a cancel by email reply', kinds.some((k) => />cancelled:email$/.test(k))],
    ['a freed seat offered to the waitlist', kinds.some((k) => /^waitlisted>offered:keeper$/.test(k))],
    ['an import', kinds.some((k) => /:import$/.test(k))],
    ['a host typo put back', log.slice(1).some((r) => String(r[6]).startsWith('reverted'))],
    [
      'a guest back after cancelling, the old row kept cancelled',
      log.slice(1).some((r) => String(r[6]).startsWith('signed up again after cancelling')) &&
        log.slice(1).some((r) => String(r[6]) === 'reverted: one RSVP per mailbox'),
    ],
    // (the email itself may wait for the quota, and be skipped if the guest's state moves on)
    [
      'a forged cancel answered with the cancel link',
      replies.slice(1).some((r) => /cancel link/.test(String(r[6]))),
    ],
  ];
  return wanted.filter(([, ok]) => !ok).map(([what]) => what);
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
