/**
 * The one-file copy a host pastes into Extensions → Apps Script (dist/paste/Code.gs, every HTML file
 * inlined): run alone, with no HTML file beside it, it carries the core guest and host flows. A page
 * or sidebar that still read a file would fail here, as it would on Google.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Runtime, projectRoot, readDist } from '../../emulator/runtime';
import { guests, htmlOf, jsonOf, runTrigger, sheetRecords } from '../helpers';

const PASTE = path.join(projectRoot(), 'dist', 'paste');
const REPLY_TO = 'host+rsvp@example.com';

describe('the paste copy (dist/paste)', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('is one Code.gs and its manifest, saying which version it is', () => {
    expect(fs.readdirSync(PASTE).sort()).toEqual(['Code.gs', 'appsscript.json']);
    const { version } = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8'));
    const code = fs.readFileSync(path.join(PASTE, 'Code.gs'), 'utf8');
    expect(code.split('\n')[0]).toMatch(
      new RegExp(`^// sheet-rsvp ${version.replace(/\./g, '\\.')} \\(build [0-9a-f]{12}\\)`),
    );
    expect(code).not.toMatch(/FromFile\(/);
    expect(Object.keys(readDist(PASTE).files)).toEqual(['appsscript.json']);
  });

  test('negative control: the clasp bundle without its HTML files cannot serve the form', async () => {
    const { code, files } = readDist(path.join(projectRoot(), 'dist'));
    rt = new Runtime({ code, files: { 'appsscript.json': files['appsscript.json'] } });
    await rt.run('setUp', [], { context: 'editor' });
    const r = await rt.web('GET');
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/No HTML file named/);
  });

  test('alone, it runs the form, an email reply, an import, a cancel, a claim and the dashboard', async () => {
    rt = new Runtime({ backendOptions: { url: 'http://localhost:8080/exec' }, distDir: PASTE });
    const setUp = await rt.run('setUp', [], { context: 'editor' });
    expect(setUp.ok).toBe(true);
    const settings = rt.backend.sheetRaw('Settings');
    rt.backend.hostEdit('Settings', `B${settings.findIndex((r) => r[0] === 'Capacity') + 1}`, [[2]]);
    await rt.run('recount', [], { context: 'editor' });
    await rt.run('onOpen', [], { context: 'simple' });
    expect(rt.backend.menus.RSVP?.length).toBeGreaterThan(3);

    // The form: its page (Page.html with Client.html inside), then two sign-ups.
    const page = htmlOf(await rt.web('GET'));
    expect(page).toContain('<form');
    expect(page).toContain('fetch');
    const post = (fields: Record<string, string>) => rt.postForm({ format: 'json', ...fields });
    expect(jsonOf(await post({ name: 'Ada', email: 'ada@example.com' }))).toMatchObject({
      status: 'confirmed',
    });
    expect(jsonOf(await post({ name: 'Bob', email: 'bob@example.com' }))).toMatchObject({
      status: 'confirmed',
    });

    // A "yes" by email: the event is full, so Cy waits.
    await rt.run('turnOnEmailReplies', [], { context: 'editor' });
    rt.backend.deliverMail({
      from: 'Cy <cy@example.com>',
      to: REPLY_TO,
      subject: "Re: You're invited: My event",
      plainBody: 'Yes, count me in!',
      headers: {},
    });
    const polled = await runTrigger(rt, 'pollReplies');
    expect(polled.ok).toBe(true);
    // An import of invitations.
    await rt.backend.hostEdit('Import', 'A2:B2', [['Di', 'di@example.com']]);
    expect(String((await rt.run('importPending', [], { context: 'editor' })).result)).toMatch(
      /^1 imported, 1 invited/,
    );
    const status = () => Object.fromEntries(guests(rt).map((g) => [g.email, g.status]));
    expect(status()).toEqual({
      'ada@example.com': 'confirmed',
      'bob@example.com': 'confirmed',
      'cy@example.com': 'waitlisted',
      'di@example.com': 'invited',
    });

    // Ada cancels by her link (its page first), and Cy claims the seat it frees.
    const token = (email: string) => guests(rt).find((g) => g.email === email)!.token;
    expect(htmlOf(await rt.web('GET', { action: 'cancel', t: token('ada@example.com') }))).toContain(
      'Cancel your RSVP?',
    );
    expect(jsonOf(await post({ action: 'cancel', t: token('ada@example.com') }))).toMatchObject({
      status: 'cancelled',
    });
    expect(status()['cy@example.com']).toBe('offered');
    expect(jsonOf(await post({ action: 'claim', t: token('cy@example.com') }))).toMatchObject({
      status: 'confirmed',
    });

    // The emails went out, rendered from the inlined templates.
    await runTrigger(rt, 'sendQueuedEmails');
    const subjects = (to: string) => rt.backend.mail.filter((m) => m.to.includes(to)).map((m) => m.subject);
    expect(subjects('cy@example.com')).toEqual(
      expect.arrayContaining(['A seat opened up: claim it for My event', "You're in: My event"]),
    );
    expect(sheetRecords(rt, 'Outbox').filter((r) => r.Status === 'failed')).toEqual([]);

    // The dashboard: its sidebar (Dashboard.html) and its figures.
    expect((await rt.run('openDashboard', [], { context: 'editor' })).ok).toBe(true);
    expect(rt.backend.panels.at(-1)).toMatchObject({ kind: 'sidebar', title: 'RSVP dashboard' });
    expect(rt.backend.panels.at(-1)!.html).toContain('google.script.run');
    const board = await rt.run('dashboardData', [], { context: 'editor' });
    expect(board.ok).toBe(true);
    expect(board.result).toMatchObject({
      counts: expect.arrayContaining([{ status: 'confirmed', count: 2, unit: 'seats' }]),
    });
  });
});
