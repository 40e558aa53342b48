/**
 * Check-in at the door (issue 26), through the built bundle: the pass in the confirmation email
 * (its QR code inline and attached, decoded back by jsQR) and on the guest's page, the door's view
 * with the door key, check-ins under the lock (never more than the party, a second scan says when),
 * a forged pass or an old door key changing nothing.
 */
import jsQR from 'jsqr';
import { Runtime } from '../../emulator/runtime';
import { htmlOf, logRows, runTrigger, setUpRuntime, sheetRecords } from '../helpers';

const post = (rt: Runtime, fields: Record<string, string>) =>
  rt.web(
    'POST',
    {},
    { type: 'application/x-www-form-urlencoded', contents: new URLSearchParams(fields).toString() },
  );

const row = (rt: Runtime, email: string) => sheetRecords(rt, 'Guests').find((r) => r.Email === email)!;

/** The pass link in a guest's email. */
function passIn(rt: Runtime, email: string): string {
  const m = rt.backend.mail.find((x) => x.to.includes(email) && /Your pass/.test(x.body))!;
  return /Your pass \(show it at the door; it cannot change your RSVP\): (\S+)/.exec(m.body)![1];
}

const pOf = (link: string) => new URL(link).searchParams.get('p')!;
/** The door key, as the host's dashboard gives it (the door link). */
async function doorKey(rt: Runtime): Promise<string> {
  const r = await rt.scriptRun('dashboardShare', [], 'sidebar');
  const link = (r as { ok: true; result: { doorLink: string } }).result.doorLink;
  return new URL(link).searchParams.get('k')!;
}

describe('check-in at the door', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('the confirmation carries the pass: a link that is not the RSVP link, and its QR code inline and attached', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await post(rt, { name: 'Ada', email: 'ada@example.com' });
    await runTrigger(rt, 'sendQueuedEmails');
    const m = rt.backend.mail.find((x) => x.to.includes('ada@example.com'))!;
    const link = passIn(rt, 'ada@example.com');
    const token = String(row(rt, 'ada@example.com').Token);
    expect(link).not.toContain(token);
    expect(m.htmlBody).toContain('<img src="cid:pass"');
    expect(Object.keys(m.inlineImages ?? {})).toEqual(['pass']);
    expect(m.attachments?.map((a) => a.name)).toContain('pass.gif');
    // The image is the pass link, read back by an independent decoder.
    const gif = Buffer.from(m.inlineImages!.pass.data, 'base64');
    expect(decodeGif(gif)).toBe(link);
    // The guest's own page shows it too; the pass page shows the pass and no way to change the RSVP.
    const page = htmlOf(await rt.web('GET', { action: 'status', t: token }));
    expect(page).toContain('Your pass');
    expect(unescape(/<a href="([^"]+)">Open your pass/.exec(page)![1])).toBe(link);
    const passPage = htmlOf(await rt.web('GET', { action: 'pass', p: pOf(link) }));
    expect(passPage).toContain('Confirmed');
    expect(passPage).not.toContain(token);
    expect(passPage).not.toMatch(/action=cancel|name="action" value="checkin"/);
  });

  test('the door: check in part of a party, then the rest; a second scan says when; never more than the party', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 3 } });
    await post(rt, { name: 'Ada', email: 'ada@example.com', party: '3' });
    await runTrigger(rt, 'sendQueuedEmails');
    const p = pOf(passIn(rt, 'ada@example.com'));
    const k = await doorKey(rt);
    const view = htmlOf(await rt.web('GET', { action: 'pass', p, k, d: 'Door 2' }));
    expect(view).toContain('Confirmed · party of 3');
    expect(view).toContain('Check in all 3 of 3');
    const two = htmlOf(await post(rt, { action: 'checkin', p, k, d: 'Door 2', n: '2' }));
    expect(two).toContain('Checked in: 2 of 3.');
    expect(row(rt, 'ada@example.com').Arrived).toBe(2);
    expect(row(rt, 'ada@example.com').Door).toBe('Door 2');
    // Three more is too many: refused, nothing changes.
    const over = htmlOf(await post(rt, { action: 'checkin', p, k, d: 'Door 1', n: '3' }));
    expect(over).toContain('Only 1 of the party of 3 is still to come.');
    expect(row(rt, 'ada@example.com').Arrived).toBe(2);
    await post(rt, { action: 'checkin', p, k, d: 'Door 1', n: '1' });
    expect(row(rt, 'ada@example.com').Arrived).toBe(3);
    const again = htmlOf(await post(rt, { action: 'checkin', p, k, d: 'Door 2', n: '1' }));
    expect(again).toMatch(/Already checked in at \d\d:\d\d \(Door 1\): 3 of 3\./);
    expect(row(rt, 'ada@example.com').Arrived).toBe(3);
    const log = logRows(rt).filter((l) => l.email === 'ada@example.com' && /checked in/.test(l.detail));
    expect(log.map((l) => l.detail)).toEqual(['checked in 2 of 3 (Door 2)', 'checked in 3 of 3 (Door 1)']);
    expect(row(rt, 'ada@example.com').Status).toBe('confirmed');
  });

  test('a burst of 30 check-ins at once, each party scanned three times: never more than the party, one Log row each; a busy one retried lands', async () => {
    rt = await setUpRuntime({
      capacity: 40,
      settings: { 'Largest party': 2 },
      backend: { mailQuotaPerDay: 100000 },
    });
    for (let i = 0; i < 10; i++) await post(rt, { name: `G${i}`, email: `g${i}@example.com`, party: '2' });
    await runTrigger(rt, 'sendQueuedEmails');
    const k = await doorKey(rt);
    const passes = Array.from({ length: 10 }, (_, i) => pOf(passIn(rt, `g${i}@example.com`)));
    const scan = (p: string, d: string, at?: number) => ({
      fn: 'doPost',
      args: [
        {
          parameter: { action: 'checkin', p, k, d, n: '1' },
          parameters: { action: ['checkin'], p: [p], k: [k], d: [d], n: ['1'] },
        },
      ],
      opts: { context: 'webapp' as const, ...(at ? { at } : {}) },
    });
    const t0 = rt.backend.now() + 1000;
    // Each party of 2 scanned three times at once, one person a scan: two land, the third is told.
    const runs = await rt.runConcurrently(
      passes.flatMap((p, i) => [1, 2, 3].map((j) => scan(p, `Door ${j}`, t0 + 37 * i + j))),
    );
    const said = runs.map((r) => {
      const h = htmlOf(r);
      return /Checked in: \d of 2\./.test(h)
        ? 'in'
        : /Already checked in|Only 0/.test(h)
          ? 'told'
          : /Not checked in: please try again/.test(h)
            ? 'busy'
            : 'other';
    });
    expect(said.filter((x) => x === 'other')).toEqual([]);
    const arrived = () =>
      Array.from({ length: 10 }, (_, i) => Number(row(rt, `g${i}@example.com`).Arrived || 0));
    const checks = () => logRows(rt).filter((l) => /^checked in/.test(l.detail));
    // Never more than the party; every check-in that landed has its Log row, and only those.
    expect(arrived().every((a) => a <= 2)).toBe(true);
    expect(checks()).toHaveLength(said.filter((x) => x === 'in').length);
    expect(arrived().reduce((a, b) => a + b, 0)).toBe(checks().length);
    // A busy scan changed nothing: the door scans again, and everyone is in.
    for (let i = 0; i < 10; i++)
      for (let tries = 0; arrived()[i] < 2 && tries < 5; tries++)
        await rt.run('doPost', scan(passes[i], 'Door 1').args, { context: 'webapp' });
    expect(arrived()).toEqual(Array(10).fill(2));
    expect(checks()).toHaveLength(20);
  }, 120000);

  test('a forged pass, a cancelled guest, an old door key: shown as such, nothing changes', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await post(rt, { name: 'Ada', email: 'ada@example.com' });
    await post(rt, { name: 'Bob', email: 'bob@example.com' });
    await runTrigger(rt, 'sendQueuedEmails');
    const k = await doorKey(rt);
    const ada = pOf(passIn(rt, 'ada@example.com'));
    const bob = pOf(passIn(rt, 'bob@example.com'));
    const before = JSON.stringify(rt.backend.sheetRaw('Guests'));
    const forged = `${ada.slice(0, 21)}${ada[21] === 'A' ? 'B' : 'A'}`;
    expect(htmlOf(await post(rt, { action: 'checkin', p: forged, k, n: '1' }))).toContain(
      'This pass is not valid.',
    );
    // Bob cancels: his pass shows him in red at the door, with no button.
    await post(rt, { action: 'cancel', t: String(row(rt, 'bob@example.com').Token) });
    const bobView = htmlOf(await rt.web('GET', { action: 'pass', p: bob, k }));
    expect(bobView).toContain('Cancelled: not confirmed. Do not check in.');
    expect(bobView).not.toContain('value="checkin"');
    expect(htmlOf(await post(rt, { action: 'checkin', p: bob, k, n: '1' }))).toContain(
      'Not confirmed: this RSVP is cancelled.',
    );
    // The host revokes Ada's pass (a new version in her Pass cell): the old pass is no pass at all,
    // and her emails from now on carry the new one.
    const guestsHead = rt.backend.sheetRaw('Guests')[0];
    const passCol = String.fromCharCode(65 + guestsHead.length);
    rt.backend.ss.byName('Guests')!.maxColumns = Math.max(
      rt.backend.ss.byName('Guests')!.maxColumns,
      guestsHead.length + 1,
    );
    rt.backend.hostEdit('Guests', `${passCol}1`, [['Pass']]);
    const adaRow = rt.backend.sheetRaw('Guests').findIndex((r) => r[0] === 'ada@example.com') + 1;
    rt.backend.hostEdit('Guests', `${passCol}${adaRow}`, [[1]]);
    expect(htmlOf(await post(rt, { action: 'checkin', p: ada, k, n: '1' }))).toContain(
      'This pass is not valid.',
    );
    const token = String(row(rt, 'ada@example.com').Token);
    const page = htmlOf(await rt.web('GET', { action: 'status', t: token }));
    const fresh1 = unescape(/<a href="([^"]+)">Open your pass/.exec(page)![1]);
    expect(pOf(fresh1)).not.toBe(ada);
    expect(htmlOf(await post(rt, { action: 'checkin', p: pOf(fresh1), k, n: '1' }))).toContain(
      'Checked in: 1 of 1.',
    );
    // The host replaces the door key: the old door link checks nobody in.
    const fresh = await rt.scriptRun('replaceDoorKey', [], 'sidebar');
    expect(fresh.ok).toBe(true);
    expect(htmlOf(await post(rt, { action: 'checkin', p: ada, k, n: '1' }))).toContain(
      'This door link is no longer valid.',
    );
    expect(htmlOf(await rt.web('GET', { action: 'door', k }))).toContain(
      'This door link is no longer valid.',
    );
    // Nothing the old key tried changed Ada's row: she stays checked in once.
    expect(row(rt, 'ada@example.com').Arrived).toBe(1);
    expect(before).toContain('ada@example.com');
  });

  test('the door page finds a guest by name and opens their door view', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await post(rt, { name: 'Grace Hopper', email: 'grace@example.com' });
    const k = await doorKey(rt);
    const found = htmlOf(await rt.web('GET', { action: 'door', k, d: 'Front', q: 'hopp' }));
    const href = unescape(/<a href="([^"]+)">Grace Hopper<\/a>/.exec(found)![1]);
    const url = new URL(href);
    const view = htmlOf(await rt.web('GET', Object.fromEntries(url.searchParams)));
    expect(view).toContain('Check in 1');
  });
});

describe('walk-ins at the door', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('a walk-in is seated and checked in while seats are free; racing web sign-ups for the last seats, the cap holds', async () => {
    rt = await setUpRuntime({ capacity: 4, backend: { mailQuotaPerDay: 100000 } });
    const k = await doorKey(rt);
    const walkIn = (name: string, email: string, at?: number) => ({
      fn: 'doPost',
      args: [
        {
          parameter: { action: 'walkin', k, d: 'Front', name, email },
          parameters: { action: ['walkin'], k: [k], d: ['Front'], name: [name], email: [email] },
        },
      ],
      opts: { context: 'webapp' as const, ...(at ? { at } : {}) },
    });
    const one = htmlOf(
      await rt.run('doPost', walkIn('Wanda', 'wanda@example.com').args, { context: 'webapp' }),
    );
    expect(one).toContain('Wanda: seated and checked in (1 of 1).');
    expect(row(rt, 'wanda@example.com').Status).toBe('confirmed');
    expect(row(rt, 'wanda@example.com').Arrived).toBe(1);
    // Three seats left; six walk-ins and six web sign-ups at the same moment.
    const t0 = rt.backend.now() + 1000;
    const runs = await rt.runConcurrently([
      ...Array.from({ length: 6 }, (_, i) => walkIn(`W${i}`, `w${i}@example.com`, t0 + i * 7)),
      ...Array.from({ length: 6 }, (_, i) => ({
        fn: 'doPost',
        args: [{ parameter: { name: `S${i}`, email: `s${i}@example.com`, format: 'json' } }],
        opts: { context: 'webapp' as const, at: t0 + i * 7 + 3 },
      })),
    ]);
    expect(runs.filter((r) => !r.ok)).toEqual([]);
    const all = sheetRecords(rt, 'Guests');
    expect(all.filter((r) => r.Status === 'confirmed')).toHaveLength(4);
    // Nobody checked in who was not seated; the door page now says full.
    expect(all.filter((r) => Number(r.Arrived || 0) > 0).every((r) => r.Status === 'confirmed')).toBe(true);
    const full = htmlOf(await rt.web('GET', { action: 'door', k, d: 'Front' }));
    expect(full).toContain('The event is full: no walk-ins.');
    expect(full).toMatch(/#1 \w+/);
  }, 60000);
});

describe('the door list, offline, and after the event', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('RSVP → Door list: by name, with party and door answers; ticks (offline, on a sorted list) come into Guests; a cancelled tick is flagged', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 3 } });
    await rt.hostEdit('Questions', 'A2:H2', [
      ['yes', 'Table', 'short text', '', 'no', 'once per RSVP', 'yes', 'no'],
    ]);
    const table = /<label for="f-(q_[a-z0-9]+)">Table/.exec(htmlOf(await rt.web('GET')))![1];
    await post(rt, { name: 'Zoe', email: 'zoe@example.com', party: '2', [table]: 'T4' });
    await post(rt, { name: 'Ada', email: 'ada@example.com', [table]: 'T1' });
    await post(rt, { name: 'Max', email: 'max@example.com' });
    const made = await rt.run('makeDoorList', [], { context: 'editor' });
    expect(made.result).toMatch(/^Door list: 3 confirmed RSVPs, by name\./);
    expect(rt.backend.sheetRaw('Door list')).toEqual([
      ['Name', 'Email', 'Party', 'Arrived', 'Table'],
      ['Ada', 'ada@example.com', 1, false, 'T1'],
      ['Max', 'max@example.com', 1, false, ''],
      ['Zoe', 'zoe@example.com', 2, false, 'T4'],
    ]);
    // Max cancels after the list was printed.
    await post(rt, { action: 'cancel', t: String(row(rt, 'max@example.com').Token) });
    // Offline: the host sorts the list (Zoe first) and ticks two rows; no trigger runs.
    rt.backend.hostEdit('Door list', 'A2:E4', [
      ['Zoe', 'zoe@example.com', 2, true, 'T4'],
      ['Max', 'max@example.com', 1, true, ''],
      ['Ada', 'ada@example.com', 1, false, 'T1'],
    ]);
    expect(row(rt, 'zoe@example.com').Arrived ?? '').toBe('');
    // The next 10-minute run takes them in: Zoe's party of 2 arrived, Max's tick flagged.
    await runTrigger(rt, 'sendQueuedEmails');
    expect(row(rt, 'zoe@example.com').Arrived).toBe(2);
    expect(row(rt, 'zoe@example.com').Door).toBe('door list');
    expect(row(rt, 'max@example.com').Arrived ?? '').toBe('');
    expect(Object.values(rt.backend.ss.byName('Door list')!.notes)).toEqual([
      'RSVP: this RSVP is cancelled: not counted',
    ]);
    // Online, a tick comes in at once (the edit trigger); a tick taken twice counts once.
    await rt.hostEdit('Door list', 'D4', [[true]]);
    expect(row(rt, 'ada@example.com').Arrived).toBe(1);
    await runTrigger(rt, 'sendQueuedEmails');
    const checks = logRows(rt).filter((l) => /^checked in/.test(l.detail));
    expect(checks.map((l) => [l.email, l.detail])).toEqual([
      ['zoe@example.com', 'checked in 2 of 2 (door list)'],
      ['ada@example.com', 'checked in 1 of 1 (door list)'],
    ]);
    // A value that is not a tick is refused by the cell, as Sheets refuses it.
    expect(() => rt.backend.hostEdit('Door list', 'D3', [['yes']])).toThrow();
  });

  test('after the start: the dashboard counts arrived against confirmed and the no-shows; Mark no-shows logs each once', async () => {
    rt = await setUpRuntime({ capacity: 10, settings: { 'Largest party': 2 } });
    await post(rt, { name: 'Ada', email: 'ada@example.com', party: '2' });
    await post(rt, { name: 'Bob', email: 'bob@example.com' });
    await runTrigger(rt, 'sendQueuedEmails');
    const k = await doorKey(rt);
    await post(rt, { action: 'checkin', p: pOf(passIn(rt, 'ada@example.com')), k, n: '2', d: 'Front' });
    const dash = async () =>
      ((await rt.run('dashboardData', [], { context: 'editor' })).result as { door: Record<string, unknown> })
        .door;
    expect(await dash()).toEqual({ arrived: 2, confirmed: 3, noShows: null });
    expect((await rt.run('markNoShows', [], { context: 'editor' })).result).toMatch(/has not started yet/);
    const starts = rt.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Starts at') + 1;
    rt.backend.hostEdit('Settings', `B${starts}`, [[new Date(rt.backend.now() - 3600e3)]]);
    expect(await dash()).toEqual({ arrived: 2, confirmed: 3, noShows: 1 });
    expect((await rt.run('markNoShows', [], { context: 'editor' })).result).toBe(
      '1 of 2 confirmed RSVPs came. Marked 1 no-show in the Log.',
    );
    expect((await rt.run('markNoShows', [], { context: 'editor' })).result).toBe(
      '1 of 2 confirmed RSVPs came. No new no-shows to mark.',
    );
    const marked = logRows(rt).filter((l) => l.detail === 'no-show: nobody checked in');
    expect(marked.map((l) => l.email)).toEqual(['bob@example.com']);
  });
});

/** An attribute's text as the browser reads it (numeric and named character references). */
const unescape = (s: string) =>
  s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

/** A GIF decoded to pixels (omggif), then read by jsQR. */
function decodeGif(gif: Buffer): string | null {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GifReader } = require('omggif') as {
    GifReader: new (b: Buffer) => {
      width: number;
      height: number;
      decodeAndBlitFrameRGBA(i: number, p: Uint8ClampedArray): void;
    };
  };
  const r = new GifReader(gif);
  const pixels = new Uint8ClampedArray(r.width * r.height * 4);
  r.decodeAndBlitFrameRGBA(0, pixels);
  return jsQR(pixels, r.width, r.height)?.data ?? null;
}
