/**
 * A dry run before a capacity change (issue 26), through the built bundle: the preview says who is
 * offered and who passed over, the emails and the quota, and writes nothing; Apply does what it said,
 * and says what differed when the sheet moved in between.
 */
import { Runtime } from '../../emulator/runtime';
import { setUpRuntime, signUp } from '../helpers';

async function call(rt: Runtime, fn: string, ...args: unknown[]): Promise<unknown> {
  const r = await rt.scriptRun(fn, args, 'sidebar');
  if (!r.ok) throw new Error(`${fn} failed: ${r.error}`);
  return r.result;
}

const state = (rt: Runtime) =>
  JSON.stringify(['Guests', 'Outbox', 'Log', 'Settings'].map((n) => rt.backend.sheetRaw(n)));

describe('a dry run before a change', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('+2 seats: offers in waitlist order, a party too big passed over, emails and quota; nothing written; Apply does it', async () => {
    rt = await setUpRuntime({ capacity: 1, settings: { 'Largest party': 3, 'Quiet hours': 'off' } });
    await signUp(rt, 'Ann', 'ann@example.com');
    await signUp(rt, 'Dee', 'dee@example.com', { party: '3' });
    await signUp(rt, 'Bob', 'bob@example.com');
    await signUp(rt, 'Cy', 'cy@example.com', { party: '2' });
    const before = state(rt);
    const p = (await call(rt, 'previewCapacity', '3')) as {
      ok: true;
      text: string;
      offered: string[];
      confirmed: string[];
    };
    expect(p.text).toMatch(
      /^Capacity 1 → 3 \(\+2 seats\): offers to Bob; Dee \(party 3\) passed over \(too many for the seats free\); 1 email now, 0 held by quiet hours; today's quota left after: \d+; 1 seat left after\.$/,
    );
    expect(state(rt)).toBe(before);
    const applied = (await call(rt, 'applyCapacity', '3', {
      offered: p.offered,
      confirmed: p.confirmed,
    })) as string;
    expect(applied).toMatch(/^Done: offers to Bob;/);
    expect(applied).not.toMatch(/changed since the preview/);
  });

  test('if the sheet changed in between, Apply says what differed', async () => {
    rt = await setUpRuntime({ capacity: 1, settings: { 'Quiet hours': 'off' } });
    await signUp(rt, 'Ann', 'ann@example.com');
    await signUp(rt, 'Bob', 'bob@example.com');
    const p = (await call(rt, 'previewCapacity', '2')) as { offered: string[]; confirmed: string[] };
    expect(p.offered).toEqual(['Bob']);
    // Bob leaves the waitlist before the host presses Apply; Cy joins it.
    const bob = rt.backend.sheetRaw('Guests').find((r) => r[0] === 'bob@example.com')!;
    await rt.postForm({ action: 'leave', t: String(bob[9]), format: 'json' });
    await signUp(rt, 'Cy', 'cy@example.com');
    const applied = (await call(rt, 'applyCapacity', '2', p)) as string;
    expect(applied).toContain(
      'The sheet changed since the preview: also offered: Cy; not offered after all: Bob.',
    );
  });

  test('lowering the capacity: nobody loses a seat, and the preview says so; a bad number changes nothing', async () => {
    rt = await setUpRuntime({ capacity: 3 });
    for (const x of ['a', 'b', 'c']) await signUp(rt, x.toUpperCase(), `${x}@example.com`);
    const before = state(rt);
    const p = (await call(rt, 'previewCapacity', '1')) as { text: string };
    expect(p.text).toContain('nobody is offered or confirmed');
    expect(p.text).toContain('Seats held are 2 over it: nobody loses a seat');
    expect(await call(rt, 'previewCapacity', 'ten')).toEqual({
      ok: false,
      message: 'Type the capacity as a whole number (0 or more).',
    });
    expect(await call(rt, 'applyCapacity', '-1', {})).toBe(
      'Type the capacity as a whole number (0 or more).',
    );
    expect(state(rt)).toBe(before);
    // Host-only, like every dashboard function: a guest's page cannot call it.
    expect((await rt.scriptRun('previewCapacity', ['5'], 'webapp')).ok).toBe(false);
  });
});

describe('a dry run of an import', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('says how many would be confirmed, waitlisted (at which positions) and emailed; writes nothing', async () => {
    rt = await setUpRuntime({ capacity: 2 });
    await signUp(rt, 'Ann', 'ann@example.com');
    await rt.hostEdit('Import', 'A2:B5', [
      ['Bob', 'bob@example.com'],
      ['Cy', 'cy@example.com'],
      ['Dee', 'dee@example.com'],
      ['Ann again', 'ann@example.com'],
    ]);
    const before = state(rt);
    expect(await call(rt, 'previewImportConfirmed')).toMatch(
      /^Import as pre-confirmed would make: 1 confirmed, 2 waitlisted \(#1–2\), 1 already on the list; 3 emails \(today's quota has \d+\)\. Nothing was written\.$/,
    );
    expect(await call(rt, 'previewImportPending')).toMatch(
      /^Import as pending invites would make: 3 invited, 1 already on the list;/,
    );
    expect(state(rt)).toBe(before);
    const done = await rt.run('importConfirmed', [], { context: 'editor' });
    expect(done.result).toMatch(/^3 imported, 1 confirmed, 2 waitlisted/);
  });
});

describe('a dry run of a deadline or a largest party', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('a deadline moved into the past: the waiting guests would be told; a larger party: who it lets in', async () => {
    rt = await setUpRuntime({ capacity: 1, settings: { 'Largest party': 2, 'Quiet hours': 'off' } });
    await signUp(rt, 'Ann', 'ann@example.com');
    await signUp(rt, 'Bob', 'bob@example.com');
    const before = state(rt);
    const p = (await call(rt, 'previewChange', { closesAt: '2020-01-01 10:00' })) as {
      ok: boolean;
      text: string;
    };
    expect(p.ok).toBe(true);
    expect(p.text).toMatch(
      /^Registration closes none → 2020-01-01 10:00: nobody is offered or confirmed; 1 email now/,
    );
    expect(p.text).toContain('1 guest waiting would be told the waitlist has closed.');
    expect(await call(rt, 'previewChange', { closesAt: 'soon' })).toEqual({
      ok: false,
      message: 'Type the deadline as 2026-12-31 19:00.',
    });
    expect(await call(rt, 'previewChange', { largestParty: '0' })).toEqual({
      ok: false,
      message: 'Type the largest party as a whole number from 1 to 50.',
    });
    const both = (await call(rt, 'previewChange', { capacity: '2', largestParty: '3' })) as { text: string };
    expect(both.text).toMatch(/^Capacity 1 → 2 \(\+1 seat\), Largest party 2 → 3: offers to Bob;/);
    expect(state(rt)).toBe(before);
  });
});
