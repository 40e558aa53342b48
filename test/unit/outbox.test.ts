import { OutboxEntry, OutboxStatus, supersededIds } from '../../src/core/outbox';

type Row = OutboxEntry & { created: Date | null };

function row(id: string, minute: number | null, status: OutboxStatus, over: Partial<Row> = {}): Row {
  return {
    id,
    created: minute === null ? null : new Date(Date.UTC(2026, 10, 26, 12, minute)),
    to: 'ada@example.com',
    name: 'Ada',
    kind: 'offered',
    token: 'tok-ada',
    subject: 'A seat opened up',
    status,
    tries: 0,
    inReplyTo: '',
    sendAfter: null,
    about: '',
    ...over,
  };
}

describe('Outbox rows a later row replaces', () => {
  test('an unsent row is replaced by a later row for the same guest and kind, whatever its state', () => {
    const ids = supersededIds([
      row('orphan', 0, 'sending'),
      row('queued', 1, 'queued'),
      row('retry', 2, 'sent'),
    ]);
    expect([...ids].sort()).toEqual(['orphan', 'queued']);
  });

  test('two rows created in the same millisecond: the one appended later replaces the earlier', () => {
    expect(supersededIds([row('first', 3, 'sending'), row('retry', 3, 'queued')])).toEqual(
      new Set(['first']),
    );
    expect(supersededIds([row('retry', 3, 'queued'), row('first', 2, 'sending')])).toEqual(
      new Set(['first']),
    );
  });

  test('the latest row itself is kept, and so is every sent row', () => {
    expect(supersededIds([row('sent', 0, 'sent'), row('new', 5, 'queued')])).toEqual(new Set());
  });

  test('another guest, another kind or another answered message is not the same email', () => {
    const ids = supersededIds([
      row('a', 0, 'queued'),
      row('other-guest', 1, 'sent', { token: 'tok-bo' }),
      row('other-kind', 2, 'sent', { kind: 'confirmed' }),
      row('answer-1', 3, 'queued', { inReplyTo: 'msg-1' }),
      row('answer-2', 4, 'sent', { inReplyTo: 'msg-2' }),
    ]);
    expect(ids).toEqual(new Set());
  });

  test('an answer sent as plain mail and one in the thread answer the same message', () => {
    const ids = supersededIds([
      row('thread', 0, 'sending', { inReplyTo: 'msg-1' }),
      row('mail', 1, 'sent', { inReplyTo: 'mail:msg-1' }),
    ]);
    expect(ids).toEqual(new Set(['thread']));
  });

  test('failed or skipped rows replace nothing; rows without a date or a token are left alone', () => {
    const ids = supersededIds([
      row('a', 0, 'queued'),
      row('failed', 1, 'failed'),
      row('skipped', 2, 'skipped'),
      row('undated', null, 'queued'),
      row('no-token-old', 0, 'queued', { token: '' }),
      row('no-token-new', 3, 'sent', { token: '' }),
    ]);
    expect(ids).toEqual(new Set());
  });
});
