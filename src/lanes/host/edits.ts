/**
 * The host's hand edits. The installed edit trigger (a simple onEdit could not send the offers a
 * capacity raise makes) runs the keeper at once: an edited Status cell is followed through or put
 * back; any other edit of Settings or Guests recounts, renumbers and offers free seats.
 */
import { keeper } from '../../keeper/keeper';
import { deliverOwned, mailOutlook } from '../../messenger/send';
import { GUEST_COL, SHEETS } from '../../sheets/layout';
import { QUESTIONS_CACHE_KEY } from '../../core/questions';
import { QUESTIONS_SHEET } from '../../sheets/questions-table';
import { DOOR_LIST_SHEET, syncDoorList } from './door-list';
import { Workbook, toast } from '../../sheets/workbook';

export function onHostEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  const range = e?.range;
  const name = range?.getSheet()?.getName();
  if (name === QUESTIONS_SHEET) {
    const b = Workbook.open();
    if (b) flagQuestions(b, true);
    return;
  }
  // A tick on the door list (online): into Guests at once.
  if (name === DOOR_LIST_SHEET) {
    const b = Workbook.open();
    const said = b ? syncDoorList(b) : '';
    if (said) toast(said);
    return;
  }
  if (name !== SHEETS.settings && name !== SHEETS.guests) return;
  const book = Workbook.open();
  const oneCell =
    name === SHEETS.guests && range.getNumRows() === 1 && range.getNumColumns() === 1 && range.getRow() > 1;
  const statusCell = oneCell && range.getColumn() === GUEST_COL.Status + 1;
  // (A paste has neither value: then only a recount, which reads what was pasted.)
  const partyCell =
    oneCell &&
    range.getColumn() === GUEST_COL.Party + 1 &&
    (e.value !== undefined || e.oldValue !== undefined);
  const lower = (v: unknown) =>
    String(v ?? '')
      .trim()
      .toLowerCase();
  // The edited row's identity: its token (one mailbox may have an old cancelled row and a live one).
  const row = (statusCell || partyCell) && book ? book.guests.rowAt(range.getRow()) : null;
  const tx = row
    ? keeper.hostEdit({
        action: 'host-edit',
        email: row.email,
        token: row.token,
        row: row.row,
        from: lower(e.oldValue),
        to: lower(e.value),
        ...(partyCell ? { field: 'party' as const } : {}),
      })
    : keeper.recount(mailOutlook());
  if (tx.ok) deliverOwned(tx);
  if (name === SHEETS.settings && book) flagSettings(book, true);
}

/**
 * Mark each mistake in the Questions sheet on its cell and in its row's Problem column; after the
 * host's edit, say so in a toast. A broken question is left off the form; the rest still work.
 */
export function flagQuestions(book: Workbook, tell: boolean): void {
  try {
    CacheService.getScriptCache().remove(QUESTIONS_CACHE_KEY);
  } catch {
    // The form's copy then lasts its two minutes.
  }
  const table = book.questions();
  if (!table) return;
  const n = table.flag(table.read());
  if (tell && n)
    toast(
      `${n === 1 ? 'A question needs' : `${n} questions need`} fixing (see the Problem column): left off the form until then.`,
    );
}

/**
 * Mark each bad setting's own cell (a note and a red background, cleared once fixed) and, after the
 * host's edit, say it in a toast: a typo pauses registration, so the host must see it where they type.
 */
export function flagSettings(book: Workbook, tell: boolean): void {
  const snap = book.settings.read();
  book.settings.flagProblems(snap);
  const r = snap.result;
  if (tell && !r.ok) toast(`Registration is paused until Settings are fixed: ${r.problems.join(' ')}`);
  else if (tell && Object.keys(r.flags).length) toast(Object.values(r.flags).join(' '));
}

/**
 * The installed change trigger: a row deleted (or rows inserted, a sort) fires no edit trigger. Recount,
 * so a deleted guest is logged "removed by the host" and the waitlist behind them moves up at once.
 */
export function onHostChange(e: { changeType?: string }): void {
  if (e?.changeType && !['REMOVE_ROW', 'INSERT_ROW', 'OTHER'].includes(e.changeType)) return;
  const tx = keeper.recount(mailOutlook());
  if (tx.ok) deliverOwned(tx);
}
