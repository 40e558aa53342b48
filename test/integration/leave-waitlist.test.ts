/** A way off the waitlist (issue 15): the link in every waitlist email, through the built bundle. */
import { Runtime } from '../../emulator/runtime';
import { guests, htmlOf, jsonOf, logRows, setUpRuntime, signUp } from '../helpers';

let rt: Runtime;
afterEach(() => rt?.close());

const row = (email: string) => guests(rt).find((g) => g.email === email)!;
const mailsTo = (email: string) => rt.backend.mail.filter((m) => m.to === email);
const leaveLink = (body: string) => /https?:\/\/\S+action=leave&t=[\w-]+/.exec(body)?.[0];

async function fullWithWaitlist() {
  rt = await setUpRuntime({ capacity: 1 });
  for (const n of ['ann', 'bob', 'cy', 'di']) await signUp(rt, n, `${n}@example.com`);
}

describe('leave the waitlist', () => {
  test('the waitlist email links to a page that asks; only its button acts; those behind move up', async () => {
    await fullWithWaitlist();
    const mail = mailsTo('bob@example.com')[0];
    const link = leaveLink(mail.body)!;
    expect(link).toContain(`t=${row('bob@example.com').token}`);
    expect(mail.htmlBody).toContain('>Leave the waitlist</a>');
    const t = row('bob@example.com').token;
    // GET (a mail scanner, or the guest looking) changes nothing.
    const page = htmlOf(await rt.web('GET', { action: 'leave', t }));
    expect(page).toContain('This is the RSVP of bob (b•••@example.com). Do you want to leave the waitlist?');
    expect(page).toContain('value="leave"');
    expect(row('bob@example.com')).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(jsonOf(await rt.postForm({ action: 'leave', t, format: 'json' }))).toMatchObject({
      status: 'left',
      message: "You've left the waitlist.",
    });
    expect(row('bob@example.com').status).toBe('cancelled');
    expect([row('cy@example.com').position, row('di@example.com').position]).toEqual([1, 2]);
    expect(mailsTo('bob@example.com').map((m) => m.subject)).toEqual([
      "You're number 1 on the waitlist: My event",
      "You've left the waitlist: My event",
    ]);
    const log = logRows(rt)
      .filter((r) => r.email === 'bob@example.com')
      .at(-1)!;
    expect([log.from, log.to, log.lane, log.detail]).toEqual([
      'waitlisted',
      'cancelled',
      'form',
      'left the waitlist',
    ]);
    // Twice: nothing more happens.
    expect(jsonOf(await rt.postForm({ action: 'leave', t, format: 'json' }))).toMatchObject({
      status: 'already-cancelled',
    });
  });

  test('an old leave link pressed after the guest was offered a seat keeps the seat', async () => {
    await fullWithWaitlist();
    const t = row('bob@example.com').token;
    await rt.postForm({ action: 'cancel', t: row('ann@example.com').token, format: 'json' });
    expect(row('bob@example.com').status).toBe('offered');
    expect(jsonOf(await rt.postForm({ action: 'leave', t, format: 'json' }))).toMatchObject({
      status: 'already-offered',
    });
    expect(row('bob@example.com').status).toBe('offered');
    // Its page shows the offer (claim or decline), not a way to cancel by leaving.
    const page = jsonOf(await rt.web('GET', { action: 'leave', t, format: 'json' }));
    expect(page).toMatchObject({ status: 'already-offered' });
    expect(JSON.stringify(page)).not.toContain('"leave"');
  });
});
