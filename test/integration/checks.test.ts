/**
 * RSVP → Check this deployment, end to end in the emulator: the menu function writes the Checks sheet,
 * the one-minute trigger finishes the pending rows, and each emulator option that models an answer
 * only a real account gives (BackendOptions) turns its row to fail, with the product's adaptation
 * proved on what a guest or the host then gets.
 */
import { BackendOptions } from '../../emulator/backend';
import { Runtime } from '../../emulator/runtime';
import { guests, replyRows, setUpRuntime, signUp, runTrigger } from '../helpers';

const REPLY_TO = 'host+rsvp@example.com';
const GMAIL_STAMP =
  'mx.google.com; dkim=pass header.i=@guest.example header.s=s1; spf=pass smtp.mailfrom=ada@guest.example; dmarc=pass header.from=guest.example';

type Row = { check: string; result: string; observed: string; todo: string; when: string };

async function runtime(backend: BackendOptions = {}, replies = true): Promise<Runtime> {
  const rt = await setUpRuntime({ backend, settings: { 'Reply-to address': REPLY_TO } });
  if (replies) {
    const on = await rt.run('turnOnEmailReplies', [], { context: 'editor' });
    expect(on.ok).toBe(true);
  }
  // A guest's reply, as Gmail received it: its own stamp, and a relay's result the mail arrived with.
  rt.backend.deliverMail({
    from: 'Ada <ada@guest.example>',
    to: REPLY_TO,
    subject: 'Re: invite',
    plainBody: 'yes',
    gmailAuth: GMAIL_STAMP,
    headers: { 'Authentication-Results': 'relay.guest.example; spf=pass smtp.mailfrom=ada@guest.example' },
  });
  return rt;
}

async function rows(rt: Runtime): Promise<Record<string, Row>> {
  const r = await rt.run('checkResults', [], { context: 'editor' });
  expect(r.ok).toBe(true);
  return Object.fromEntries((r.result as Row[]).map((x) => [x.check, x]));
}

async function check(rt: Runtime) {
  const first = await rt.run('checkDeployment', [], { context: 'editor' });
  if (!first.ok) throw new Error(`${first.error?.message}\n${first.error?.stack}`);
  const before = await rows(rt);
  const follow = await rt.runDueTriggers(rt.backend.now() + 61e3);
  const ran = follow.filter((f) => f.fn === 'checkDeploymentFollowUp');
  expect(ran).toHaveLength(1);
  if (!ran[0].ok) throw new Error(`${ran[0].error?.message}\n${ran[0].error?.stack}`);
  return { before, after: await rows(rt) };
}

const W = 'Web app URL set and answering';
const RB = 'A write flushed under the lock, read by a second execution';
const EPOCH = 'Reply search finds our test mail (after:<epoch seconds>)';
const DATE = 'Reply search finds our test mail (after:yyyy/mm/dd)';
const IRT = 'Our replies carry In-Reply-To';
const AR = "Gmail's Authentication-Results is topmost";
const OPS = 'Gmail operations a poll spends';

describe('RSVP → Check this deployment', () => {
  it('passes every check on a deployment that behaves as Google documents, and cleans up after itself', async () => {
    const rt = await runtime();
    const { before, after } = await check(rt);
    expect(before[RB].result).toBe('pending');
    expect(before[EPOCH].result).toBe('pending');
    if (process.env.PEEK) console.log(JSON.stringify(after, null, 1));
    const results = Object.fromEntries(Object.values(after).map((r) => [r.check, r.result]));
    expect(results).toEqual({
      [W]: 'pass',
      'Triggers installed, each once': 'pass',
      "Triggers' last runs": 'could not check', // no run recorded yet
      'Permissions granted': 'pass',
      'Script lock taken and released': 'pass',
      [RB]: 'pass',
      'Email quota left today': 'pass',
      [EPOCH]: 'pass',
      [DATE]: 'pass',
      [IRT]: 'pass',
      [AR]: 'pass',
      [OPS]: 'pass',
    });
    // Clean: the temporary trigger and token gone, the test thread labelled and archived.
    expect(rt.backend.triggers.map((t) => t.handlerFunction).sort()).toEqual([
      'onSheetChange',
      'onSheetEdit',
      'pollReplies',
      'sendQueuedEmails',
    ]);
    expect(Object.keys(rt.backend.scriptProperties).filter((k) => k.startsWith('rsvp.check'))).toEqual([]);
    const test = rt.backend.mailbox.threads.filter((t) => t.labels.includes('RSVP/check'));
    expect(test).toHaveLength(1);
    expect(test[0].messageIds.every((id) => !rt.backend.mailbox.message(id).inInbox)).toBe(true);
    // The Checks sheet itself, as the host sees it.
    const sheet = rt.backend.sheetValues('Checks');
    expect(sheet[0]).toEqual(['Check', 'Result', 'Observed', 'What to do', 'When']);
    expect(sheet.length).toBe(13);
    // It cost 2 email recipients (the test email and its reply).
    expect(
      rt.backend.mail.filter((m) => /deployment check|Check this deployment/.test(m.subject + m.body)),
    ).toHaveLength(2);
  });

  it('web app not deployed, and Gmail left unticked at consent: both fail with what to do, and the rest still runs', async () => {
    const rt = await runtime({ url: null, ungrantedScopes: ['https://mail.google.com/'] }, false);
    const first = await rt.run('checkDeployment', [], { context: 'editor' });
    expect(first.error?.message).toBeUndefined();
    const r = await rows(rt);
    expect(r[W]).toMatchObject({
      result: 'fail',
      observed: 'no web app URL',
      todo: expect.stringMatching(/New deployment/),
    });
    expect(r['Permissions granted']).toMatchObject({
      result: 'fail',
      observed: 'not granted: https://mail.google.com/',
    });
    expect(r[EPOCH].result).toBe('could not check');
    expect(r[EPOCH].observed).toMatch(/permission/);
    expect(r['Script lock taken and released'].result).toBe('pass');
  });

  it("a Gmail that finds nothing with after:<epoch>: the check picks after:yyyy/mm/dd, and the reply poll then finds the guest's reply", async () => {
    const rt = await runtime({ gmailAfterEpoch: 'nothing' });
    await signUp(rt, 'Ada', 'ada@guest.example');
    // Before the check: the poll's epoch search finds nothing, the "yes" waits unanswered.
    const blind = await runTrigger(rt, 'pollReplies');
    expect(blind.result).toMatchObject({ threads: 0, replies: 0 });
    const { after } = await check(rt);
    expect(after[EPOCH]).toMatchObject({ result: 'fail', observed: 'found nothing' });
    expect(after[EPOCH].todo).toMatch(/now uses after:yyyy\/mm\/dd/);
    expect(after[DATE].result).toBe('pass');
    expect(rt.backend.scriptProperties['rsvp.replies.searchForm']).toBe('date');
    const seen = await runTrigger(rt, 'pollReplies');
    expect(seen.result).toMatchObject({ replies: 1 });
    expect(replyRows(rt).map((x) => x.from)).toEqual(['Ada <ada@guest.example>']);
  });

  it('a Gmail that ignores after:<epoch> is caught too (it finds the test mail, but also past the term)', async () => {
    const rt = await runtime({ gmailAfterEpoch: 'ignored' });
    const { after } = await check(rt);
    expect(after[EPOCH]).toMatchObject({ result: 'fail', observed: expect.stringMatching(/ignored/) });
    expect(after[DATE].result).toBe('pass');
    expect(rt.backend.scriptProperties['rsvp.replies.searchForm']).toBe('date');
  });

  it('a reply without In-Reply-To fails its row', async () => {
    const rt = await runtime({ gmailReplyInReplyTo: false });
    const { after } = await check(rt);
    expect(after[IRT]).toMatchObject({ result: 'fail', observed: 'no In-Reply-To on our reply' });
  });

  it("Gmail's stamp below the headers a message arrived with: the check fails it, and a forged cancel then sends the cancel link instead of cancelling", async () => {
    const forgedCancel = (rt: Runtime) =>
      rt.backend.deliverMail({
        from: 'Ada <ada@guest.example>',
        to: REPLY_TO,
        subject: 'Re: invite',
        plainBody: "Can't make it, please cancel.",
        // The forger writes Gmail's name on a pass; Gmail's own stamp (a fail) lands below it.
        headers: { 'Authentication-Results': 'mx.google.com; dmarc=pass header.from=guest.example' },
        gmailAuth:
          'mx.google.com; spf=fail smtp.mailfrom=ada@guest.example; dmarc=fail header.from=guest.example',
      });
    // Negative control: without the check, the product trusts the topmost mx.google.com and cancels.
    const naive = await runtime({ gmailAuthResultsAt: 'bottom' });
    await signUp(naive, 'Ada', 'ada@guest.example');
    await runTrigger(naive, 'pollReplies');
    forgedCancel(naive);
    naive.backend.advanceTo(naive.backend.now() + 60e3);
    await runTrigger(naive, 'pollReplies');
    expect(guests(naive).find((g) => g.email === 'ada@guest.example')?.status).toBe('cancelled');

    const rt = await runtime({ gmailAuthResultsAt: 'bottom' });
    await signUp(rt, 'Ada', 'ada@guest.example');
    const { after } = await check(rt);
    expect(after[AR]).toMatchObject({
      result: 'fail',
      observed: expect.stringMatching(/relay\.guest\.example > mx\.google\.com/),
    });
    expect(rt.backend.scriptProperties['rsvp.replies.trustAuth']).toBe('no');
    await runTrigger(rt, 'pollReplies');
    forgedCancel(rt);
    rt.backend.advanceTo(rt.backend.now() + 60e3);
    await runTrigger(rt, 'pollReplies');
    expect(guests(rt).find((g) => g.email === 'ada@guest.example')?.status).toBe('confirmed');
    const links = rt.backend.mail.filter(
      (m) => m.to.includes('ada@guest.example') && /asking to cancel your RSVP/.test(m.body),
    );
    expect(links).toHaveLength(1);
  });

  it('getters that are Gmail round trips: the poll slows to an interval within half the daily quota, and turning replies on again keeps it', async () => {
    const rt = await runtime({ gmailGettersCount: true });
    const { after } = await check(rt);
    expect(after[OPS]).toMatchObject({
      result: 'fail',
      todo: expect.stringMatching(/now runs every 10 minutes/),
    });
    expect(after[OPS].observed).toMatch(/round trips: counted/);
    const poll = () => rt.backend.triggers.filter((t) => t.handlerFunction === 'pollReplies');
    expect(poll().map((t) => t.everyMinutes)).toEqual([10]);
    await rt.run('turnOnEmailReplies', [], { context: 'editor' });
    expect(poll().map((t) => t.everyMinutes)).toEqual([10]);
  });

  it('duplicate triggers are removed (one of each runs), and runs the triggers recorded are read back', async () => {
    const rt = await runtime();
    const drain = rt.backend.triggers.find((t) => t.handlerFunction === 'sendQueuedEmails')!;
    rt.backend.triggers.push({ ...drain, id: 'trigger-by-hand' });
    await rt.runDueTriggers(rt.backend.now() + 11 * 60e3);
    const first = await check(rt);
    expect(first.before['Triggers installed, each once']).toMatchObject({
      result: 'fail',
      observed: 'sending queued emails: 2; edits: 1; deleted rows: 1; email replies: 1',
      todo: 'Removed 1 duplicate trigger(s): each now runs once.',
    });
    expect(first.before["Triggers' last runs"]).toMatchObject({
      result: 'pass',
      observed: expect.stringMatching(
        /sending queued emails: last run .* succeeded; email replies: last run .* succeeded/,
      ),
    });
    const again = await check(rt);
    expect(again.after['Triggers installed, each once'].result).toBe('pass');
  });
});
