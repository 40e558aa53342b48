/**
 * A long import (issue 24) runs as several keeper transactions, one after another: the list keeps its
 * order across them, the cap holds, and a guest who signs up on the form meanwhile is answered while
 * the import is still running instead of waiting for all of it.
 */
import { REALISTIC_LATENCY } from '../../emulator/backend';
import { Runtime, webEvent } from '../../emulator/runtime';
import { text } from '../../scripts/sim/sheet';
import { checkInvariants, guests, jsonOf, setUpRuntime, sheetRecords } from '../helpers';

const ROWS = 2500;
/** The lane's transaction size (src/lanes/import/import.ts). */
const IMPORT_CHUNK = 1000;
const CAPACITY = 1200;

async function paste(rt: Runtime): Promise<void> {
  rt.backend.ss.byName('Import')!.maxRows = ROWS + 1;
  rt.backend.hostEdit(
    'Import',
    `A2:B${ROWS + 1}`,
    Array.from({ length: ROWS }, (_, i) => [`'Guest ${i}`, `'imp${String(i).padStart(4, '0')}@example.com`]),
  );
}

describe('a long import', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('runs in transactions of a thousand: list order and the cap hold across them, and a sign-up goes in between', async () => {
    const start = async () => {
      rt = await setUpRuntime({ capacity: CAPACITY });
      await paste(rt);
      Object.assign(rt.backend.opts, { latency: REALISTIC_LATENCY });
    };
    // When the import's first transaction writes: learned from a first run (the clock is seeded).
    await start();
    let t0 = rt.backend.now();
    let firstFlush: number | null = null;
    rt.backend.onCall = (ex, method) => {
      if (ex.fn === 'importConfirmed' && method === 'flush' && firstFlush === null)
        firstFlush = rt.backend.now() - t0;
    };
    expect((await rt.run('importConfirmed', [], { context: 'editor' })).ok).toBe(true);
    await rt.close();
    expect(firstFlush).not.toBeNull();
    // Again, with a guest submitting the form as that transaction writes.
    await start();
    t0 = rt.backend.now();
    const post = webEvent(
      'POST',
      {},
      {
        type: 'application/x-www-form-urlencoded',
        contents: 'name=Walk+In&email=walk%40example.com&format=json',
      },
    );
    const [imp, form] = await rt.runConcurrently([
      { fn: 'importConfirmed', args: [], opts: { context: 'editor' as const, at: t0 } },
      { fn: 'doPost', args: [post], opts: { context: 'webapp' as const, at: t0 + firstFlush! } },
    ]);
    expect(imp.ok).toBe(true);
    expect(imp.callsInLock.flush).toBeGreaterThanOrEqual(3);
    expect(['confirmed', 'waitlisted']).toContain(jsonOf(form).status);
    // Rows in arrival order (each transaction appends): the list in its own order, and the sign-up
    // between two of its transactions, after the first (in one transaction it would come last).
    const rows = guests(rt);
    const emails = rows.map((g) => g.email);
    const walk = emails.indexOf('walk@example.com');
    expect(walk).toBeGreaterThanOrEqual(IMPORT_CHUNK);
    expect(walk).toBeLessThan(rows.length - 1);
    const list = emails.filter((e) => e !== 'walk@example.com');
    expect(list).toEqual([...list].sort());
    // The cap: the first CAPACITY to arrive are confirmed; the rest wait, numbered in arrival order.
    expect(rows.map((g) => g.status)).toEqual(
      rows.map((_, i) => (i < CAPACITY ? 'confirmed' : 'waitlisted')),
    );
    expect(rows.slice(CAPACITY).map((g) => g.position)).toEqual(rows.slice(CAPACITY).map((_, i) => i + 1));
    // Every Import row has its result.
    const results = sheetRecords(rt, 'Import').map((r) => text(r, 'Result'));
    expect(results.filter((r) => !r)).toEqual([]);
    checkInvariants(rt, CAPACITY);
  }, 120000);

  test('a transaction that fails part-way: the rows it did not reach stay for the next import, none is imported twice', async () => {
    rt = await setUpRuntime({ capacity: CAPACITY });
    await paste(rt);
    // As the first transaction writes, the host renames a Guests column: the next one refuses to run.
    let renamed = false;
    rt.backend.onCall = (ex, method) => {
      if (ex.fn === 'importConfirmed' && method === 'flush' && !renamed) {
        renamed = true;
        rt.backend.hostEdit('Guests', 'C1', [['State']]);
      }
    };
    const first = await rt.run('importConfirmed', [], { context: 'editor' });
    rt.backend.onCall = null;
    expect(String(first.result)).toContain(`Only the first ${IMPORT_CHUNK} of ${ROWS} were imported`);
    const results = () => sheetRecords(rt, 'Import').map((r) => text(r, 'Result'));
    expect(results().filter(Boolean)).toHaveLength(IMPORT_CHUNK);
    expect(results().slice(IMPORT_CHUNK).filter(Boolean)).toEqual([]);
    expect(rt.backend.sheetRaw('Guests').length - 1).toBe(IMPORT_CHUNK);
    // The host puts the column back and imports again: the rest, once each, in list order.
    rt.backend.hostEdit('Guests', 'C1', [['Status']]);
    expect((await rt.run('importConfirmed', [], { context: 'editor' })).ok).toBe(true);
    const emails = guests(rt).map((g) => g.email);
    expect(emails).toHaveLength(ROWS);
    expect(new Set(emails).size).toBe(ROWS);
    expect(emails).toEqual([...emails].sort());
    expect(results().filter((r) => !r)).toEqual([]);
    checkInvariants(rt, CAPACITY);
  }, 120000);
});
