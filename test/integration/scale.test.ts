/**
 * Issue 24, the parts that keep the lock short as the list grows, through the built bundle: the
 * 10-minute run reads the Log before the lock and only its tail inside it, and the keeper reads its
 * own columns of Guests, not the whole sheet.
 */
import { Runtime, webEvent } from '../../emulator/runtime';
import { logRows, setUpRuntime } from '../helpers';

const signUp = (i: number) =>
  webEvent(
    'POST',
    {},
    {
      type: 'application/x-www-form-urlencoded',
      contents: `name=Guest+${i}&email=guest${i}%40example.com&format=json`,
    },
  );

describe('a lock that does not grow with the list', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('sign-ups logged while the 10-minute run waits for the lock are in its Log tail: none is logged twice', async () => {
    rt = await setUpRuntime({ capacity: 50 });
    const t0 = rt.backend.now() + 1000;
    // The run starts while the first sign-ups hold the lock: it reads the Log before their flush,
    // waits, and reads what they logged as the tail.
    const runs = await rt.runConcurrently([
      ...Array.from({ length: 20 }, (_, i) => ({
        fn: 'doPost',
        args: [signUp(i)],
        opts: { context: 'webapp' as const, at: t0 + 40 * (i % 4) },
      })),
      { fn: 'recount', opts: { context: 'editor' as const, at: t0 + 300 } },
    ]);
    expect(runs.filter((r) => !r.ok).map((r) => r.error?.message)).toEqual([]);
    const recount = runs[20];
    expect(recount.lockWaitMs).toBeGreaterThan(0);
    const log = logRows(rt);
    for (let i = 0; i < 20; i++)
      expect(log.filter((l) => l.email === `guest${i}@example.com`).map((l) => `${l.from}→${l.to}`)).toEqual([
        'new→confirmed',
      ]);
    // Then the host deletes Log rows while another run waits: it reads the Log again whole and
    // logs nothing twice either (the deleted rows are the host's business).
    await rt.hostDeleteRows('Log', 2, 3);
    const before = logRows(rt).length;
    const again = await rt.runConcurrently([
      { fn: 'doPost', args: [signUp(99)], opts: { context: 'webapp' as const, at: rt.backend.now() + 500 } },
      { fn: 'recount', opts: { context: 'editor' as const, at: rt.backend.now() + 600 } },
    ]);
    expect(again.every((r) => r.ok)).toBe(true);
    const after = logRows(rt);
    expect(after.filter((l) => l.email === 'guest99@example.com')).toHaveLength(1);
    expect(after.length).toBeGreaterThanOrEqual(before + 1);
  }, 60000);

  test("the keeper reads its own columns only: the host's columns to the right of Party cost the lock nothing", async () => {
    const cellsFor = async (extra: number) => {
      rt = await setUpRuntime({ capacity: 500 });
      await rt.runConcurrently(
        Array.from({ length: 100 }, (_, i) => ({
          fn: 'doPost',
          args: [signUp(i)],
          opts: { context: 'webapp' as const },
        })),
      );
      if (extra) {
        // The host's own columns beside the list (say, a column per question they ask on paper).
        rt.backend.ss.byName('Guests')!.maxColumns = 12 + extra;
        rt.backend.hostEdit(
          'Guests',
          `M1:${String.fromCharCode(76 + extra)}101`,
          Array.from({ length: 101 }, (_, r) =>
            Array.from({ length: extra }, (_, c) => (r ? `note ${r}.${c}` : `Host ${c}`)),
          ),
        );
      }
      const one = await rt.run('doPost', [signUp(500)], { context: 'webapp' });
      expect(one.ok).toBe(true);
      await rt.close();
      return one.cellsReadInLock;
    };
    const plain = await cellsFor(0);
    const wide = await cellsFor(10);
    expect(plain).toBeGreaterThan(100 * 11);
    expect(wide).toBe(plain);
  }, 60000);
});
