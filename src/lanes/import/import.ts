/**
 * The host import lane: the Import sheet's rows become seat requests, in list order, as one keeper
 * transaction (so an import cannot pass the cap, whatever else arrives at the same moment). Each
 * row gets its result beside it; rows with a result are not imported again.
 */
import { mailboxKey } from '../../core/email';
import { Outcome, SeatRequest } from '../../core/keeper';
import { PasteEntry, parsePaste } from '../../core/paste';
import { keeper } from '../../keeper/keeper';
import { drainOutbox } from '../../messenger/send';
import { NOT_SET_UP_MESSAGE, Workbook, toast } from '../../sheets/workbook';

/** Leave the rest of the 6-minute execution to the drain trigger. */
const SEND_BUDGET_MS = 3 * 60e3;

export function resultText(o: Outcome): string {
  switch (o.result) {
    case 'waitlisted':
      return `waitlisted #${o.position}`;
    case 'already-confirmed':
      return 'already confirmed';
    case 'already-waitlisted':
      return `already #${o.position} on the waitlist`;
    case 'already-offered':
      return 'already offered a seat';
    case 'already-invited':
      return 'already invited';
    case 'closed':
      return 'registration has closed';
    default:
      return o.result;
  }
}

export interface ImportSummary {
  imported: number;
  confirmed: number;
  waitlisted: number;
  invited: number;
  already: number;
  duplicates: number;
  invalid: number;
}

export function summaryText(s: ImportSummary): string {
  const parts = [`${s.imported} imported`];
  if (s.confirmed) parts.push(`${s.confirmed} confirmed`);
  if (s.waitlisted) parts.push(`${s.waitlisted} waitlisted`);
  if (s.invited) parts.push(`${s.invited} invited`);
  if (s.already) parts.push(`${s.already} already on the list`);
  if (s.duplicates) parts.push(`${s.duplicates} duplicates in the paste`);
  if (s.invalid) parts.push(`${s.invalid} invalid`);
  return parts.join(', ');
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
  const entries = parsePaste(pasted.cells, 2, pasted.done);
  if (!entries.length)
    return { ok: true, message: 'Nothing to import: paste names and emails into the Import sheet first.' };

  const results = new Map<number, string[]>();
  const note = (e: PasteEntry, text: string) => {
    const list = results.get(e.sheetRow) ?? [];
    list[e.line] = text;
    results.set(e.sheetRow, list);
  };
  const summary: ImportSummary = {
    imported: 0,
    confirmed: 0,
    waitlisted: 0,
    invited: 0,
    already: 0,
    duplicates: 0,
    invalid: 0,
  };
  const first = new Map<string, PasteEntry>();
  const requests: SeatRequest[] = [];
  const asked: PasteEntry[] = [];
  for (const e of entries) {
    // One seat per mailbox: ada+1@gmail.com and a.da@gmail.com in one paste are one guest.
    const seen = e.email ? first.get(mailboxKey(e.email)) : undefined;
    if (e.problem) {
      summary.invalid++;
      note(e, e.problem);
    } else if (seen) {
      summary.duplicates++;
      note(e, `duplicate of row ${seen.sheetRow}`);
    } else {
      first.set(mailboxKey(e.email), e);
      requests.push({ email: e.email, name: e.name, lane: 'import', mode });
      asked.push(e);
    }
  }

  // Emails are queued: a long list must not wait on, or stop at, the mail quota.
  const tx = requests.length ? keeper.importBatch(requests) : null;
  if (tx && !tx.ok) return { ok: false, message: `Nothing was imported: ${tx.message}` };
  tx?.decision.outcomes.forEach((o, i) => {
    note(asked[i], resultText(o));
    if (o.result.startsWith('already')) summary.already++;
    else {
      summary.imported++;
      if (o.result === 'confirmed' || o.result === 'waitlisted' || o.result === 'invited')
        summary[o.result]++;
    }
  });

  // One write of the Result column; rows imported before keep their result.
  const byRow = new Map(
    [...results].map(([row, lines]) => [row, lines.filter((x) => x !== undefined).join('\n')]),
  );
  table.writeResults(pasted, byRow);
  const text = summaryText(summary);
  book.log.planAppend(
    [
      {
        email: '',
        name: '',
        from: '',
        to: '',
        lane: 'import',
        detail: `${mode === 'invite' ? 'invites' : 'pre-confirmed'}: ${text}`,
      },
    ],
    new Date(),
  )();
  book.flush();
  const sent = drainOutbox(500, Date.now() + SEND_BUDGET_MS);
  const mail = sent.queued ? ` Emails: ${sent.sent} sent now, ${sent.queued} queued for the next runs.` : '';
  return { ok: true, message: `${text}.${mail}`, summary };
}
