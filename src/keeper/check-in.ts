/**
 * Check-ins, under the script lock: one transaction takes any number of them (a door's scan, the
 * door list's ticks), each read against what the ones before it wrote, so two doors scanning one
 * party at the same moment never count more people than it has. Writes only the door's cells
 * (Arrived, Checked in at, Door) and a Log row each; a seat never changes here.
 */
import { LogEntry, actionLogRow, rowsAfter } from '../core/keeper';
import { Guest, partyOf } from '../core/model';
import { CheckIn, DoorState, checkIn } from '../core/pass';
import { Workbook } from '../sheets/workbook';
import { TxFailure, withLock } from './transaction';

export interface CheckInItem {
  /** Which row, of the rows as read inside the lock (with each row's door cells). */
  find: (rows: ReadonlyArray<{ guest: Guest; door: DoorState & { version: string } }>) => Guest | null;
  /** How many more people arrive ('rest': everyone of the party still to come). */
  n: number | 'rest';
  door: string;
}

export type CheckInResult = { guest: Guest; said: CheckIn } | null;

export function checkInBatch(
  items: readonly CheckInItem[],
  clock: (d: Date) => string,
): { ok: true; results: CheckInResult[] } | TxFailure {
  const book = Workbook.open();
  const results: CheckInResult[] = [];
  const tx = withLock(
    {
      requests: () => [],
      contribute(decision, read) {
        const rows = rowsAfter(read, decision);
        const cells = book!.guests.doorTable();
        const state = new Map<Guest, DoorState & { version: string }>(
          rows.map((g) => [g, cells[g.row - 2] ?? { arrived: 0, at: null, door: '', version: '' }]),
        );
        const arrivals: Guest[] = [];
        const log: LogEntry[] = [];
        const now = new Date();
        for (const item of items) {
          const g = item.find(rows.map((guest) => ({ guest, door: state.get(guest)! })));
          if (!g) {
            results.push(null);
            continue;
          }
          const s = state.get(g)!;
          const n = item.n === 'rest' ? partyOf(g.party) - s.arrived : item.n;
          const said = checkIn(g, s, n, clock);
          results.push({ guest: g, said });
          if (!said.ok) continue;
          state.set(g, { ...s, arrived: said.arrived, at: now, door: item.door });
          // The latest count for each row (a party arriving in parts within one batch: the last).
          const at = arrivals.findIndex((x) => x.token === g.token);
          const cells = { ...g, answers: { Arrived: said.arrived, 'Checked in at': now, Door: item.door } };
          if (at >= 0) arrivals[at] = cells;
          else arrivals.push(cells);
          log.push({
            ...actionLogRow(`${said.detail} (${item.door})`),
            email: g.email,
            name: g.name,
            from: g.status,
            to: g.status,
          });
        }
        // Every arrival in one plan: three reads in all and a write each, however many were ticked.
        return { mail: [], log, rows: book!.guests.planRowCells(arrivals) };
      },
    },
    { mailStatus: 'sending' },
  );
  return tx.ok ? { ok: true, results } : tx;
}
