/**
 * The Log replayed: what each guest's rows should hold if every change was logged. Pure.
 *
 * A keeper transaction writes the guest rows, then the Log rows. An execution that dies between the
 * two (Google stops it, or it runs out of time) leaves a change on the sheet with no Log row. A
 * recount compares the replayed Log with the rows and logs what it finds missing, so the Log stays
 * the whole history; a row a host deleted is found the same way.
 */
import { Guest } from './model';
import { LogEntry } from './keeper';

export interface LoggedChange {
  email: string;
  from: string;
  to: string;
  detail: string;
  /** When it was logged (the Log's When cell; null if unreadable). */
  when?: Date | null;
}

/**
 * Each email's rows as the Log tells them: a list of statuses (a mailbox may hold an old cancelled
 * RSVP and a new one). 'new' adds a row, a change moves one that was in the 'from' status, a revert
 * changes nothing.
 */
export function replay(log: readonly LoggedChange[]): Map<string, string[]> {
  return statusesOf(replayRows(log));
}

function statusesOf(replayed: ReadonlyMap<string, readonly ReplayedRow[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [email, rows] of replayed)
    out.set(
      email,
      rows.map((r) => r.status).filter((s) => s !== 'removed'),
    );
  return out;
}

/**
 * One row as the Log tells it. `gapFrom`: the row's first logged change moved it from this status,
 * which no earlier Log row gave it (a run stopped after writing the row, before its Log row, and a
 * later change was logged before any recount). A late 'new' entry for that status fills the gap.
 */
interface ReplayedRow {
  status: string;
  gapFrom?: string;
}

function replayRows(log: readonly LoggedChange[]): Map<string, ReplayedRow[]> {
  const out = new Map<string, ReplayedRow[]>();
  for (const { email, from, to, detail } of log) {
    if (!email) continue;
    const list = out.get(email) ?? [];
    out.set(email, list);
    if (detail.startsWith('reverted')) continue;
    if (from === 'new') {
      const gap = detail.startsWith(FIRST_STATUS) ? list.find((r) => r.gapFrom === to) : undefined;
      if (gap) delete gap.gapFrom;
      else list.push({ status: to });
      continue;
    }
    const row = list.find((r) => r.status === from);
    if (row) row.status = to;
    else if (from !== to) list.push({ status: to, gapFrom: from });
  }
  return out;
}

const LOGGED_LATE = 'logged late';
const FIRST_STATUS = `${LOGGED_LATE}: this row's first status`;

/** Log entries that bring the replayed Log to the rows as they are. */
export function unloggedChanges(log: readonly LoggedChange[], guests: readonly Guest[]): LogEntry[] {
  // Replayed once (the 10-minute run calls this with the whole Log: once per email was quadratic).
  const rowsOf = replayRows(log);
  const replayed = statusesOf(rowsOf);
  const byEmail = new Map<string, Guest[]>();
  for (const g of guests) {
    if (!g.email) continue;
    const list = byEmail.get(g.email);
    if (list) list.push(g);
    else byEmail.set(g.email, [g]);
  }
  const out: LogEntry[] = [];
  for (const email of new Set([...replayed.keys(), ...byEmail.keys()])) {
    const logged = [...(replayed.get(email) ?? [])];
    const rows = byEmail.get(email) ?? [];
    // Pair each row with a logged status: the same first, then any left over.
    const unmatched: Guest[] = [];
    for (const g of rows) {
      const i = logged.indexOf(String(g.status));
      if (i >= 0) logged.splice(i, 1);
      else unmatched.push(g);
    }
    for (const g of unmatched) {
      const from = logged.shift() ?? 'new';
      out.push({
        email,
        name: g.name,
        from,
        to: String(g.status),
        lane: 'keeper',
        detail: `${LOGGED_LATE}: found on the sheet with no Log row (changed by hand, or by a run that stopped half-way)`,
      });
    }
    // A row whose first status was never logged (its first Log row is a change from it): log it now.
    for (const r of rowsOf.get(email) ?? [])
      if (r.gapFrom)
        out.push({
          email,
          name: rows[0]?.name ?? '',
          from: 'new',
          to: r.gapFrom,
          lane: 'keeper',
          detail: `${FIRST_STATUS}, found with no Log row when it next changed (added by hand, or by a run that stopped half-way)`,
        });
    for (const from of logged) {
      out.push({
        email,
        name: rows[0]?.name ?? '',
        from,
        to: 'removed',
        lane: 'host',
        detail: `removed by the host: the row was deleted while ${from} (no email sent)`,
      });
    }
  }
  return out;
}

/**
 * A host's edit that a recount already logged late: the edit trigger runs seconds after the edit, and a
 * recount (the 10-minute run) that reads the row in between logs the change as "logged late". Logged
 * again, the Log would replay to one row too many. Such an entry keeps its detail but moves nothing
 * (from = to). `tail`: the Log's last rows, oldest first; only an email's latest move counts.
 */
export function withoutLoggedLate(entries: readonly LogEntry[], tail: readonly LoggedChange[]): LogEntry[] {
  const latest = new Map<string, LoggedChange>();
  // Its latest move: a row that moves nothing (a reminder, a note) written since does not count.
  for (const t of tail) if (t.email && t.from !== t.to) latest.set(t.email, t);
  return entries.map((e) => {
    const last = latest.get(e.email);
    if (e.lane !== 'host' || !last || !last.detail.startsWith(LOGGED_LATE)) return e;
    if (last.from !== e.from || last.to !== e.to || e.from === e.to) return e;
    return { ...e, from: e.to, detail: `${e.detail} (the change itself was logged late, above)` };
  });
}
