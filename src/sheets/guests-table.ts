/**
 * The Guests sheet: the only code that knows its columns. One block read, block writes. Rows are
 * identified by token (or email) on every write, never by a row number remembered across
 * transactions (hosts sort and filter while we run).
 */
import { emailKey } from '../core/email';
import { Guest, partyOf } from '../core/model';
import { cellText } from '../core/text';
import { Write, planAppend } from './append';
import { GUEST_COL, GUEST_HEADERS, GUEST_STATE_FIRST, GUEST_STATE_LAST } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
const WIDTH = GUEST_HEADERS.length;

export class SheetLayoutError extends Error {}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const date = (v: unknown): Date | null =>
  Object.prototype.toString.call(v) === '[object Date]' && !isNaN((v as Date).getTime()) ? (v as Date) : null;

export function rowToGuest(r: unknown[], row: number): Guest {
  const pos = r[GUEST_COL['Waitlist #']];
  const n = typeof pos === 'number' ? pos : Number(str(pos).replace(/^#/, ''));
  return {
    row,
    email: emailKey(str(r[GUEST_COL.Email])),
    name: str(r[GUEST_COL.Name]),
    status: str(r[GUEST_COL.Status]).trim().toLowerCase(),
    position: str(pos).trim() !== '' && Number.isFinite(n) ? n : null,
    source: str(r[GUEST_COL.Source]),
    created: date(r[GUEST_COL.Created]),
    updated: date(r[GUEST_COL.Updated]),
    offerExpires: date(r[GUEST_COL['Offer expires']]),
    note: str(r[GUEST_COL.Note]),
    token: str(r[GUEST_COL.Token]).trim(),
    party: partyOf(r[GUEST_COL.Party]),
  };
}

/** A row's identity: its token (never rewritten), or its email for a row the host typed without one. */
export const rowId = (g: Pick<Guest, 'token' | 'email'>): string =>
  g.token ? `t:${g.token}` : `e:${g.email}`;

export function guestToRow(g: Guest): unknown[] {
  return [
    cellText(g.email),
    cellText(g.name),
    cellText(g.status),
    g.position ?? '',
    cellText(g.source),
    g.created ?? '',
    g.updated ?? '',
    g.offerExpires ?? '',
    cellText(g.note),
    cellText(g.token),
    g.party > 1 ? g.party : '',
  ];
}

const stateCells = (g: Guest) => guestToRow(g).slice(GUEST_STATE_FIRST, GUEST_STATE_LAST + 1);
const partyCell = (g: Guest) => guestToRow(g)[GUEST_COL.Party];

/**
 * After a write landed on moved rows: which rows (as they are now) get which guest's state cells back.
 * Ours as decided (`updated`), every other as read (`read`), each matched by rowId, never by email: an
 * old cancelled row must not take its mailbox's live row's state, nor the other way round.
 */
export function repairPlan(
  read: readonly Guest[],
  updated: readonly Guest[],
  now: readonly Guest[],
): Array<{ row: number; guest: Guest }> {
  const intended = new Map<string, Guest>();
  for (const g of read) if (!intended.has(rowId(g))) intended.set(rowId(g), g);
  for (const g of updated) intended.set(rowId(g), g);
  const cells = (g: Guest) => JSON.stringify([...stateCells(g), partyCell(g)].map(String));
  return now.flatMap((g) => {
    const want = intended.get(rowId(g));
    return want && cells(want) !== cells(g) ? [{ row: g.row, guest: want }] : [];
  });
}

export interface GuestSnapshot {
  guests: Guest[];
  /** Each row's Party cell as read (a host may have typed a word there). */
  partyCells?: Map<number, unknown>;
  /** Rows in the sheet including the header, as read. */
  lastRow: number;
}

export class GuestsTable {
  constructor(private readonly sheet: Sheet) {}

  /**
   * One read of the keeper's columns (A to Party), whatever the host keeps to their right: answers
   * to questions, their own notes. Those cost the keeper nothing.
   */
  private values(): unknown[][] {
    const last = Math.max(1, this.sheet.getLastRow());
    return this.sheet.getRange(1, 1, last, WIDTH).getValues();
  }

  /** One read of the whole table. */
  read(): GuestSnapshot {
    const values = this.values();
    const header = values[0].slice(0, WIDTH).map(str);
    GUEST_HEADERS.forEach((h, i) => {
      // A sheet set up before parties existed has no Party header yet: every party is 1 (Set up adds it).
      if (h === 'Party' && !header[i]) return;
      if (header[i] !== h) {
        throw new SheetLayoutError(
          `The Guests sheet's column ${String.fromCharCode(65 + i)} should be "${h}" (found "${header[i] ?? ''}"). ` +
            'Put the columns back or run RSVP → Set up this sheet.',
        );
      }
    });
    const guests: Guest[] = [];
    const partyCells = new Map<number, unknown>();
    for (let i = 1; i < values.length; i++) {
      const g = rowToGuest(values[i], i + 1);
      if (g.email || g.token || g.name) guests.push(g);
      partyCells.set(i + 1, values[i][GUEST_COL.Party] ?? '');
    }
    return { guests, lastRow: values.length, partyCells };
  }

  /**
   * Plan the keeper's changes (reads now), returning the write: state cells of existing rows as one
   * block, new rows appended.
   */
  planWrite(snapshot: GuestSnapshot, updated: Guest[], appended: Guest[]): Write {
    const writes: Write[] = [];
    if (updated.length) {
      const rows = updated.map((g) => g.row);
      const first = Math.min(...rows);
      const last = Math.max(...rows);
      const byRow = new Map(updated.map((g) => [g.row, g]));
      const current = new Map(snapshot.guests.map((g) => [g.row, g]));
      const block: unknown[][] = [];
      for (let r = first; r <= last; r++) {
        const g = byRow.get(r) ?? current.get(r);
        block.push(g ? stateCells(g) : Array(GUEST_STATE_LAST - GUEST_STATE_FIRST + 1).fill(''));
      }
      // Rows between changed ones are rewritten with what we read inside the lock: one call, not one per row.
      writes.push(() =>
        this.sheet.getRange(first, GUEST_STATE_FIRST + 1, block.length, block[0].length).setValues(block),
      );
      // Party sits apart from the state block (after Token, which is never rewritten): written only
      // when a guest changed theirs, one more block.
      // (or put a host's word there back to a number).
      const cellNow = (g: Guest) => String(snapshot.partyCells?.get(g.row) ?? partyCell(g));
      if (updated.some((g) => cellNow(g) !== String(partyCell(g)))) {
        const parties: unknown[][] = [];
        for (let r = first; r <= last; r++) {
          const g = byRow.get(r) ?? current.get(r);
          parties.push([g ? partyCell(g) : '']);
        }
        writes.push(() =>
          this.sheet.getRange(first, GUEST_COL.Party + 1, parties.length, 1).setValues(parties),
        );
      }
    }
    writes.push(planAppend(this.sheet, appended.map(guestToRow), snapshot.lastRow));
    return () => writes.forEach((w) => w());
  }

  /** Rare path (repairs): one write per row, at rows just read. */
  writeStateRows(fixes: Array<{ row: number; guest: Guest }>): void {
    for (const { row, guest } of fixes) {
      this.sheet
        .getRange(row, GUEST_STATE_FIRST + 1, 1, GUEST_STATE_LAST - GUEST_STATE_FIRST + 1)
        .setValues([stateCells(guest)]);
      this.sheet.getRange(row, GUEST_COL.Party + 1).setValue(partyCell(guest));
    }
  }

  /** Every row below the header, from one read (no header check: a page or an email only reads). */
  all(): Guest[] {
    return this.values()
      .slice(1)
      .map((r, i) => rowToGuest(r, i + 2));
  }

  /** Every row with a token, by token. */
  byToken(): Map<string, Guest> {
    return new Map(
      this.all()
        .filter((g) => g.token)
        .map((g) => [g.token, g]),
    );
  }

  /** The row a host just edited (one read of that row). */
  rowAt(row: number): Guest {
    return rowToGuest(this.sheet.getRange(row, 1, 1, WIDTH).getValues()[0], row);
  }

  /** Who rows first..last are now (see rowId): to check that updates landed on the right guests. */
  idsAt(first: number, last: number): string[] {
    return this.sheet
      .getRange(first, 1, last - first + 1, WIDTH)
      .getValues()
      .map((r, i) => rowId(rowToGuest(r, first + i)));
  }
}
