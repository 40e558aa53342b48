/**
 * What an import does with the pasted rows, and how it reports them: one request per mailbox in
 * list order, invalid lines and repeats noted instead, each row's result in words. Pure.
 */
import { mailboxKey } from './email';
import { Outcome, SeatRequest } from './keeper';
import { PasteEntry } from './paste';

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
    case 'too-large':
      return 'party larger than Settings → Largest party: not imported';
    default:
      return o.result;
  }
}

/**
 * Whether a Result cell holds only words the import writes (resultText, the problems of paste.ts and
 * planImport), one per pasted line: a result from a version before the Result note. A host's own
 * text ("Vegan", "2", "VIP table") is not.
 */
export function isImportResult(text: string): boolean {
  const lines = text.split('\n').map((l) => l.trim());
  return lines.length > 0 && lines.every((l) => RESULT_LINE.test(l));
}

const RESULT_LINE =
  /^(confirmed|invited|closed|not-found|waitlisted #\d+|already confirmed|already #\d+ on the waitlist|already offered a seat|already invited|already-\w+|registration has closed|duplicate of row \d+|no email|malformed email: .+|.+[:;] not imported)$/;

export interface ImportSummary {
  imported: number;
  confirmed: number;
  waitlisted: number;
  invited: number;
  /** Seats left after an invite import: invitees hold none, so more invitees than this means a wait. */
  seatsLeft?: number;
  already: number;
  duplicates: number;
  invalid: number;
}

/** Invitees hold no seat: say how many could only join the waitlist if they all accepted now. */
function waitlistedIfAccepted(invited: number, seatsLeft: number | undefined): string {
  if (seatsLeft === undefined || invited <= seatsLeft) return '';
  if (seatsLeft === 0)
    return ` (the event is full: ${invited === 1 ? 'they' : `all ${invited}`} will be waitlisted if they accept)`;
  return ` (${seatsLeft} seat${seatsLeft === 1 ? '' : 's'} left: ${invited - seatsLeft} will be waitlisted if they all accept)`;
}

export function summaryText(s: ImportSummary): string {
  const parts = [`${s.imported} imported`];
  if (s.confirmed) parts.push(`${s.confirmed} confirmed`);
  if (s.waitlisted) parts.push(`${s.waitlisted} waitlisted`);
  if (s.invited) parts.push(`${s.invited} invited${waitlistedIfAccepted(s.invited, s.seatsLeft)}`);
  if (s.already) parts.push(`${s.already} already on the list`);
  if (s.duplicates) parts.push(`${s.duplicates} duplicates in the paste`);
  if (s.invalid) parts.push(`${s.invalid} invalid`);
  return parts.join(', ');
}

export interface ImportPlan {
  /** One request per mailbox, in list order, and the pasted line each came from. */
  requests: SeatRequest[];
  asked: PasteEntry[];
  /** Each sheet row's result lines (a cell may hold several pasted lines). */
  notes: Map<number, string[]>;
  summary: ImportSummary;
}

function note(plan: ImportPlan, e: PasteEntry, text: string): void {
  const list = plan.notes.get(e.sheetRow) ?? [];
  list[e.line] = text;
  plan.notes.set(e.sheetRow, list);
}

/** The requests to make, and what is already known about each line (invalid, a repeat). */
/**
 * A row's Party cell: blank is no party said (1); otherwise a whole number from 1 to the largest
 * party, or the problem that keeps the row out of the import.
 */
export function importParty(raw: unknown, largest: number): { party?: number } | { problem: string } {
  const text = String(raw ?? '').trim();
  if (!text) return {};
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1 && n <= largest) return n > 1 ? { party: n } : {};
  return {
    problem:
      largest <= 1
        ? `party "${text}": plus-ones are off (Settings → Largest party is 1); not imported`
        : `party "${text}" is not a whole number from 1 to ${largest}; not imported`,
  };
}

export function planImport(
  entries: readonly PasteEntry[],
  mode: SeatRequest['mode'],
  /** The Party cell of a sheet row (a cell with several pasted lines: each of them). */
  partyAt: (sheetRow: number) => unknown = () => '',
  largest = 1,
): ImportPlan {
  const plan: ImportPlan = {
    requests: [],
    asked: [],
    notes: new Map(),
    summary: { imported: 0, confirmed: 0, waitlisted: 0, invited: 0, already: 0, duplicates: 0, invalid: 0 },
  };
  const first = new Map<string, PasteEntry>();
  // Guests per sheet row: a cell may hold several pasted addresses (a To: line).
  const perRow = new Map<number, number>();
  for (const e of entries) if (e.email) perRow.set(e.sheetRow, (perRow.get(e.sheetRow) ?? 0) + 1);
  for (const e of entries) {
    // One seat per mailbox: ada+1@gmail.com and a.da@gmail.com in one paste are one guest.
    const seen = e.email ? first.get(mailboxKey(e.email)) : undefined;
    // A party said under the paste's own Party header, else the sheet's Party cell.
    let party = importParty(e.party ?? partyAt(e.sheetRow), largest);
    // A party size beside several guests is not guessed at (each of them that many? all of them
    // together?): the row stays out, said why.
    const together = perRow.get(e.sheetRow) ?? 0;
    if ('party' in party && together > 1)
      party = {
        problem: `party ${party.party} beside ${together} guests: put each guest on their own row; not imported`,
      };
    if (e.problem || 'problem' in party) {
      plan.summary.invalid++;
      note(plan, e, e.problem ?? ('problem' in party ? party.problem : ''));
    } else if (seen) {
      plan.summary.duplicates++;
      note(plan, e, `duplicate of row ${seen.sheetRow}`);
    } else {
      first.set(mailboxKey(e.email), e);
      plan.requests.push({ email: e.email, name: e.name, lane: 'import', mode, ...party });
      plan.asked.push(e);
    }
  }
  return plan;
}

/** The keeper's outcome of each request, noted beside its line and counted. */
export function recordOutcomes(plan: ImportPlan, outcomes: readonly Outcome[]): void {
  outcomes.forEach((o, i) => {
    note(plan, plan.asked[i], resultText(o));
    if (o.result.startsWith('already')) plan.summary.already++;
    else {
      plan.summary.imported++;
      if (o.result === 'confirmed' || o.result === 'waitlisted' || o.result === 'invited')
        plan.summary[o.result]++;
    }
  });
}

/** Each sheet row's result, one line per pasted line. */
export function resultsByRow(plan: ImportPlan): Map<number, string> {
  return new Map(
    [...plan.notes].map(([row, lines]) => [row, lines.filter((x) => x !== undefined).join('\n')]),
  );
}
