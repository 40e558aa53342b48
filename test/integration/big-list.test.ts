/**
 * The host sorts Guests while a guest's request runs, at 10,000 guests (issue 24): above the Index
 * threshold a sign-up is decided from the Index and a search, and a confirmation reads every row and
 * writes its row by number. A sort at any moment of either must leave every guest as they were but
 * the one who asked, with that one's row once and right.
 */
import { Runtime } from '../../emulator/runtime';
import { checkInvariants, guests, jsonOf, setUpRuntime, signUp, typedList } from '../helpers';

const N = 10000;
const INVITED = 5;

/** N guests typed into the sheet: confirmed, but for the last few, invited (pending), then a recount. */
const bigList = (rt: Runtime) =>
  typedList(rt, N, {
    email: (i) => `list${String(i).padStart(5, '0')}@example.com`,
    status: (i) => (i >= N - INVITED ? 'invited' : 'confirmed'),
  });

/** Each guest's state, by email: what the sort must not change (but for the one who asked). */
const states = (rt: Runtime) =>
  new Map(guests(rt).map((g) => [g.email, `${g.status}/${g.position}/${g.token}/${g.party}`]));

/**
 * Runs `ask` once to learn its span, then again at each of `steps + 1` moments across that span with
 * the host sorting Guests (Z to A by email: the asker's row moves) at that moment.
 */
async function sweep(
  ask: (rt: Runtime) => Promise<Record<string, unknown>>,
  asker: string,
  want: Record<string, unknown>,
  steps: number,
): Promise<void> {
  let rt = await setUpRuntime({ capacity: N + 10 });
  await bigList(rt);
  const t0 = rt.backend.now();
  await ask(rt);
  const span = rt.backend.now() - t0;
  await rt.close();
  let sortedAfterWrite = 0;
  try {
    for (let k = 0; k <= steps; k++) {
      rt = await setUpRuntime({ capacity: N + 10 });
      await bigList(rt);
      const before = states(rt);
      const sheet = rt.backend.ss.byName('Guests')!;
      rt.backend.sim!.schedule(rt.backend.now() + Math.round((span * k) / steps), `sort#${k}`, () => {
        if (guests(rt).some((g) => g.email === asker && g.status === want.status)) sortedAfterWrite++;
        rt.backend.ss.sortRows(sheet.id, 1, 1, false);
      });
      expect([k, await ask(rt)]).toEqual([k, expect.objectContaining(want)]);
      await rt.settle();
      const after = states(rt);
      const mine = guests(rt).filter((g) => g.email === asker);
      expect([k, mine.map((g) => g.status)]).toEqual([k, [want.status]]);
      // Everyone else exactly as before the sort.
      const changed = [...after].filter(([email, s]) => email !== asker && before.get(email) !== s);
      expect([k, changed]).toEqual([k, []]);
      expect(after.size).toBe(before.has(asker) ? before.size : before.size + 1);
      checkInvariants(rt, N + 10);
      await rt.close();
    }
  } finally {
    await rt.close();
  }
  // The sweep reached the window that matters: sorts before the write landed, and after.
  expect(sortedAfterWrite).toBeGreaterThan(0);
  expect(sortedAfterWrite).toBeLessThan(steps + 1);
}

describe(`the host sorts Guests at ${N.toLocaleString('en')} guests`, () => {
  test('during a sign-up (decided from the Index): the new guest lands once, nobody else moves', async () => {
    await sweep(
      async (rt) => jsonOf(await signUp(rt, 'Ada', 'ada@example.com')),
      'ada@example.com',
      { status: 'confirmed' },
      12,
    );
  }, 300000);

  test('during an invited guest confirming (its row written by number): the right row changes', async () => {
    const asker = `list${String(N - 1).padStart(5, '0')}@example.com`;
    await sweep(
      async (rt) =>
        jsonOf(await rt.postForm({ action: 'confirm', t: `list-token-${N - 1}`, format: 'json' })),
      asker,
      { status: 'confirmed' },
      12,
    );
  }, 300000);
});
