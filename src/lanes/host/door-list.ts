/**
 * RSVP → Door list: a sheet for the door that works without a connection. One row per confirmed
 * RSVP, sorted by name, with the party, the answers marked "show at the door" and an Arrived
 * checkbox. Print it, or tick it in the Sheets app offline: the next 10-minute run (or the edit
 * trigger, online) takes each tick into Guests through the keeper. A tick for an RSVP that is no
 * longer confirmed is flagged on the row, not counted. Rows are found by email, so the host may sort.
 */
import { mailboxKey } from '../../core/email';
import { Guest, partyOf } from '../../core/model';
import { keeper } from '../../keeper/keeper';
import { NOT_SET_UP_MESSAGE, Workbook, toast } from '../../sheets/workbook';

export const DOOR_LIST_SHEET = 'Door list';
const FIXED = ['Name', 'Email', 'Party', 'Arrived'] as const;
const FLAG_NOTE = 'RSVP: ';
const FLAG_BACKGROUND = '#f4c7c3';

/** The list as it should read now: confirmed RSVPs by name, ticked when everyone has arrived. */
function listRows(book: Workbook): unknown[][] {
  const questions = (book.questions()?.read().questions ?? []).filter((q) => q.door && !q.private);
  const guests = book.guests.all();
  const door = book.guests.doorTable();
  const answers = questions.length ? book.guests.answerTable() : [];
  const rows = guests
    .map((g, i) => ({ g, arrived: door[i]?.arrived ?? 0, cells: answers[i] ?? {} }))
    .filter(({ g }) => g.email && g.status === 'confirmed')
    .sort((a, b) => (a.g.name || a.g.email).localeCompare(b.g.name || b.g.email));
  return [
    [...FIXED, ...questions.map((q) => q.label)],
    ...rows.map(({ g, arrived, cells }) => [
      `'${g.name}`,
      `'${g.email}`,
      partyOf(g.party),
      arrived >= partyOf(g.party),
      ...questions.map((q) => `'${cells[q.label.toLowerCase()] ?? ''}`),
    ]),
  ];
}

/** Menu: take the ticks in, then write the list afresh (as Guests says now). */
export function makeDoorList(): string {
  const book = Workbook.open();
  if (!book) return toast(NOT_SET_UP_MESSAGE);
  const synced = syncDoorList(book);
  const ss = book.spreadsheet;
  const sheet = ss.getSheetByName(DOOR_LIST_SHEET) ?? ss.insertSheet(DOOR_LIST_SHEET);
  const rows = listRows(book);
  const width = Math.max(...rows.map((r) => r.length));
  sheet.clear();
  if (rows.length > sheet.getMaxRows())
    sheet.insertRowsAfter(sheet.getMaxRows(), rows.length - sheet.getMaxRows());
  if (width > sheet.getMaxColumns())
    sheet.insertColumnsAfter(sheet.getMaxColumns(), width - sheet.getMaxColumns());
  const block = rows.map((r) => [...r, ...Array(width - r.length).fill('')]);
  sheet.getRange(1, 1, block.length, width).setValues(block);
  sheet.getRange(1, 1, 1, width).setFontWeight('bold');
  sheet.setFrozenRows(1);
  if (rows.length > 1)
    sheet
      .getRange(2, FIXED.indexOf('Arrived') + 1, rows.length - 1, 1)
      .setDataValidation(SpreadsheetApp.newDataValidation().requireCheckbox().build());
  return toast(
    `Door list: ${rows.length - 1} confirmed RSVPs, by name.${synced ? ` ${synced}` : ''} Print it, or tick Arrived in the Sheets app (works offline).`,
  );
}

/**
 * The ticks into Guests: a ticked row whose RSVP has people still to come checks them all in (one
 * keeper transaction for every tick); a tick on an RSVP that is not confirmed is flagged on its row.
 * Returns what it did, in a sentence ('' when nothing was ticked).
 */
export function syncDoorList(book: Workbook): string {
  const sheet = book.spreadsheet.getSheetByName(DOOR_LIST_SHEET);
  if (!sheet || sheet.getLastRow() < 2) return '';
  const values = sheet.getDataRange().getValues();
  const head = values[0].map((h) => String(h).trim());
  const [nameCol, emailCol, arrivedCol] = ['Name', 'Email', 'Arrived'].map((h) => head.indexOf(h));
  if (emailCol < 0 || arrivedCol < 0) return '';
  const ticked = values
    .map((r, i) => ({ row: i + 1, email: String(r[emailCol] ?? '').trim(), name: String(r[nameCol] ?? '') }))
    .filter((x, i) => i > 0 && values[i][arrivedCol] === true && x.email);
  if (!ticked.length) return '';
  const tz = book.settings.read().result.settings.timeZone || book.timeZone;
  const tx = keeper.checkIn(
    ticked.map((t) => ({
      // The RSVP by its mailbox: the live row (a cancelled one comes back as such, to be flagged).
      find: (rows) => {
        const mine = rows.filter((r) => r.guest.email && mailboxKey(r.guest.email) === mailboxKey(t.email));
        return (mine.find((r) => r.guest.status === 'confirmed') ?? mine[mine.length - 1])?.guest ?? null;
      },
      n: 'rest' as const,
      door: 'door list',
    })),
    (d) => Utilities.formatDate(d, tz, 'HH:mm'),
  );
  if (!tx.ok) return `The door list's ticks wait for the next run (${tx.message}).`;
  let added = 0;
  let flagged = 0;
  tx.results.forEach((r, i) => {
    const cell = sheet.getRange(ticked[i].row, arrivedCol + 1);
    const problem = !r
      ? 'not on the guest list any more: not counted'
      : !r.said.ok && r.said.reason === 'not-coming'
        ? `${statusWord(r.guest)}: not counted`
        : '';
    if (problem) {
      flagged++;
      cell.setNote(FLAG_NOTE + problem).setBackground(FLAG_BACKGROUND);
    } else if (r?.said.ok) added += r.said.added;
  });
  return [
    added ? `${added} arrived from the door list.` : '',
    flagged ? `${flagged} tick(s) flagged (not confirmed).` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

const statusWord = (g: Guest) => (g.status ? `this RSVP is ${g.status}` : 'this row has no status');
