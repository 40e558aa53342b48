/**
 * The dashboard's first card (issue 23): what is left to do until the form's link is known, then the
 * link, the embed snippet and a QR code drawn by the script; and "Send me a test sign-up", which
 * mails the host the confirmation a guest would get with nothing counted. Host-only, like the rest.
 */
import { Runtime } from '../../emulator/runtime';
import { setUpRuntime } from '../helpers';

async function call(rt: Runtime, fn: string, ...args: unknown[]): Promise<unknown> {
  const r = await rt.scriptRun(fn, args, 'sidebar');
  if (!r.ok) throw new Error(`${fn} failed: ${r.error}`);
  return r.result;
}

const state = (rt: Runtime) => JSON.stringify(['Guests', 'Outbox', 'Log'].map((n) => rt.backend.sheetRaw(n)));

describe("the dashboard's first card", () => {
  let rt: Runtime;
  afterEach(() => rt?.close());

  test('until the link is known it says what is left to do, with the menu path', async () => {
    rt = await setUpRuntime({ learnUrl: false });
    expect(await call(rt, 'dashboardShare')).toEqual({
      ready: false,
      todo: expect.stringMatching(
        /^Deploy as a web app: in Extensions → Apps Script, Deploy → New deployment → Web app/,
      ),
    });
    expect(await call(rt, 'sendTestSignup')).toMatch(/^Deploy as a web app/);
    expect(rt.backend.mail).toEqual([]);
  });

  test('then the link, the embed snippet posting to it, and a QR code of squares only', async () => {
    rt = await setUpRuntime();
    const k = (await call(rt, 'dashboardShare')) as {
      ready: boolean;
      url: string;
      snippet: string;
      qrSvg: string;
    };
    expect(k.ready).toBe(true);
    expect(k.url).toBe('http://localhost:8080/exec');
    expect(k.snippet).toContain('<form class="rsvp-form" method="post" action="http://localhost:8080/exec">');
    expect(k.snippet).toContain('<script>');
    expect(k.qrSvg).toMatch(
      /^<svg [^>]*aria-label="QR code of your sign-up form"><rect [^>]*\/><path d="[Mhvz0-9 -]+" fill="#000"\/><\/svg>$/,
    );
  });

  test('"Send me a test sign-up" mails the host the confirmation, and counts nothing', async () => {
    rt = await setUpRuntime({ settings: { 'Starts at': '2027-01-15 19:00', Location: 'The Hall' } });
    const before = state(rt);
    const said = (await call(rt, 'sendTestSignup')) as string;
    expect(said).toMatch(
      /^Sent a test of the confirmation email to .+@.+\. You were not added to the guest list\.$/,
    );
    const mail = rt.backend.mail.at(-1)!;
    expect(mail.to).toBe(rt.backend.opts.owner);
    expect(mail.subject).toBe("[Test] You're in: My event");
    expect(mail.body).toMatch(/^This is a test: what a guest gets when they sign up\./);
    expect(mail.body).toContain('Where: The Hall');
    expect(mail.attachments?.length).toBe(1);
    expect(state(rt)).toBe(before);
  });

  test('a visitor through the web app can call neither', async () => {
    rt = await setUpRuntime();
    expect((await rt.scriptRun('dashboardShare', [], 'webapp')).ok).toBe(false);
    expect((await rt.scriptRun('sendTestSignup', [], 'webapp')).ok).toBe(false);
    expect(rt.backend.mail).toEqual([]);
  });
});
