/**
 * Warnings about size, before size hurts (issue 24): Google's limit of 10 million cells in one
 * spreadsheet (past it no row can be added, so sign-ups fail), and the time the keeper spends reading
 * inside the lock (past about half of the 20 s a sign-up waits for it, guests start to be told
 * "busy"). Pure: the sizes come from the dashboard's read.
 */
export const MAX_CELLS = 10_000_000;

/** Cells the keeper reads per row, inside the lock: Guests (every transaction) and Log (the 10-minute run). */
const GUEST_COLUMNS = 11;
const LOG_COLUMNS = 7;

/**
 * Modelled time to read one cell, measured by `npm run bench -- --scale` (the 10-minute run held the
 * lock 8.65 s for 901.9 k cells at 50,000 guests): an estimate, on the cautious side.
 */
export const MS_PER_CELL_READ = 0.01;

/** A sixth of an execution's 6 minutes: past it the run's reads crowd out sending the mail. */
const RUN_READ_BUDGET_MS = 60e3;

export interface SizeInput {
  cells: number;
  guests: number;
  log: number;
  /** How long a sign-up waits for the lock before it is answered "busy". */
  lockWaitMs: number;
}

export function sizeWarnings({ cells, guests, log, lockWaitMs }: SizeInput): string[] {
  const out: string[] = [];
  if (cells >= 0.8 * MAX_CELLS)
    out.push(
      `The spreadsheet holds ${Math.round(cells / 1e5) / 10} million of Google's 10 million cells: near the limit no row can be added and sign-ups fail. Copy old Log and Outbox rows to another file and delete them here, or delete empty rows and columns.`,
    );
  // A sign-up reads a few cells whatever the list (the Index, issue 24). The 10-minute run reads
  // Guests and the Log before the lock, and every row of Guests inside it when it changes a row
  // (an offer, an expiry): that read is what others wait for, and both count against its 6 minutes.
  const lockMs = guests * GUEST_COLUMNS * MS_PER_CELL_READ;
  const runMs = (2 * guests * GUEST_COLUMNS + log * LOG_COLUMNS) * MS_PER_CELL_READ;
  const budget = lockWaitMs / 2;
  if (lockMs >= budget || runMs >= RUN_READ_BUDGET_MS)
    out.push(
      `With ${guests.toLocaleString('en')} rows in Guests and ${log.toLocaleString('en')} in the Log, the 10-minute run reads for about ${(runMs / 1000).toFixed(1)} s, ${(lockMs / 1000).toFixed(1)} s of it while sign-ups wait whenever it changes a row (a guest waits at most ${lockWaitMs / 1000} s before being told "busy"). Copy old Log rows to another file and delete them here; move cancelled guests of past events out of Guests.`,
    );
  return out;
}
