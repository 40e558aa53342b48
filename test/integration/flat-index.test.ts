/**
 * Issue 24: a seat request decided from the Index (counts Sheets computes) and a search for the
 * requester's own mailbox, not a read of every row, through the built bundle. It must give the
 * answer a read of every row gives, fall back to that read whenever the rows are not settled, and a
 * stale index trusted without that proof must be caught (the negative control).
 */
import * as path from 'path';
import { Runtime, readDist } from '../../emulator/runtime';
import { withStaleIndex } from '../../scripts/sim/workload';
import { checkInvariants, guests, jsonOf, setSetting, setUpRuntime, signUp, typedList } from '../helpers';

/** Above the Index threshold, and a list five times as long. */
const SIZES = [2000, 10000];

/** N confirmed guests typed into the sheet, then a recount (the host's list, settled). */
const bigList = (rt: Runtime, n: number) => typedList(rt, n);

const statusOf = (rt: Runtime, email: string) => guests(rt).find((g) => g.email === email);

describe.each(SIZES)('seat requests decided from the Index, %i guests', (N) => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('a sign-up reads a few hundred cells in the lock, and its answer is what every row says', async () => {
    rt = await setUpRuntime({ capacity: N + 2 });
    await bigList(rt, N);
    const reads: number[] = [];
    for (const who of ['a', 'b', 'c', 'd']) {
      const r = await signUp(rt, who, `${who}@example.com`);
      reads.push(r.cellsReadInLock);
      expect(jsonOf(r).status).toBe(who < 'c' ? 'confirmed' : 'waitlisted');
    }
    expect(jsonOf(await signUp(rt, 'D again', 'D@Example.com'))).toMatchObject({
      status: 'already-waitlisted',
      position: 2,
    });
    expect(statusOf(rt, 'd@example.com')).toMatchObject({ status: 'waitlisted', position: 2 });
    expect(Math.max(...reads)).toBeLessThan(500);
    checkInvariants(rt, N + 2);
  }, 120000);

  test.each([
    ['a status the keeper has not settled', 'C5', 'maybe'],
    ['a copied row', `A${N + 5}:J${N + 5}`, 'copy'],
    ['a gap in the waiting line', 'D', 'gap'],
    ['a number typed over an Index formula', 'Index!B2', 'typed'],
    ['a word typed over the Index guard', 'Index!C3', 'guard'],
    ['a status on a row without an email', `A${N + 5}:C${N + 5}`, 'no email'],
  ])(
    '%s: the keeper reads every row, and the answer is still right',
    async (_what, cell, edit) => {
      rt = await setUpRuntime({ capacity: N + 1 });
      await bigList(rt, N);
      await signUp(rt, 'w1', 'w1@example.com');
      await signUp(rt, 'w2', 'w2@example.com');
      await signUp(rt, 'w3', 'w3@example.com');
      // (edits made without the edit trigger: the sign-up comes first)
      if (edit === 'copy')
        rt.backend.hostEdit('Guests', cell, [rt.backend.sheetRaw('Guests')[1].slice(0, 10)]);
      else if (edit === 'gap') {
        const row = guests(rt).findIndex((g) => g.email === 'w3@example.com') + 2;
        rt.backend.hostEdit('Guests', `D${row}`, [[7]]);
      } else if (edit === 'typed') rt.backend.hostEdit('Index', 'F2', [[0]]);
      else if (edit === 'guard') rt.backend.hostEdit('Index', 'C3', [['ok']]);
      // A walk-in the host added without an email: it holds no seat.
      else if (edit === 'no email') rt.backend.hostEdit('Guests', cell, [['', 'Walk-in', 'confirmed']]);
      else rt.backend.hostEdit('Guests', cell, [[edit]]);
      const r = await signUp(rt, 'late', 'late@example.com');
      expect(r.cellsReadInLock).toBeGreaterThan(N * 11);
      expect(jsonOf(r)).toMatchObject({ status: 'waitlisted', position: 3 });
      // The copy is marked (not counted) by that read, and every other invariant holds.
      if (edit === 'copy')
        expect(guests(rt)[N + 3]).toMatchObject({ email: 'list0@example.com', status: 'duplicate' });
      // The walk-in row is left as typed (the keeper holds seats for rows with an email only).
      else if (edit === 'no email')
        expect(rt.backend.sheetRaw('Guests')[N + 4].slice(0, 3)).toEqual(['', 'Walk-in', 'confirmed']);
      else checkInvariants(rt, N + 1);
    },
    120000,
  );

  test('a row inserted below the header: Sheets rewrites the Index; that sign-up reads every row and puts it back', async () => {
    rt = await setUpRuntime({ capacity: N + 3 });
    await bigList(rt, N);
    expect(jsonOf(await signUp(rt, 'w1', 'w1@example.com'))).toMatchObject({ status: 'confirmed' });
    // The Index's ranges now start at row 3 (as Sheets rewrites them), so they would miss row 2.
    rt.backend.hostInsertRows('Guests', 1, 1);
    expect(rt.backend.ss.byName('Index')!.rows[1][0].f).toContain('Guests!A3:A');
    rt.backend.hostEdit('Guests', 'A2:C2', [['typed@example.com', 'Typed', 'confirmed']]);
    const first = await signUp(rt, 'w2', 'w2@example.com');
    expect(first.cellsReadInLock).toBeGreaterThan(N * 11);
    expect(jsonOf(first)).toMatchObject({ status: 'confirmed' });
    // Put back after that lock: the next sign-up is decided from it, and counts row 2's guest.
    const next = await signUp(rt, 'w3', 'w3@example.com');
    expect(next.cellsReadInLock).toBeLessThan(500);
    expect(jsonOf(next)).toMatchObject({ status: 'waitlisted', position: 1 });
    checkInvariants(rt, N + 3);
  }, 120000);

  test('a renamed Guests column: the Index copy of the header sees it, and the keeper says what is wrong', async () => {
    rt = await setUpRuntime({ capacity: N + 1 });
    await bigList(rt, N);
    expect(jsonOf(await signUp(rt, 'w1', 'w1@example.com'))).toMatchObject({ status: 'confirmed' });
    rt.backend.hostEdit('Guests', 'C1', [['State']]);
    const before = rt.backend.sheetRaw('Guests');
    const r = jsonOf(await signUp(rt, 'w2', 'w2@example.com'));
    expect(r).toMatchObject({ status: 'error' });
    expect(String(r.detail)).toContain('column C should be "Status" (found "State")');
    expect(rt.backend.sheetRaw('Guests')).toEqual(before);
  }, 120000);

  test('the 10-minute run reads a big list before the lock, and inside it only when a row must change', async () => {
    rt = await setUpRuntime({ capacity: N + 1, settings: { 'Claim window (hours)': 1 } });
    await bigList(rt, N);
    await signUp(rt, 'w1', 'w1@example.com');
    await signUp(rt, 'w2', 'w2@example.com');
    const quiet = await rt.run('sendQueuedEmails', [], { context: 'trigger' });
    expect(quiet.ok).toBe(true);
    expect(quiet.cellsReadInLock).toBeLessThan(N);
    // A seat frees: the next run must change rows (an offer), so it reads every row inside the lock.
    const row = guests(rt).findIndex((g) => g.email === 'list3@example.com') + 2;
    rt.backend.hostEdit('Guests', `C${row}`, [['cancelled']]);
    const busy = await rt.run('sendQueuedEmails', [], { context: 'trigger' });
    expect(busy.cellsReadInLock).toBeGreaterThan(N * 11);
    expect(statusOf(rt, 'w2@example.com')).toMatchObject({ status: 'offered' });
    checkInvariants(rt, N + 1);
  }, 120000);

  test('negative control: an index read earlier and trusted without that proof oversells, and the check catches it', async () => {
    const { code, files } = readDist(path.join(__dirname, '..', '..', 'dist'));
    rt = new Runtime({
      backendOptions: { url: 'http://localhost:8080/exec' },
      code: withStaleIndex(code),
      files,
    });
    expect((await rt.run('setUp', [], { context: 'editor' })).ok).toBe(true);
    setSetting(rt, 'Capacity', N + 2);
    await rt.web('GET');
    await bigList(rt, N);
    for (const who of ['a', 'b', 'c', 'd'])
      expect(jsonOf(await signUp(rt, who, `${who}@example.com`)).status).toBe('confirmed');
    expect(guests(rt).filter((g) => g.status === 'confirmed').length).toBe(N + 4);
    expect(() => checkInvariants(rt, N + 2)).toThrow();
  }, 60000);
});
