/**
 * The honeypot through the built bundle: a bot is answered exactly as that sign-up would be and
 * nothing is written or sent; a person whose browser filled the hidden field is still signed up.
 * Drop only on two signals: the trap holds text and the render stamp is missing, unreadable, from
 * the future or younger than 3 s (see src/core/honeypot.ts).
 */
import { Runtime } from '../../emulator/runtime';
import { guests, htmlOf, jsonOf, setUpRuntime } from '../helpers';

describe('honeypot', () => {
  let rt: Runtime;
  afterEach(() => rt?.close());
  /** The backend's (virtual) clock, which the script's Date follows; tests move it forward. */
  const now = () => rt.backend.now();
  const wait = (ms: number) => rt.backend.advanceTo(now() + ms);

  /** Everything a sign-up can change: rows, log, outbox, mail, queued requests. */
  const state = () => ({
    guests: rt.backend.sheetRaw('Guests'),
    log: rt.backend.sheetRaw('Log'),
    outbox: rt.backend.sheetRaw('Outbox'),
    mail: rt.backend.mail.length,
  });

  /** The stamp the form page carries, read from the page as a browser gets it. */
  async function renderedStamp(): Promise<string> {
    const html = htmlOf(await rt.web('GET'));
    return /name="ts" value="([^"]+)"/.exec(html)![1];
  }

  const post = (fields: Record<string, string>) =>
    rt.postForm({ action: 'register', format: 'json', ...fields });

  test('a tripped honeypot answers what the real sign-up would, and changes nothing', async () => {
    rt = await setUpRuntime({ capacity: 1 });
    const fields = { name: 'Ada', email: 'ada@example.com' };
    // Bot: the trap filled, no stamp (posted straight at /exec).
    const before = state();
    const bot = jsonOf(await post({ ...fields, website: 'http://spam.example' }));
    expect(state()).toEqual(before);
    // The same sign-up by a person, a minute after the page rendered.
    const stamp = await renderedStamp();
    wait(60e3);
    const person = jsonOf(await post({ ...fields, ts: String(stamp) }));
    expect(person).toEqual(bot);
    expect(person.status).toBe('confirmed');
    expect(guests(rt).map((g) => g.email)).toEqual(['ada@example.com']);

    // The event is full now: the bot is told the waitlist position the person then gets.
    const full = state();
    const bot2 = jsonOf(
      await post({ name: 'Alan', email: 'alan@example.com', website: 'x', ts: String(now() + 2000) }),
    );
    expect(state()).toEqual(full);
    wait(60e3);
    expect(jsonOf(await post({ name: 'Alan', email: 'alan@example.com', ts: String(stamp) }))).toEqual(bot2);
    expect(bot2).toMatchObject({ status: 'waitlisted', position: 1 });

    // An address already on the list: the bot gets the same "already" answer, as a page too.
    const html = async (fields: Record<string, string>) =>
      htmlOf(await rt.postForm({ action: 'register', ...fields })).replace(/name="ts" value="\d+"/, '');
    const botPage = await html({ name: 'Ada', email: 'ada@example.com', website: 'spam' });
    const personPage = await html({ name: 'Ada', email: 'ada@example.com', ts: String(stamp) });
    expect(botPage).toEqual(personPage);
    expect(personPage).toContain('You&#39;re already confirmed.');
    // Invalid input gets the same field errors either way (checked before the trap).
    expect(jsonOf(await post({ name: '', email: 'nope', website: 'spam' }))).toEqual(
      jsonOf(await post({ name: '', email: 'nope', ts: String(stamp) })),
    );
    expect(rt.backend.mail.map((m) => m.to)).toEqual(['ada@example.com', 'alan@example.com']);
  });

  test('variants: which combinations of trap and stamp sign the person up', async () => {
    rt = await setUpRuntime({ capacity: 50 });
    const stamp = await renderedStamp();
    wait(10e3); // ten seconds on the page
    const clock = now();
    const cases: Array<{ what: string; website?: string; ts?: string; signedUp: boolean }> = [
      {
        what: 'trap filled, no stamp (bot posting straight at /exec)',
        website: 'http://x.example',
        signedUp: false,
      },
      {
        // An execution's modelled time runs on from the backend's clock: "just rendered" stamps sit
        // a little ahead of it, so they stay younger than 3 s whatever the calls before cost.
        what: 'trap filled, stamp just rendered (bot filling the page)',
        website: 'a',
        ts: String(clock + 2000),
        signedUp: false,
      },
      { what: 'trap filled, stamp not a number', website: 'a', ts: 'yesterday', signedUp: false },
      {
        what: 'trap filled, stamp an hour in the future',
        website: 'a',
        ts: String(clock + 3600e3),
        signedUp: false,
      },
      { what: 'trap filled, stamp negative', website: 'a', ts: '-5000', signedUp: false },
      {
        what: 'trap filled by autofill, 10 s on the page',
        website: 'https://my.site',
        ts: String(stamp),
        signedUp: true,
      },
      { what: 'trap is one space, no stamp', website: ' ', signedUp: true },
      { what: 'trap is a tab and newline, no stamp', website: '\t\n', signedUp: true },
      {
        what: 'trap empty, stamp just rendered (fast autofill)',
        website: '',
        ts: String(clock + 2000),
        signedUp: true,
      },
      { what: 'trap empty, no stamp (old page or no-JS embed)', signedUp: true },
      { what: 'trap empty, stamp garbage', website: '', ts: '<script>', signedUp: true },
      {
        what: 'trap filled, stamp 30 s in the future',
        website: 'a',
        ts: String(clock + 30e3),
        signedUp: false,
      },
    ];
    const results = [];
    for (const [i, c] of cases.entries()) {
      const email = `v${i}@example.com`;
      const fields: Record<string, string> = { name: `V${i}`, email };
      if (c.website !== undefined) fields.website = c.website;
      if (c.ts !== undefined) fields.ts = c.ts;
      const a = jsonOf(await post(fields));
      expect(a.status).toBe('confirmed'); // what every one of them is told
      results.push({ what: c.what, signedUp: guests(rt).some((g) => g.email === email) });
    }
    expect(results).toEqual(cases.map((c) => ({ what: c.what, signedUp: c.signedUp })));
    expect(rt.backend.mail).toHaveLength(cases.filter((c) => c.signedUp).length);
  });

  test('the page renders an off-screen trap, out of the tab order and of autofill, and a stamp', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    const html = htmlOf(await rt.web('GET'));
    expect(html).toMatch(
      /<div class="hp" aria-hidden="true">.*<input id="website" name="website" type="text" tabindex="-1" autocomplete="off">/,
    );
    // The backend's clock (the script's runs on from it by the modelled cost of the execution's calls).
    // Signed by the web app (lanes/form/stamp.ts): the render time, a nonce and a signature.
    const stamp = /name="ts" value="(\d+)\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}"/.exec(html)?.[1];
    expect(Math.abs(Number(stamp) - now())).toBeLessThan(60e3);
  });
});
