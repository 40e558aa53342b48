/**
 * Exactly once for the email lane: polls that overlap (with web sign-ups arriving at the same moment) and
 * polls killed at every single service call lose no reply and double none. A negative control runs the
 * same overlap with the locks taken away and must be caught doubling.
 */
import * as fs from 'fs';
import * as path from 'path';
import { REALISTIC_LATENCY } from '../../emulator/backend';
import { Runtime, triggerEvent } from '../../emulator/runtime';
import {
  checkInvariants,
  guests,
  installTrigger,
  outboxRows,
  replyRows,
  setUpRuntime,
  runTrigger,
} from '../helpers';

const REPLY_TO = 'host+rsvp@example.com';
const LATENCY = { latency: REALISTIC_LATENCY, latencyScale: 0.05 };
const OK_AUTH =
  'mx.google.com; dkim=pass header.i=@example.com header.s=s1; spf=pass smtp.mailfrom=x@example.com; dmarc=pass header.from=example.com';

/**
 * Test fixture: pollReplies with the poll's document lock always granted (so polls really overlap), and
 * for the negative control the keeper's script lock too.
 */
const FIXTURE = String.raw`
function pollWithoutLocks(which, e) {
  var real = LockService;
  var open = { tryLock: function () { return true; }, waitLock: function () {}, releaseLock: function () {}, hasLock: function () { return true; } };
  LockService = {
    getDocumentLock: function () { return open; },
    getScriptLock: function () { return which === 'all' ? open : real.getScriptLock(); },
    getUserLock: function () { return real.getUserLock(); },
  };
  return pollReplies(e);
}`;

function deliverYes(rt: Runtime, name: string, email: string, body = 'Yes please!') {
  return rt.backend.deliverMail({
    from: `${name} <${email}>`,
    to: REPLY_TO,
    subject: 'Re: invite',
    plainBody: body,
  });
}

/** `n` guests replying yes, as the checker wants them. */
function yesReplies(rt: Runtime, prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const email = `${prefix}${i}@example.com`;
    return { id: deliverYes(rt, `${prefix} ${i}`, email).id, email, wants: 'seat' as const };
  });
}

/** Every way a reply can be lost or doubled, as a list of problems (empty: exactly once). */
function exactlyOnceProblems(
  rt: Runtime,
  replies: Array<{ id: string; email: string; wants: 'seat' | 'cancel' | 'review' }>,
) {
  const problems: string[] = [];
  const rows = replyRows(rt);
  const outbox = outboxRows(rt);
  const list = guests(rt);
  for (const r of replies) {
    const final = rows.filter((x) => x.id === r.id && x.status !== 'retry');
    if (final.length !== 1) problems.push(`${r.id} (${r.email}) has ${final.length} final rows`);
    // Answers that can be sent: written for a guest row that exists (one written by a transaction whose
    // guest rows never landed is skipped by the sender).
    const tokens = new Set(list.map((g) => g.token));
    const answers = outbox.filter((o) => o.inReplyTo.replace(/^mail:/, '') === r.id && tokens.has(o.token));
    if (answers.length > 1) problems.push(`${r.id} (${r.email}) answered ${answers.length} times`);
    const inThread = rt.backend.mail.filter((m) => m.threadId === rt.backend.mailbox.message(r.id).threadId);
    if (inThread.length > 1) problems.push(`${r.id} (${r.email}) emailed ${inThread.length} times`);
    const live = list.filter((g) => g.email === r.email && g.status !== 'cancelled');
    if (r.wants === 'seat' && live.length !== 1) problems.push(`${r.email} has ${live.length} live rows`);
    if (r.wants === 'cancel' && live.length !== 0) problems.push(`${r.email} was not cancelled`);
    if (r.wants === 'review' && list.some((g) => g.email === r.email)) problems.push(`${r.email} got a row`);
  }
  return problems;
}

describe('email lane: exactly once', () => {
  test('overlapping polls (poll lock bypassed) and web sign-ups at the same moment: every reply counted once', async () => {
    const rt = await setUpRuntime({ capacity: 25 });
    try {
      const replies = yesReplies(rt, 'reply', 30);
      Object.assign(rt.backend.opts, LATENCY);
      const code = fs.readFileSync(path.join(__dirname, '../../dist/Code.js'), 'utf8') + FIXTURE;
      const polls = new Runtime({ backend: rt.backend, code });
      // The overlapping polls carry the installed trigger's event, as three firings of it would.
      const event = triggerEvent(installTrigger(rt, 'pollReplies'), rt.backend);
      const runs = await polls.runConcurrently([
        ...[1, 2, 3].map(() => ({
          fn: 'pollWithoutLocks',
          args: ['poll', event],
          opts: { context: 'trigger' as const },
        })),
        ...Array.from({ length: 15 }, (_, i) => ({
          fn: 'doPost',
          args: [
            { parameter: { name: `Web ${i}`, email: `web${i}@example.com`, format: 'json' }, parameters: {} },
          ],
          opts: { context: 'webapp' as const },
        })),
      ]);
      await polls.close();
      expect(runs.filter((r) => !r.ok).map((r) => `${r.fn}: ${r.error?.message}`)).toEqual([]);
      // The polls really overlapped: each one read all 30 replies, and together they answered each once.
      for (const r of runs.slice(0, 3)) expect(r.calls['gmail.thread.messages']).toBeGreaterThanOrEqual(30);
      const answered = runs.slice(0, 3).map((r) => (r.result as { replies: number }).replies);
      expect(answered.reduce((a, b) => a + b, 0)).toBe(30);
      rt.backend.opts.latency = null;
      expect(exactlyOnceProblems(rt, replies)).toEqual([]);
      const rows = checkInvariants(rt, 25);
      expect(rows.filter((g) => g.status === 'confirmed')).toHaveLength(25);
      expect(rows).toHaveLength(45);
    } finally {
      await rt.close();
    }
  }, 120000);

  test('negative control: a poll that has lost the handled ids is caught answering twice', async () => {
    const rt = await setUpRuntime({ capacity: 50 });
    try {
      const replies = yesReplies(rt, 'dup', 5);
      await runTrigger(rt, 'pollReplies');
      expect(exactlyOnceProblems(rt, replies)).toEqual([]);
      // Every record of what was handled is gone (Replies rows deleted, the Outbox's In reply to column
      // cleared, the watermark reset): the same harness must see every reply answered a second time.
      const rows = rt.backend.sheetRaw('Replies').length;
      rt.backend.hostEdit(
        'Replies',
        `A2:H${rows}`,
        Array.from({ length: rows - 1 }, () => Array(8).fill('')),
      );
      const out = rt.backend.sheetRaw('Outbox').length;
      rt.backend.hostEdit(
        'Outbox',
        `L2:L${out}`,
        Array.from({ length: out - 1 }, () => ['']),
      );
      // (The web app's learned address stays: it is not a record of what was handled.)
      for (const key of Object.keys(rt.backend.scriptProperties))
        if (!key.startsWith('rsvp.url.')) delete rt.backend.scriptProperties[key];
      await runTrigger(rt, 'pollReplies');
      const problems = exactlyOnceProblems(rt, replies);
      expect(problems).toHaveLength(replies.length);
      for (const p of problems) expect(p).toMatch(/emailed 2 times/);
    } finally {
      await rt.close();
    }
  });

  test.each([
    ['discard', 1],
    ['commit', 1],
  ] as const)(
    'a poll killed at its service calls (unflushed writes %s, every %i call): nothing lost, nothing doubled',
    async (onKill, step) => {
      // Quiet hours off: the sweep moves the clock an hour a round, and where it ends (at night, say)
      // must not decide whether the final drain may send (quiet hours have tests of their own).
      const rt = await setUpRuntime({ capacity: 3, backend: { onKill }, settings: { 'Quiet hours': 'off' } });
      try {
        let round = 0;
        // Each round: a yes, a verified cancel from the guest the last round signed up, a "maybe?", and
        // the yes of the guest the next round cancels.
        const deliverRound = (leaving: string) => {
          round++;
          const next = `leave${round}@example.com`;
          const mk = (email: string, body: string, wants: 'seat' | 'cancel' | 'review', headers = {}) => ({
            id: rt.backend.deliverMail({
              from: `G <${email}>`,
              to: REPLY_TO,
              subject: 'Re: invite',
              plainBody: body,
              headers,
            }).id,
            email,
            wants,
          });
          const replies = [
            mk(`r${round}@example.com`, 'Yes please!', 'seat'),
            mk(leaving, "Sorry, I can't make it any more.", 'cancel', { 'Authentication-Results': OK_AUTH }),
            mk(`r${round}maybe@example.com`, 'Maybe?', 'review'),
            mk(next, 'Count me in', 'seat'),
          ];
          return { replies, next };
        };
        deliverYes(rt, 'First', 'leave0@example.com');
        await runTrigger(rt, 'pollReplies');
        let { replies, next } = deliverRound('leave0@example.com');
        const everyReply = [...replies];
        const clean = await runTrigger(rt, 'pollReplies');
        expect(exactlyOnceProblems(rt, replies)).toEqual([]);
        const total = Object.values(clean.calls).reduce((a, b) => a + b, 0);
        expect(total).toBeGreaterThan(30);
        for (let k = 1; k <= total; k += step) {
          // Each round an hour later, so earlier rounds' threads fall out of the search window.
          rt.backend.advanceTo(rt.backend.now() + 3600e3);
          ({ replies, next } = deliverRound(next));
          everyReply.push(...replies);
          const killed = await runTrigger(rt, 'pollReplies', { killAfterCalls: k });
          expect(killed.killed).toBe(true);
          expect(rt.backend.lockHolder()).toBeNull();
          const after = await runTrigger(rt, 'pollReplies');
          if (!after.ok) console.error(`k=${k}`, after.error?.stack, after.calls, killed.calls);
          expect({ k, ok: after.ok, error: after.error?.message }).toEqual({ k, ok: true, error: undefined });
          expect({ k, problems: exactlyOnceProblems(rt, replies) }).toEqual({ k, problems: [] });
          if (onKill === 'commit') await rt.run('recount', [], { context: 'editor' });
          checkInvariants(rt, 3);
        }
        // Whatever died, the drain later sends every answer the Outbox owes.
        rt.backend.advanceTo(rt.backend.now() + 11 * 60e3);
        await rt.run('sendQueuedEmails', [], { context: 'trigger' });
        expect(outboxRows(rt).filter((o) => o.status === 'sending' || o.status === 'queued')).toEqual([]);
        for (const g of guests(rt).filter((x) => /^r\d+@/.test(x.email)))
          expect(rt.backend.mail.filter((m) => m.to.includes(g.email)).length).toBeGreaterThanOrEqual(1);
        // Not even a poll that died between sending an answer and recording it: the drain that takes the
        // row over finds the answer in the thread (In-Reply-To) and does not send it again.
        // (Guests' states have moved on since their round: only the email counts are checked here.)
        expect(exactlyOnceProblems(rt, everyReply).filter((p) => /emailed/.test(p))).toEqual([]);
      } finally {
        await rt.close();
      }
    },
    300000,
  );
});
