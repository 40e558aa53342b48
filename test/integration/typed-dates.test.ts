/**
 * Dates a host types into Settings by hand (issue 23): the sheet's locale reads them, never rolls an
 * impossible one over, and the form, the summary and the dashboard agree on what the event's state is.
 */
import { Runtime } from '../../emulator/runtime';
import { jsonOf, setUpRuntime, summary } from '../helpers';

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0); // Sunday 6 December 2026

async function typeStart(rt: Runtime, text: string) {
  const rows = rt.backend.sheetRaw('Settings');
  await rt.hostEdit('Settings', `B${rows.findIndex((r) => r[0] === 'Starts at') + 1}`, [[text]]);
}

describe('dates typed into Settings', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('"19/12/2026 19:00" on a US sheet is no date: the cell refuses it, with the date picker named', async () => {
    rt = await setUpRuntime({ backend: { startAt: NOW } });
    await expect(typeStart(rt, '19/12/2026 19:00')).rejects.toThrow(
      /double-click the cell for a date picker/,
    );
    expect(rt.backend.sheetRaw('Settings').find((r) => r[0] === 'Starts at')![1]).toBe('');
    expect(jsonOf(await rt.web('GET', { format: 'json' }))).toMatchObject({ open: true });
  });

  test('on an older sheet without the rule it is kept as text: registration pauses and the cell says why', async () => {
    rt = await setUpRuntime({ backend: { startAt: NOW } });
    rt.backend.ss.byName('Settings')!.validations = {};
    await typeStart(rt, '19/12/2026 19:00');
    const starts = rt.backend.sheetRaw('Settings').find((r) => r[0] === 'Starts at')![1];
    expect(starts).toBe('19/12/2026 19:00'); // text, not 12 July 2027
    const state = jsonOf(await rt.web('GET', { format: 'json' }));
    expect(state).toMatchObject({ open: false });
    expect(String(summary(rt).Status)).toMatch(/^Registration is paused .*Starts at is not a date and time/);
  });

  test('"7/12/2026" on a US sheet is 12 July, in the past: the form, the summary and the dashboard all say closed', async () => {
    rt = await setUpRuntime({ backend: { startAt: NOW } });
    await typeStart(rt, '7/12/2026 19:00');
    const starts = rt.backend.sheetRaw('Settings').find((r) => r[0] === 'Starts at')![1] as Date;
    expect(starts.getUTCMonth()).toBe(6); // July
    expect(jsonOf(await rt.web('GET', { format: 'json' }))).toMatchObject({ open: false, closed: true });
    expect(String(summary(rt).Status)).toMatch(/^Closed: Starts at has passed/);
    const board = (await rt.run('dashboardData', [], { context: 'editor' })).result as { statusLine: string };
    expect(board.statusLine).toMatch(/^Closed: Starts at has passed/);
  });

  test('the same "7/12/2026" on a British sheet is 7 December, ahead: all three say open', async () => {
    rt = await setUpRuntime({ backend: { startAt: NOW, locale: 'en_GB' } });
    await typeStart(rt, '7/12/2026 19:00');
    expect(jsonOf(await rt.web('GET', { format: 'json' }))).toMatchObject({ open: true });
    expect(String(summary(rt).Status)).toMatch(/^Open: 10 of 10 seats left/);
    const board = (await rt.run('dashboardData', [], { context: 'editor' })).result as { statusLine: string };
    expect(board.statusLine).toMatch(/^Open: 10 of 10 seats left/);
  });
});
