/**
 * The Guests sheet: the only code that knows its columns. One block read, block writes. Rows are
 * identified by token (or email) on every write, never by a row number remembered across
 * transactions (hosts sort and filter while we run).
 */
import { emailKey, mailboxKey, mailboxPattern } from '../core/email';
import { Guest, partyOf } from '../core/model';
import { cellText } from '../core/text';
import { Write, planAppend } from './append';
import { GUEST_COL, GUEST_HEADERS, GUEST_STATE_FIRST, GUEST_STATE_LAST, columnLetters } from './layout';

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

function checkHeader(row: readonly unknown[]): void {
  const header = row.slice(0, WIDTH).map(str);
  GUEST_HEADERS.forEach((h, i) => {
    // A sheet set up before parties existed has no Party header yet: every party is 1 (Set up adds it).
    if (h === 'Party' && !header[i]) return;
    if (header[i] !== h) {
      throw new SheetLayoutError(
        `The Guests sheet's column ${columnLetters(i)} should be "${h}" (found "${header[i] ?? ''}"). ` +
          'Put the columns back or run RSVP → Set up this sheet.',
      );
    }
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
  private values(lastRow?: number): unknown[][] {
    const last = Math.max(1, lastRow ?? this.sheet.getLastRow());
    return this.sheet.getRange(1, 1, last, WIDTH).getValues();
  }

  /** Whether a header row (as the Index copies it) is the one the keeper expects. */
  static headerOk(row: readonly unknown[]): boolean {
    try {
      checkHeader(row);
      return true;
    } catch {
      return false;
    }
  }

  /** The sheet's last row with data (the header is row 1). */
  lastRow(): number {
    return this.sheet.getLastRow();
  }

  /** One read of the whole table (to `lastRow` when the caller just asked for it). */
  read(lastRow?: number): GuestSnapshot {
    const values = this.values(lastRow);
    checkHeader(values[0]);
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
    const answers = this.planAnswers(updated, appended);
    writes.push(...answers.writes);
    writes.push(
      planAppend(
        this.sheet,
        appended.map((g) => answers.row(g)),
        snapshot.lastRow,
      ),
    );
    return () => writes.forEach((w) => w());
  }

  /** Answer cells written by the last planWrite on existing rows, with what the row held before. */
  private answered: Array<{ row: number; col: number; before: unknown[]; guest: Guest }> = [];

  /**
   * The answers a decision carries (Guest.answers): each in its question's column, found by header,
   * a missing column added at the right end. A new row is as wide as it needs; an existing row's
   * answer cells are read first (the rest of the block is written back as it was, and the read is
   * what a repair restores if a sort moved the row).
   */
  private planAnswers(
    updated: readonly Guest[],
    appended: readonly Guest[],
    /** false: no repair will follow, so a block whose every cell is written needs no read first. */
    remember = true,
  ): { writes: Write[]; row: (g: Guest) => unknown[] } {
    this.answered = [];
    const carrying = [...updated, ...appended].filter((g) => g.answers && Object.keys(g.answers).length);
    if (!carrying.length) return { writes: [], row: guestToRow };
    const lastCol = Math.max(WIDTH, this.sheet.getLastColumn());
    const header = this.sheet
      .getRange(1, 1, 1, lastCol)
      .getValues()[0]
      .map((h) => str(h).trim());
    const col = new Map<string, number>();
    header.forEach((h, i) => {
      if (i >= WIDTH && h && !col.has(h.toLowerCase())) col.set(h.toLowerCase(), i);
    });
    let end = header.reduce((last, h, i) => (h ? i : last), WIDTH - 1) + 1;
    const added: string[] = [];
    for (const g of carrying)
      for (const label of Object.keys(g.answers ?? {}))
        if (!col.has(label.toLowerCase())) {
          col.set(label.toLowerCase(), end++);
          added.push(label);
        }
    const writes: Write[] = [];
    if (added.length) {
      const first = end - added.length;
      if (end > this.sheet.getMaxColumns()) {
        const max = this.sheet.getMaxColumns();
        writes.push(() => void this.sheet.insertColumnsAfter(max, end - max));
      }
      writes.push(
        () => void this.sheet.getRange(1, first + 1, 1, added.length).setValues([added.map(cellText)]),
      );
    }
    const cells = (g: Guest) =>
      Object.entries(g.answers ?? {}).map(
        ([label, v]) => [col.get(label.toLowerCase())!, typeof v === 'string' ? cellText(v) : v] as const,
      );
    const width = Math.max(WIDTH, ...appended.flatMap((g) => cells(g).map(([c]) => c + 1)));
    for (const g of updated) {
      const mine = cells(g);
      if (!mine.length) continue;
      const lo = Math.min(...mine.map(([c]) => c));
      const hi = Math.max(...mine.map(([c]) => c));
      const full = new Set(mine.map(([c]) => c)).size === hi - lo + 1;
      const before =
        remember || !full
          ? this.sheet.getRange(g.row, lo + 1, 1, hi - lo + 1).getValues()[0]
          : Array<unknown>(hi - lo + 1).fill('');
      const block = [...before];
      for (const [c, v] of mine) block[c - lo] = v;
      if (remember) this.answered.push({ row: g.row, col: lo, before, guest: g });
      writes.push(() => void this.sheet.getRange(g.row, lo + 1, 1, block.length).setValues([block]));
    }
    return {
      writes,
      row: (g) => {
        const r = guestToRow(g);
        if (!appended.some((a) => a.answers)) return r;
        const wide = [...r, ...Array(width - r.length).fill('')];
        for (const [c, v] of cells(g)) wide[c] = v;
        return wide;
      },
    };
  }

  /**
   * After a move (see transaction.ts, repairIfMoved): each row whose answers we wrote gets back what
   * it held, and the guest's answers go to the row that is theirs now (`now`, read after the move).
   */
  repairAnswers(now: readonly Guest[]): number {
    let fixed = 0;
    for (const a of this.answered) {
      const there = rowId(rowToGuest(this.sheet.getRange(a.row, 1, 1, WIDTH).getValues()[0], a.row));
      if (there === rowId(a.guest)) continue;
      this.sheet.getRange(a.row, a.col + 1, 1, a.before.length).setValues([a.before]);
      const moved = now.find((g) => rowId(g) === rowId(a.guest));
      if (moved) {
        this.answered = [];
        const plan = this.planAnswers([{ ...a.guest, row: moved.row }], []);
        plan.writes.forEach((w) => w());
      }
      fixed++;
    }
    this.answered = [];
    return fixed;
  }

  /**
   * Every data row's cells to the right of the keeper's columns, by lower-cased header (one read),
   * in the order `all()` gives the rows: the dashboard's counts of answers.
   */
  answerTable(): Array<Record<string, string>> {
    const lastCol = this.sheet.getLastColumn();
    const last = this.sheet.getLastRow();
    if (lastCol <= WIDTH || last < 2) return [];
    const values = this.sheet.getRange(1, WIDTH + 1, last, lastCol - WIDTH).getValues();
    const header = values[0].map((h) => str(h).trim().toLowerCase());
    return values.slice(1).map((r) => {
      const out: Record<string, string> = {};
      header.forEach((h, k) => {
        if (h && !(h in out)) out[h] = str(r[k]);
      });
      return out;
    });
  }

  /**
   * The door's cells of every data row (Arrived, Checked in at, Door, and the Pass version), by
   * header, in the order `all()` gives the rows (one read; columns a sheet lacks read as blank).
   */
  doorTable(): Array<{ arrived: number; at: Date | null; door: string; version: string }> {
    const lastCol = this.sheet.getLastColumn();
    const last = this.sheet.getLastRow();
    if (last < 2) return [];
    if (lastCol <= WIDTH)
      return Array.from({ length: last - 1 }, () => ({ arrived: 0, at: null, door: '', version: '' }));
    const values = this.sheet.getRange(1, WIDTH + 1, last, lastCol - WIDTH).getValues();
    const head = values[0].map((h) => str(h).trim().toLowerCase());
    const at = (name: string) => head.indexOf(name);
    const [a, c, d, p] = ['arrived', 'checked in at', 'door', 'pass'].map(at);
    return values.slice(1).map((r) => ({
      arrived: a < 0 ? 0 : Math.max(0, Math.floor(Number(r[a]) || 0)),
      at: c < 0 ? null : date(r[c]),
      door: d < 0 ? '' : str(r[d]),
      version: p < 0 ? '' : str(r[p]).trim(),
    }));
  }

  /**
   * The Pass versions of these guests (a host bumps one to revoke a pass), by token: a few guests
   * one row each (found again by token if it moved), more from one read of the door columns.
   */
  passVersions(guests: readonly Guest[]): Map<string, string> {
    const out = new Map<string, string>();
    // A new guest (no row yet) has no version: nothing to read.
    if (!guests.length) return out;
    if (guests.length > 3) {
      const door = this.doorTable();
      const rows = this.all();
      rows.forEach((g, i) => g.token && out.set(g.token, door[i]?.version ?? ''));
      return out;
    }
    const lastCol = this.sheet.getLastColumn();
    if (lastCol <= WIDTH) return out;
    const header = this.sheet
      .getRange(1, 1, 1, lastCol)
      .getValues()[0]
      .map((h) => str(h).trim().toLowerCase());
    const p = header.indexOf('pass', WIDTH);
    if (p < 0) return out;
    for (const g of guests) {
      let row = this.sheet.getRange(g.row, 1, 1, lastCol).getValues()[0];
      if (str(row[GUEST_COL.Token]).trim() !== g.token) {
        const i = this.all().findIndex((x) => x.token === g.token);
        if (i < 0) continue;
        row = this.sheet.getRange(i + 2, 1, 1, lastCol).getValues()[0];
      }
      out.set(g.token, str(row[p]).trim());
    }
    return out;
  }

  /**
   * Plan writing these guests' cells right of the keeper's columns (Guest.answers), each at the row
   * that is theirs as the plan reads it: one read of the Token column finds every row again (a sort
   * just before never writes on someone else), one of the header; then one write per guest.
   */
  planRowCells(guests: readonly Guest[]): Write {
    if (!guests.length) return () => undefined;
    const last = this.sheet.getLastRow();
    const tokens = last < 2 ? [] : this.sheet.getRange(2, GUEST_COL.Token + 1, last - 1, 1).getValues();
    const rowOf = new Map<string, number>();
    tokens.forEach((t, i) => {
      const tok = str(t[0]).trim();
      if (tok && !rowOf.has(tok)) rowOf.set(tok, i + 2);
    });
    const found = guests.flatMap((g) =>
      g.token && rowOf.has(g.token) ? [{ ...g, row: rowOf.get(g.token)! }] : [],
    );
    const plan = this.planAnswers(found, [], false);
    return () => plan.writes.forEach((w) => w());
  }

  /** One row's cells to the right of the keeper's columns, by header: a guest's answers, for their page. */
  answersAt(row: number): Record<string, string> {
    const lastCol = this.sheet.getLastColumn();
    if (lastCol <= WIDTH) return {};
    const read = (r: number) => this.sheet.getRange(r, WIDTH + 1, 1, lastCol - WIDTH).getValues()[0];
    const header = read(1);
    const cells = read(row);
    const out: Record<string, string> = {};
    header.forEach((h, i) => {
      const label = str(h).trim();
      if (label && !(label.toLowerCase() in out)) out[label.toLowerCase()] = str(cells[i]);
    });
    return out;
  }

  /**
   * Plan blanking the answer columns with these labels (reads now): how many cells held an answer,
   * and the write. The keeper's own columns are never among them.
   */
  planClearAnswers(labels: readonly string[]): { cleared: number; write: Write } {
    const lastCol = this.sheet.getLastColumn();
    const last = this.sheet.getLastRow();
    if (lastCol <= WIDTH || last < 2) return { cleared: 0, write: () => undefined };
    const header = this.sheet.getRange(1, WIDTH + 1, 1, lastCol - WIDTH).getValues()[0];
    const wanted = new Set(labels.map((l) => l.trim().toLowerCase()));
    const cols = header.flatMap((h, i) => (wanted.has(str(h).trim().toLowerCase()) ? [WIDTH + 1 + i] : []));
    let cleared = 0;
    const writes: Write[] = [];
    for (const col of cols) {
      const range = this.sheet.getRange(2, col, last - 1, 1);
      const filledCells = range.getValues().filter((r) => str(r[0]).trim() !== '').length;
      if (!filledCells) continue;
      cleared += filledCells;
      writes.push(() => void range.setValues(Array.from({ length: last - 1 }, () => [''])));
    }
    return { cleared, write: () => writes.forEach((w) => w()) };
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

  /**
   * The rows of these mailboxes, found by Sheets (one TextFinder call, whatever the list's length)
   * and then read one by one; null when more than `most` cells match (reading every row is cheaper)
   * or a row moved meanwhile.
   */
  findMailboxes(emails: readonly string[], most = 6): Guest[] | null {
    const keys = new Set(emails.map(mailboxKey));
    if (!keys.size) return [];
    const pattern = [...keys].map(mailboxPattern).join('|');
    const cells = this.sheet.getRange('A2:A').createTextFinder(pattern).useRegularExpression(true).findAll();
    if (cells.length > most) return null;
    const found = new RegExp(pattern, 'iu');
    const rows = cells.map((c) =>
      rowToGuest(this.sheet.getRange(c.getRow(), 1, 1, WIDTH).getValues()[0], c.getRow()),
    );
    // A row that no longer holds what the search found there: the host sorted or moved rows in
    // between, and the rows of these mailboxes may be anywhere (the caller reads every row).
    if (rows.some((g) => !found.test(g.email))) return null;
    return rows.filter((g) => keys.has(mailboxKey(g.email)));
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
