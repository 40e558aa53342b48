/**
 * A leader's later rounds (issue 24): under a burst one execution runs several keeper transactions in
 * one lock hold, and each round after the first reads less than the first (the Settings block by its
 * known size, sheets grown with room to spare, durable answers written with the next round's marks
 * or after the lock). Each must stay right while the host edits the sheet between two rounds.
 */
import { REALISTIC_LATENCY } from '../../emulator/backend';
import { ExecutionResult, Runtime, webEvent } from '../../emulator/runtime';
import { checkInvariants, guests, jsonOf, setUpRuntime } from '../helpers';

const post = (n: string) =>
  webEvent(
    'POST',
    {},
    {
      type: 'application/x-www-form-urlencoded',
      contents: `name=${n}&email=${n}%40example.com&format=json`,
    },
  );

/** Sign-ups arriving 40 ms apart under the realistic latency model: a leader runs several rounds. */
async function burst(rt: Runtime, names: string[]): Promise<ExecutionResult[]> {
  const t0 = rt.backend.now();
  return rt.runConcurrently(
    names.map((n, i) => ({
      fn: 'doPost',
      args: [post(n)],
      opts: { context: 'webapp' as const, at: t0 + 40 * i },
    })),
  );
}

const NAMES = Array.from({ length: 14 }, (_, i) => `g${String(i).padStart(2, '0')}`);

describe("a leader's later rounds", () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('the host inserts a row in Settings between two rounds: the next round still finds every setting', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    // A setting below the summary block, where Set up puts one a newer version added.
    const rows = rt.backend.sheetRaw('Settings');
    const at = rows.findIndex((r) => r[0] === 'Capacity') + 1;
    rt.backend.hostEdit('Settings', `A${at}:B${at}`, [['', '']]);
    rt.backend.hostEdit('Settings', `A${rows.length + 1}:B${rows.length + 1}`, [['Capacity', 3]]);
    Object.assign(rt.backend.opts, { latency: REALISTIC_LATENCY });
    let leader: string | null = null;
    // As the first round's writes land, the host inserts a row at the top: every row moves down one,
    // and the Capacity row is now below the block the first round read.
    rt.backend.onCall = (ex, method) => {
      if (method === 'flush' && !leader) {
        leader = ex.id;
        rt.backend.hostInsertRows('Settings', 1, 1);
      }
    };
    const runs = await burst(rt, NAMES);
    rt.backend.onCall = null;
    // The leader went on to at least one more round after the insert (else this proves nothing).
    const led = runs.find((r) => r.execId === leader)!;
    expect(led.callsInLock.flush).toBeGreaterThan(1);
    const answers = runs.map((r) => jsonOf(r).status);
    expect(answers.filter((s) => s === 'confirmed')).toHaveLength(3);
    expect(answers.filter((s) => s === 'waitlisted')).toHaveLength(NAMES.length - 3);
    checkInvariants(rt, 3);
  });

  test('a sheet that must grow grows with room to spare: the next rounds append without growing it', async () => {
    rt = await setUpRuntime({ capacity: 100 });
    const grid = () => rt.backend.ss.byName('Guests')!.maxRows;
    // The Guests grid exactly full, as a sheet grown row by row would be.
    const filled = Array.from({ length: 998 }, (_, i) => [
      `'seed${i}@example.com`,
      `'Seed ${i}`,
      'cancelled',
    ]);
    rt.backend.hostEdit('Guests', `A2:C999`, filled);
    expect(grid()).toBe(1000);
    Object.assign(rt.backend.opts, { latency: REALISTIC_LATENCY });
    const runs = await burst(rt, NAMES);
    const statuses = runs.map((r) => jsonOf(r).status);
    expect(statuses).toEqual(NAMES.map(() => 'confirmed'));
    // Every sign-up has its row (none written past the grid), and the grid grew once, with room.
    expect(guests(rt).filter((g) => g.status === 'confirmed')).toHaveLength(NAMES.length);
    const inserts = runs.reduce((a, r) => a + (r.calls['sheet.insertRowsAfter'] ?? 0), 0);
    const multiRow = runs.reduce((a, r) => a + (r.callsInLock.flush ?? 0), 0) < NAMES.length;
    expect(multiRow).toBe(true);
    expect(grid()).toBeGreaterThanOrEqual(999 + NAMES.length + 100);
    expect(inserts).toBeLessThanOrEqual(2);
    checkInvariants(rt, 100);
  });
});
