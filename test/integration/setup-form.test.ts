/**
 * RSVP → Set up your event (issue 23): the sidebar's data and its Save, through the built bundle.
 * Save reads every field with the keeper's own parser, writes nothing unless all of it is valid,
 * stores dates so that the sheet and the keeper read the wall time the host picked in the event's
 * zone, and recounts at once. Only the spreadsheet's own UI may call it.
 */
import { Runtime } from '../../emulator/runtime';
import { jsonOf, setSetting, setUpRuntime, summary } from '../helpers';

interface Field {
  key: string;
  label: string;
  type: string;
  value: string;
  choices: string[];
}

/** google.script.run from the sidebar: the function's answer (it must run). */
async function call(rt: Runtime, fn: string, ...args: unknown[]): Promise<unknown> {
  const r = await rt.scriptRun(fn, args, 'sidebar');
  if (!r.ok) throw new Error(`${fn} failed: ${r.error}`);
  return r.result;
}

const settingsCells = (rt: Runtime) =>
  JSON.stringify(rt.backend.sheetRaw('Settings').map((r) => r.slice(0, 2)));

describe('the Set up sidebar', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('its fields come from the schema, with what Settings holds now', async () => {
    rt = await setUpRuntime({ capacity: 40 });
    const d = (await call(rt, 'setupData')) as { fields: Field[]; spreadsheetTimeZone: string };
    const byKey = Object.fromEntries(d.fields.map((f) => [f.key, f]));
    expect(byKey.eventName).toMatchObject({ label: 'Event name', type: 'text', value: 'My event' });
    expect(byKey.capacity).toMatchObject({ type: 'wholeNumber', value: '40' });
    expect(byKey.startsAt).toMatchObject({ type: 'dateTime' });
    expect(byKey.timeZone.type).toBe('timeZone');
    expect(byKey.quietHours.choices).toEqual(['21:00-08:00', 'off']);
    expect(d.spreadsheetTimeZone).toBe('Europe/London');
  });

  test('bad fields are answered on each field and nothing is written', async () => {
    rt = await setUpRuntime({ capacity: 40 });
    const before = settingsCells(rt);
    const a = (await call(rt, 'saveSetup', {
      eventName: '',
      capacity: 'lots',
      startsAt: '19/12/2026 19:00',
      quietHours: 'at night',
      timeZone: 'Mars/Olympus',
    })) as { ok: boolean; errors: Record<string, string> };
    expect(a.ok).toBe(false);
    expect(a.errors).toMatchObject({
      eventName: 'Event name is required.',
      capacity: 'Capacity must be a whole number, 0 or more (it is "lots").',
      startsAt: 'Starts at: pick a date and a time.',
      timeZone: 'Time zone "Mars/Olympus" is not a known time zone (try Europe/London).',
      quietHours: expect.stringMatching(/^Quiet hours must be two times like "21:00-08:00"/),
    });
    expect(settingsCells(rt)).toBe(before);
  });

  test('a problem in a setting the sidebar does not show is named, to be fixed in the sheet', async () => {
    rt = await setUpRuntime({ capacity: 40 });
    // (The cell's dropdown refuses it when typed: a sheet from before the dropdowns takes it.)
    rt.backend.ss.byName('Settings')!.validations = {};
    setSetting(rt, 'When an offer runs out', 'sometimes');
    const a = (await call(rt, 'saveSetup', { eventName: 'Gala' })) as { ok: boolean; message: string };
    expect(a).toMatchObject({
      ok: false,
      message:
        'Nothing was saved: fix this in the Settings sheet first: When an offer runs out must be "cancel" or "waitlist" (it is "sometimes").',
    });
  });

  test('a date picked in the event’s zone is that wall time there, whatever the spreadsheet’s zone; the summary follows at once', async () => {
    rt = await setUpRuntime({ capacity: 40 });
    const saved = await call(rt, 'saveSetup', {
      eventName: 'Winter Social',
      capacity: '25',
      timeZone: 'America/New_York',
      startsAt: '2027-01-15T19:00',
      location: 'The Hall',
    });
    expect(saved).toMatchObject({ ok: true, formUrl: 'http://localhost:8080/exec' });
    // Numbers go in as numbers, text as text.
    const cell = (label: string) => rt.backend.sheetRaw('Settings').find((r) => r[0] === label)![1];
    expect(cell('Capacity')).toBe(25);
    expect(cell('Location')).toBe('The Hall');
    // 19:00 in New York is 00:00 UTC the next day.
    const state = jsonOf(await rt.web('GET', { format: 'json' }));
    expect(state).toMatchObject({ open: true, seatsLeft: 25 });
    const page = await rt.web('GET');
    expect((page.result as { content: string }).content).toContain('Winter Social');
    expect(String(summary(rt).Status)).toMatch(/^Open: 25 of 25 seats left/);
    const data = (await call(rt, 'setupData')) as { fields: Field[] };
    expect(data.fields.find((f) => f.key === 'startsAt')!.value).toBe('2027-01-15T19:00');
    // A guest's confirmation says the time the host picked, in the event's zone.
    await rt.postForm({ name: 'Ada', email: 'ada@example.com', format: 'json' });
    expect(rt.backend.mail.at(-1)!.body).toContain('When: Friday 15 January 2027 at 19:00 (EST)');
  });

  test('only the spreadsheet’s UI may call it: a visitor through the web app is refused and nothing changes', async () => {
    rt = await setUpRuntime({ capacity: 40 });
    const before = settingsCells(rt);
    const r = await rt.scriptRun('saveSetup', [{ eventName: 'Pwned', capacity: '9999' }], 'webapp');
    expect(r.ok).toBe(false);
    expect(settingsCells(rt)).toBe(before);
    expect((await rt.scriptRun('setupData', [], 'webapp')).ok).toBe(false);
  });
});
