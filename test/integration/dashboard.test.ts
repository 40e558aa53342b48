/**
 * The host's dashboard (issue 13) through the built bundle: RSVP → Open dashboard shows a sidebar,
 * and its data (what google.script.run brings it) tells the host the state of the event.
 */
import { Runtime } from '../../emulator/runtime';
import { DashboardData } from '../../src/core/dashboard';
import { illegalForScriptRun } from '../../emulator/runtime';
import { guestRecord, guests, setSetting, setUpRuntime, signUp } from '../helpers';

let rt: Runtime;
afterEach(() => rt?.close());

type Data = DashboardData;

async function data(): Promise<Data> {
  const r = await rt.run('dashboardData', [], { context: 'editor' });
  if (!r.ok) throw new Error(r.error?.message);
  // What google.script.run may carry: no Date anywhere.
  expect(illegalForScriptRun(r.result)).toBeNull();
  return r.result as Data;
}

const count = (d: Data, status: string) => d.counts.find((c) => c.status === status)?.count;

/** Guests in every state: 2 confirmed, 1 offered, 2 waitlisted, 1 invited, 1 cancelled (capacity 3). */
async function everyState() {
  rt = await setUpRuntime({
    capacity: 3,
    settings: { 'Event name': 'Winter Social', 'Time zone': 'Europe/London' },
  });
  for (const n of ['a', 'b', 'c', 'd', 'e', 'f'])
    await signUp(rt, `Guest ${n.toUpperCase()}`, `${n}@example.com`);
  const tokenOf = (email: string) => guests(rt).find((g) => g.email === email)!.token;
  await rt.postForm({ action: 'cancel', t: tokenOf('a@example.com'), format: 'json' }); // d is offered
  await rt.hostEdit('Import', 'A2:B2', [['Ivy', 'ivy@example.com']]);
  await rt.run('importPending', [], { context: 'editor' });
}

describe('the dashboard', () => {
  test('opens as a sidebar from the menu; not from a trigger (no UI there, as on Google)', async () => {
    rt = await setUpRuntime();
    const r = await rt.run('openDashboard', [], { context: 'editor' });
    expect(r.ok).toBe(true);
    const panel = rt.backend.panels.at(-1)!;
    expect(panel).toMatchObject({ kind: 'sidebar', title: 'RSVP dashboard' });
    expect(panel.html).toContain('google.script.run');
    const fromTrigger = await rt.run('openDashboard', [], { context: 'trigger' });
    // The gate refuses it first: a trigger has no spreadsheet UI (getUi() would throw there too).
    expect(fromTrigger.error?.message).toBe(
      'openDashboard runs only from the spreadsheet: use the RSVP menu or the dashboard there.',
    );
    await rt.run('onOpen', [], { context: 'simple' });
    expect(rt.backend.menus.RSVP?.[0]).toEqual({ caption: 'Open dashboard', fn: 'openDashboard' });
  });

  test('shows counts, offers with deadlines in the event time zone, the waitlist in order, mail and the Log', async () => {
    await everyState();
    const d = await data();
    expect(d.eventName).toBe('Winter Social');
    expect(d.capacity).toBe(3);
    expect([
      count(d, 'confirmed'),
      count(d, 'offered'),
      count(d, 'waitlisted'),
      count(d, 'invited'),
      count(d, 'cancelled'),
    ]).toEqual([2, 1, 2, 1, 1]);
    expect(d.seatsLeft).toBe(0);
    expect(d.statusLine).toBe('Full: 2 on the waitlist · 1 held for offers');
    expect(d.offers).toEqual([
      {
        name: 'Guest D',
        email: 'd@example.com',
        deadline: expect.stringMatching(/^\w{3} \d{1,2} \w{3}, \d{2}:\d{2}$/),
        mail: 'emailed',
      },
    ]);
    expect(d.nextWaiting.map((g) => [g.position, g.email])).toEqual([
      [1, 'e@example.com'],
      [2, 'f@example.com'],
    ]);
    expect(d.mailQuotaLeft).toBe(rt.backend.opts.mailQuotaPerDay - rt.backend.mail.length);
    expect(d.log[0]).toMatchObject({ email: 'ivy@example.com', change: 'new → invited' });
    expect(d.actions.map((a) => a.fn)).toContain('recount');
    expect(d.actions.map((a) => a.fn)).not.toContain('openDashboard');
    // Nothing warns on a healthy sheet with its triggers installed.
    expect(d.warnings).toEqual([]);
  });

  test('warns about Settings problems, duplicate rows, missing triggers, a spent quota', async () => {
    await everyState();
    const capRow = rt.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Capacity') + 1;
    const copy = rt.backend.sheetRaw('Guests')[guestRecord(rt, 'b@example.com')!.row - 1]; // confirmed
    await rt.hostEdit('Guests', 'A20:K20', [copy], { paste: true });
    setSetting(rt, 'Capacity', 'ten');
    rt.backend.triggers = rt.backend.triggers.filter((t) => t.handlerFunction !== 'onSheetChange');
    rt.backend.quota.mailUsed = rt.backend.opts.mailQuotaPerDay;
    // Not deployed (and so no link learned from a visit): the deployment check fails on it.
    rt.backend.opts.url = null;
    delete rt.backend.scriptProperties['rsvp.url.learned'];
    await rt.run('checkDeployment', [], { context: 'editor' });
    const d = await data();
    expect(capRow).toBeGreaterThan(0);
    expect(d.capacity).toBeNull();
    expect(d.statusLine).toBe('Registration is paused');
    expect(d.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Registration is paused until Settings are fixed: Capacity must be a whole number/,
        ),
        expect.stringMatching(/^1 duplicate row\(s\) in Guests/),
        expect.stringMatching(/^Missing trigger: logging rows deleted from Guests/),
        expect.stringMatching(/^Today's email quota is spent/),
        expect.stringMatching(
          /^Deployment check failed: Web app URL set and answering\. Deploy → New deployment/,
        ),
        'The web app is not deployed: Deploy → New deployment → Web app, to get the form link.',
      ]),
    );
  });

  test('replies waiting for review link to their Gmail thread', async () => {
    rt = await setUpRuntime({ capacity: 3, settings: { 'Reply-to address': 'host+rsvp@example.com' } });
    const m = rt.backend.deliverMail({
      from: 'Maya <maya@example.com>',
      to: 'host+rsvp@example.com',
      subject: 'Re: Winter Social',
      plainBody: 'Maybe, can I bring my dog?',
      headers: {},
    });
    await rt.run('checkRepliesNow', [], { context: 'editor' });
    const d = await data();
    expect(d.replies).toEqual([
      expect.objectContaining({
        from: expect.stringContaining('maya@example.com'),
        threadUrl: `https://mail.google.com/mail/#all/${m.threadId}`,
      }),
    ]);
  });

  test('a button runs its action and answers a sentence; anything else is refused', async () => {
    await everyState();
    const r = await rt.run('dashboardAction', ['recount'], { context: 'editor' });
    expect(r.result).toMatch(
      /^Confirmed 2 seats, offered 1 seat, waitlisted 2 seats, invited 1 RSVP, cancelled 1 RSVP; 0 seats left\. Nothing needed repair\.$/,
    );
    const bad = await rt.run('dashboardAction', ['doPost'], { context: 'editor' });
    expect(bad.result).toBe('"doPost" is not an RSVP action.');
  });
});

describe('google.script.run rules (emulator)', () => {
  test('a Date, a function or a circular object is refused; plain data passes', () => {
    expect(illegalForScriptRun({ a: [1, 'x', null, { b: true }] })).toBeNull();
    expect(illegalForScriptRun({ when: new Date() })).toBe('a Date');
    expect(illegalForScriptRun([() => 1])).toBe('a function');
    const o: Record<string, unknown> = {};
    o.self = o;
    expect(illegalForScriptRun(o)).toBe('a circular reference');
  });
});

describe('the dashboard warns about size before it hurts (issue 24)', () => {
  let big: Runtime;
  afterEach(() => big?.close());

  test('a spreadsheet near the 10 million cells is warned about; a normal one is not', async () => {
    big = await setUpRuntime();
    const warnings = async () =>
      ((await big.run('dashboardData', [], { context: 'editor' })).result as { warnings: string[] }).warnings;
    expect((await warnings()).filter((w) => /million/.test(w))).toEqual([]);
    // The host (or years of history) grew the Log's grid: 320,000 rows × 26 columns.
    big.backend.ss.byName('Log')!.maxRows = 320_000;
    expect((await warnings()).filter((w) => /million/.test(w))).toEqual([
      expect.stringMatching(/^The spreadsheet holds 8\.\d million of Google's 10 million cells/),
    ]);
  });
});
