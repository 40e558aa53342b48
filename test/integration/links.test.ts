/**
 * Every link in every email opens for a guest (issue 20 §2). Outside a live /exec request
 * getUrl() answers the /dev URL only the script's editors can open (the runtime models it so), and
 * most mail is sent outside one: the 10-minute run (offers it makes, reminders, mail held by quiet
 * hours or the quota) and the host's menu (invites). Each must carry the public /exec link the
 * product learned when the form was opened.
 */
import { Runtime } from '../../emulator/runtime';
import { instantOf } from '../../src/core/zoned';
import { guests, runTrigger, setUpRuntime, signUp } from '../helpers';

let rt: Runtime;
afterEach(() => rt?.close());

const EXEC = 'http://localhost:8080/exec';
const TZ = 'Europe/London';
const london = (day: number, h: number, m = 0) =>
  instantOf({ year: 2026, month: 11, day, hour: h, minute: m }, TZ);

/** Every URL in a mail's text and HTML bodies. */
const urlsIn = (m: { body: string; htmlBody?: string }) =>
  [...`${m.body}\n${m.htmlBody ?? ''}`.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((x) =>
    x[0].replace(/&#38;|&amp;/g, '&'),
  );

test('links from the menu, the 10-minute run, offers, reminders and held mail are all /exec links', async () => {
  rt = await setUpRuntime({
    capacity: 1,
    settings: {
      'Event name': 'Gala',
      'Starts at': '2026-11-14 19:00',
      'Time zone': TZ,
      'Claim window (hours)': 1,
    },
  });
  // (The runtime's getUrl() answers /dev outside a web-app request: checks-fidelity.test.ts.)
  await signUp(rt, 'Ann', 'ann@example.com'); // confirmed
  await signUp(rt, 'Bob', 'bob@example.com'); // waitlisted #1
  await signUp(rt, 'Cy', 'cy@example.com'); // waitlisted #2
  // Invites from the menu.
  await rt.hostEdit('Import', 'A2:B2', [['Ivy', 'ivy@example.com']]);
  expect((await rt.run('sendInvites', [], { context: 'editor' })).ok).toBe(true);
  // Ann cancels at night: Bob's offer waits for quiet hours to end, and goes from the 10-minute run.
  rt.backend.advanceTo(london(3, 23));
  await rt.postForm({
    action: 'cancel',
    t: guests(rt).find((g) => g.email === 'ann@example.com')!.token,
    format: 'json',
  });
  for (let t = london(4, 7, 50); t <= london(4, 9, 30); t += 10 * 60e3) await rt.runDueTriggers(t);
  // Bob's offer ran out: the 10-minute run offers the seat to Cy.
  expect(guests(rt).find((g) => g.email === 'cy@example.com')!.status).toBe('offered');
  await rt.postForm({
    action: 'claim',
    t: guests(rt).find((g) => g.email === 'cy@example.com')!.token,
    format: 'json',
  });
  // Reminders, from the 10-minute run.
  for (let t = london(7, 8, 50); t <= london(7, 9, 30); t += 10 * 60e3) await rt.runDueTriggers(t);
  expect((await runTrigger(rt, 'sendQueuedEmails')).ok).toBe(true);

  const subjects = rt.backend.mail.map((m) => `${m.to}: ${m.subject}`);
  for (const want of [
    /^ivy@example.com: .*invite/i,
    /^bob@example.com: A seat opened up/,
    /^cy@example.com: A seat opened up/,
    /^cy@example.com: Reminder: /,
  ])
    expect(subjects).toContainEqual(expect.stringMatching(want));
  const all = rt.backend.mail.flatMap((m) => urlsIn(m).map((u) => `${m.subject}: ${u}`));
  // "Add to calendar" links go to Google Calendar and Outlook: they carry the event, never a guest's link.
  const calendar = /: https:\/\/(calendar\.google\.com|outlook\.live\.com)\//;
  const guestLink = /exec(\?|%3F)|[?&]t=|action(=|%3D)(cancel|claim|status|confirm|leave)/i;
  expect(all.filter((l) => calendar.test(l) && guestLink.test(l))).toEqual([]);
  expect(all.filter((l) => calendar.test(l)).length).toBeGreaterThan(0);
  const links = all.filter((l) => !calendar.test(l));
  expect(links.length).toBeGreaterThan(8);
  expect(links.filter((l) => !l.includes(`: ${EXEC}?`))).toEqual([]);
  expect(links.filter((l) => l.includes('/dev'))).toEqual([]);
});
