/** The transaction's email pipeline: a lane can add emails and address the keeper's, never drop or swap them. */
import { Guest } from '../../src/core/model';
import { OutboxIntent } from '../../src/core/outbox';
import { LaneContribution, transactionMail } from '../../src/keeper/transaction';

const guest = (email: string) =>
  ({ email, name: email, token: `t-${email}`, status: 'waitlisted' }) as unknown as Guest;
const bob = guest('bob@example.com');
const cy = guest('cy@example.com');
const keeperMail: OutboxIntent[] = [
  { kind: 'expired', guest: bob },
  { kind: 'offered', guest: cy },
];
const lane = (over: Partial<LaneContribution>): LaneContribution => ({
  mail: [],
  rows: () => undefined,
  log: [],
  ...over,
});

test('the keeper’s emails always go, before the lane’s own', () => {
  const invite: OutboxIntent = { kind: 'invited', guest: guest('dee@example.com') };
  expect(transactionMail(keeperMail, [lane({ mail: [invite] })]).map((m) => m.kind)).toEqual([
    'expired',
    'offered',
    'invited',
  ]);
  expect(transactionMail(keeperMail, []).map((m) => m.kind)).toEqual(['expired', 'offered']);
});

test('a lane addresses the keeper’s emails one for one', () => {
  const out = transactionMail(keeperMail, [lane({ address: (m) => ({ ...m, inReplyTo: 'msg-1' }) })]);
  expect(out.map((m) => m.inReplyTo)).toEqual(['msg-1', 'msg-1']);
});

test('negative control: a lane that swaps the keeper’s email for another is refused', () => {
  const swap = lane({ address: (m) => ({ ...m, kind: 'invited' }) });
  expect(() => transactionMail(keeperMail, [swap])).toThrow(/changed the keeper's expired email/);
  const redirect = lane({ address: (m) => ({ ...m, guest: cy }) });
  expect(() => transactionMail(keeperMail, [redirect])).toThrow();
});

test('only what an earlier run already queued is left out', () => {
  const out = transactionMail(keeperMail, [lane({ queued: (m) => m.kind === 'expired' })]);
  expect(out.map((m) => m.kind)).toEqual(['offered']);
});
