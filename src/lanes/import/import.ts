/**
 * The host import lane: the Import sheet's rows become seat requests, in list order, as keeper
 * transactions of IMPORT_CHUNK rows each (so an import cannot pass the cap, whatever else arrives
 * at the same moment). Each row gets its result beside it; rows with a result are not imported again.
 */
import {
  ImportPlan,
  ImportSummary,
  planImport,
  recordOutcomes,
  resultsByRow,
  summaryText,
} from '../../core/import-plan';
import { Answers, answerCells, checkAnswer } from '../../core/questions';
import { Outcome, SeatRequest, actionLogRow, decide } from '../../core/keeper';
import { OutboxEntry, holdReason } from '../../core/outbox';
import { QuietHours } from '../../core/quiet';
import { PasteEntry, parsePaste } from '../../core/paste';
import { Pasted } from '../../sheets/import-table';
import { TxFailure, keeper } from '../../keeper/keeper';
import { drainOutbox, mailOutlook } from '../../messenger/send';
import { NOT_SET_UP_MESSAGE, Workbook, toast } from '../../sheets/workbook';

/** Leave the rest of the 6-minute execution to the drain trigger. */
const SEND_BUDGET_MS = 3 * 60e3;

/**
 * Rows per keeper transaction. A list of 10,000 in one transaction held the lock for 8 s (every
 * sign-up waited it out); in transactions of 1,000, each holds it under a second and sign-ups go in
 * between (`npm run bench`). List order is kept: the transactions run one after another.
 */
export const IMPORT_CHUNK = 1000;

/** What the import's transactions did together (outcomes in list order), and the first failure. */
interface Imported {
  outcomes: Outcome[];
  outbox: OutboxEntry[];
  seatsLeft: number;
  failure: TxFailure | null;
}

function importInChunks(requests: SeatRequest[]): Imported {
  const out: Imported = { outcomes: [], outbox: [], seatsLeft: 0, failure: null };
  for (let i = 0; i < requests.length; i += IMPORT_CHUNK) {
    const tx = keeper.importBatch(requests.slice(i, i + IMPORT_CHUNK));
    if (!tx.ok) return { ...out, failure: tx };
    out.outcomes.push(...tx.decision.outcomes);
    out.outbox.push(...tx.outbox);
    out.seatsLeft = tx.decision.counts.seatsLeft;
  }
  return out;
}

/**
 * A dry run of the import (issue 26): the keeper's own pure decision on a read of the rows, with the
 * Import sheet's new rows as its requests, said as a sentence; nothing is written, no lock is taken.
 */
export function previewImport(mode: SeatRequest['mode']): string {
  const book = Workbook.open();
  const table = book?.imports();
  if (!book || !table) return NOT_SET_UP_MESSAGE;
  const r = book.settings.read().result;
  if (!r.ok) return `Fix Settings first (the cells in red): ${r.problems.join(' ')}`;
  const pasted = table.read();
  const entries = parsePaste(
    pasted.cells,
    pasted.layout.firstRow,
    (i) => pasted.done(i) || pasted.blocked(i),
  );
  const plan = planImport(entries, mode, pasted.partyAt, r.settings.largestParty ?? 1);
  if (!plan.requests.length) return 'Nothing new to import in the Import sheet.';
  const guests = book.guests.read().guests;
  const now = new Date();
  const d = decide({
    guests,
    capacity: r.settings.capacity,
    requests: plan.requests,
    now,
    newToken: () => 'dry-run',
    policy: keeper.policyOf(r.settings),
  });
  const n = (result: string) => d.outcomes.filter((o) => o.result === result).length;
  const waiting = d.outcomes.filter((o) => o.result === 'waitlisted').map((o) => o.position ?? 0);
  const parts = [
    n('confirmed') ? `${n('confirmed')} confirmed` : '',
    waiting.length ? `${waiting.length} waitlisted (#${Math.min(...waiting)}–${Math.max(...waiting)})` : '',
    n('invited') ? `${n('invited')} invited` : '',
    d.outcomes.filter((o) => o.result.startsWith('already')).length
      ? `${d.outcomes.filter((o) => o.result.startsWith('already')).length} already on the list`
      : '',
    plan.summary.invalid ? `${plan.summary.invalid} not importable` : '',
    plan.summary.duplicates ? `${plan.summary.duplicates} repeated in the paste` : '',
  ].filter(Boolean);
  const quota = mailOutlook().mailQuota ?? 0;
  return (
    `${mode === 'invite' ? 'Import as pending invites' : 'Import as pre-confirmed'} would make: ${parts.join(', ') || 'no change'}; ` +
    `${d.mail.length} emails (today's quota has ${quota}${d.mail.length > quota ? `: ${d.mail.length - quota} wait for tomorrow` : ''}). Nothing was written.`
  );
}

/** Menu: import the Import sheet's new rows and say what became of them. */
export function importAs(mode: SeatRequest['mode']): string {
  return toast(runImport(mode).message);
}

export function runImport(mode: SeatRequest['mode']): {
  ok: boolean;
  message: string;
  summary?: ImportSummary;
} {
  const book = Workbook.open();
  const table = book?.imports();
  if (!book || !table) return { ok: false, message: NOT_SET_UP_MESSAGE };
  const pasted = table.read();
  // A row whose Result cell holds the host's own text is left as it is (importing it would write over it).
  const entries = parsePaste(
    pasted.cells,
    pasted.layout.firstRow,
    (i) => pasted.done(i) || pasted.blocked(i),
  );
  const blocked = pasted.results.map((_, i) => i).filter((i) => pasted.blocked(i) && !pasted.done(i));
  const blockedNote = blocked.length
    ? ` ${blocked.length} row(s) not imported because their Result cell (column ${String.fromCharCode(64 + pasted.layout.resultCol)}) holds text of yours (row ${blocked
        .slice(0, 5)
        .map((i) => i + pasted.layout.firstRow)
        .join(', ')}${blocked.length > 5 ? '…' : ''}): move it to another column and import again.`
    : '';
  if (!entries.length)
    return {
      ok: true,
      message: `Nothing to import: paste names and emails into the Import sheet first.${blockedNote}`,
    };
  const settings = book.settings.read().result.settings;
  const largest = settings.largestParty ?? 1;
  const plan = planImport(entries, mode, pasted.partyAt, largest);
  const answerNotes = answersFromColumns(book, pasted, plan);
  // Emails are queued: a long list must not wait on, or stop at, the mail quota.
  const tx = plan.requests.length ? importInChunks(plan.requests) : null;
  if (tx?.failure && !tx.outcomes.length)
    return { ok: false, message: `Nothing was imported: ${tx.failure.message}` };
  // The rows a failed transaction did not reach get no result, so the next import takes them.
  const stopped = tx?.failure
    ? ` Only the first ${tx.outcomes.length} of ${plan.requests.length} were imported (${tx.failure.message}): import again for the rest.`
    : '';
  if (tx) recordOutcomes(plan, tx.outcomes);
  const reached = new Set(plan.asked.slice(0, tx?.outcomes.length ?? 0));
  for (const [e, text] of answerNotes) {
    // A row not imported keeps its Result cell empty, so the next import takes it.
    if (!reached.has(e)) continue;
    const list = plan.notes.get(e.sheetRow) ?? [];
    list[e.line] = [list[e.line], text].filter(Boolean).join('; ');
    plan.notes.set(e.sheetRow, list);
  }
  // Invitees hold no seat: tell the host how many of them could only join the waitlist today.
  if (tx && mode === 'invite') plan.summary.seatsLeft = tx.seatsLeft;
  // One write of the Result column; rows imported before keep their result.
  table.writeResults(pasted, resultsByRow(plan));
  const text = summaryText(plan.summary);
  const what = mode === 'invite' ? 'invites' : 'pre-confirmed';
  book.log.planAppend([actionLogRow(`${what}: ${text}`, 'import')], new Date())();
  book.flush();
  drainOutbox(500, Date.now() + SEND_BUDGET_MS);
  return {
    ok: !tx?.failure,
    message: `${text}.${stopped}${mailNote(book, tx?.outbox ?? [], settings.quietHours ?? null)}${blockedNote}`,
    summary: plan.summary,
  };
}

/**
 * Columns headed with a question's words carry its answers: each guest's row gets them, checked as
 * the form checks them (an answer that does not fit is left out, and its row's result says so).
 * A per-person question's column is the guest's own answer.
 */
function answersFromColumns(book: Workbook, pasted: Pasted, plan: ImportPlan): Map<PasteEntry, string> {
  const notes = new Map<PasteEntry, string>();
  const questions = book.questions()?.read().questions ?? [];
  if (!questions.length) return notes;
  plan.requests.forEach((req, i) => {
    const e = plan.asked[i];
    const texts: Answers = {};
    const problems: string[] = [];
    for (const q of questions) {
      const raw = String(pasted.under(q.label, e.sheetRow) ?? '').trim();
      if (!raw) continue;
      const values = q.type === 'several choices' ? raw.split(/[,;\n]/) : [raw];
      const a = checkAnswer({ ...q, required: false }, values);
      if (a.ok) texts[q.label] = [a.text];
      else problems.push(`"${q.label}" not taken (${a.error})`);
    }
    const cells = answerCells(questions, texts, req.name, []);
    if (Object.keys(cells).length) req.answers = cells;
    if (problems.length) notes.set(e, problems.join('; '));
  });
  return notes;
}

/** What became of the emails this import queued (and only those), read back after the send. */
function mailNote(book: Workbook, queued: readonly { id: string }[], quiet: QuietHours | null): string {
  if (!queued.length) return '';
  const ids = new Set(queued.map((e) => e.id));
  const mine = book.outbox.entries().filter((e) => ids.has(e.id));
  const sent = mine.filter((e) => e.status === 'sent').length;
  const failed = mine.filter((e) => e.status === 'failed').length;
  const waiting = mine.length - sent - failed;
  const held = mine.filter((e) => e.status === 'queued' && holdReason(e, Date.now(), quiet)).length;
  return (
    ` Emails from this import: ${sent} sent` +
    (held ? `, ${held} held by quiet hours (Settings)` : '') +
    (waiting - held ? `, ${waiting - held} queued for the next runs` : '') +
    (failed ? `, ${failed} failed (see the Outbox)` : '') +
    '.'
  );
}
