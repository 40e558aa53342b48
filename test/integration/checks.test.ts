/**
 * RSVP → Check this deployment, end to end in the emulator: the menu function writes the Checks sheet,
 * the one-minute trigger finishes the pending rows, and each emulator option that models an answer
 * only a real account gives (BackendOptions) turns its row to fail, with the product's adaptation
 * proved on what a guest or the host then gets.
 */
import { BackendOptions } from '../../emulator/backend';
import { Runtime } from '../../emulator/runtime';
import { setUpRuntime } from '../helpers';

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
});
