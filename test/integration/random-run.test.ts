/**
 * A long seeded run of sign-ups (form and email reply), cancels (link and email reply), claims,
 * declines, expiries, capacity changes and host edits through the built bundle, checking the invariants after every step; then the Log is
 * replayed and must reproduce every guest's final status. Reproduce a failure with RSVP_SEED=<seed>.
 */
import { Runtime } from '../../emulator/runtime';
import { checkInvariants, guests, setUpRuntime, summary } from '../helpers';

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.RSVP_SEED ?? 20261125);
const STEPS = 160;

describe('randomized run', () => {
  let rt: Runtime;
  afterAll(() => rt?.close());

  test(`seed ${SEED}: invariants hold after every step, and the Log replays to the final sheet`, async () => {
    const rand = mulberry32(SEED);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    let capacity = 5;
    rt = await setUpRuntime({ capacity, backend: { mailQuotaPerDay: 100000 } });
    const emails = Array.from({ length: 30 }, (_, i) => `p${i}@example.com`);
    const capRow = rt.backend.sheetRaw('Settings').findIndex((r) => r[0] === 'Capacity') + 1;
    const held = () => guests(rt).filter((g) => g.status === 'confirmed' || g.status === 'offered').length;
    const trail: string[] = [];

    for (let step = 0; step < STEPS; step++) {
      const before = held();
      const rows = guests(rt);
      const r = rand();
      let hostOverride = false;
      let what: string;
      if (r < 0.3) {
        const email = pick(emails);
        what = `sign-up ${email}`;
        await rt.postForm({ name: email.split('@')[0], email, format: 'json' });
      } else if (r < 0.4) {
        // The email lane: a "yes" or a (verified) cancel by reply, then the poll.
        const email = pick(emails);
        const cancel = rand() < 0.35;
        what = `${cancel ? 'cancel' : 'yes'} by email ${email}`;
        rt.backend.deliverMail({
          from: `${email.split('@')[0]} <${email}>`,
          to: 'host+rsvp@example.com',
          subject: 'Re: invite',
          plainBody: cancel ? "Sorry, I can't make it." : 'Yes, count me in!',
          headers: cancel
            ? { 'Authentication-Results': 'mx.google.com; dmarc=pass header.from=example.com' }
            : {},
        });
        const polled = await rt.run('pollReplies', [], { context: 'trigger' });
        expect(polled.ok).toBe(true);
      } else if (r < 0.55 && rows.length) {
        const g = pick(rows);
        what = `cancel ${g.email}`;
        await rt.postForm({ action: 'cancel', t: g.token, format: 'json' });
      } else if (r < 0.7 && rows.some((g) => g.status === 'offered')) {
        const g = pick(rows.filter((x) => x.status === 'offered'));
        const action = rand() < 0.7 ? 'claim' : 'decline';
        what = `${action} ${g.email}`;
        await rt.postForm({ action, t: g.token, format: 'json' });
      } else if (r < 0.8) {
        capacity = Math.floor(rand() * 12);
        what = `capacity ${capacity}`;
        await rt.hostEdit('Settings', `B${capRow}`, [[capacity]]);
      } else if (r < 0.9) {
        what = 'time passes; triggers run';
        await rt.runDueTriggers(rt.backend.now() + Math.floor(rand() * 30) * 3600e3);
      } else if (rows.length) {
        const g = pick(rows);
        const to = pick(['confirmed', 'cancelled', 'waitlisted', 'maybe']);
        hostOverride = to === 'confirmed';
        what = `host sets ${g.email} to ${to}`;
        await rt.hostEdit('Guests', `C${g.row}`, [[to]]);
      } else continue;
      trail.push(what);
      try {
        checkInvariants(rt, hostOverride ? Infinity : Math.max(capacity, before), { summary: true });
        // The keeper never adds a seat beyond the cap; only the host may (a logged override).
        if (!hostOverride && held() > capacity) expect(held()).toBeLessThanOrEqual(before);
      } catch (e) {
        throw new Error(
          `step ${step} (${what}) broke an invariant; steps so far:\n${trail.join('\n')}\n${e}`,
        );
      }
    }

    // Replay: the Log, applied in order, gives every row's status in the sheet. A mailbox may hold several
    // rows (an RSVP cancelled, then a new one), so each email's rows are replayed as a list: 'new' adds a
    // row, a change moves a row that was in the 'from' status, a revert puts one back (no change).
    const replayed = new Map<string, string[]>();
    for (const row of rt.backend.sheetRaw('Log').slice(1)) {
      const [email, from, to, detail] = [row[1], row[3], row[4], row[6]].map(String);
      if (!email) continue;
      const list = replayed.get(email) ?? [];
      replayed.set(email, list);
      if (detail.startsWith('reverted')) continue;
      const i = list.indexOf(from);
      if (from === 'new') list.push(to);
      else if (i >= 0) list[i] = to;
      else if (from !== to) list.push(`${from}?>${to}`); // shows up as a mismatch below
    }
    const final = guests(rt);
    const inSheet = new Map<string, string[]>();
    for (const g of final) inSheet.set(g.email, [...(inSheet.get(g.email) ?? []), g.status]);
    const sorted = (m: Map<string, string[]>) =>
      Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).filter(([, v]) => v.length));
    expect(sorted(replayed)).toEqual(sorted(inSheet));
    // Guests came back after cancelling (a new row each time), and the host's attempts to make an old
    // row live again beside a new one were put back.
    const details = rt.backend
      .sheetRaw('Log')
      .slice(1)
      .map((r) => String(r[6]));
    expect(details.some((d) => d.startsWith('signed up again after cancelling'))).toBe(true);
    expect(details).toContain('reverted: one RSVP per mailbox');
    expect(summary(rt).Confirmed).toBe(final.filter((g) => g.status === 'confirmed').length);
    // The run did exercise the interesting paths.
    const kinds = new Set(
      rt.backend
        .sheetRaw('Log')
        .slice(1)
        .map((r) => `${r[3]}>${r[4]}`),
    );
    for (const k of [
      'new>confirmed',
      'new>waitlisted',
      'waitlisted>offered',
      'offered>confirmed',
      'confirmed>cancelled',
    ]) {
      expect(kinds).toContain(k);
    }
    const lanes = new Set(
      rt.backend
        .sheetRaw('Log')
        .slice(1)
        .map((r) => `${r[3]}>${r[4]}:${r[5]}`),
    );
    // The email lane took part: replies became seats (or waitlist places) and cancels.
    const byEmail = [...lanes].filter((k) => k.endsWith(':email'));
    expect(byEmail.some((k) => /^new>(confirmed|waitlisted):/.test(k))).toBe(true);
    expect(byEmail.some((k) => />cancelled:/.test(k))).toBe(true);
  }, 120000);
});
