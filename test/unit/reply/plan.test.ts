/** What an unverified "cancel" reply does (pure): at most one cancel link, never a stream of them. */
import { Guest } from '../../../src/core/model';
import { ReplyItem, resultOf } from '../../../src/core/reply/plan';

const ada: Guest = {
  row: 2,
  email: 'ada@example.com',
  name: 'Ada',
  status: 'confirmed',
  position: null,
  source: 'email',
  created: null,
  updated: null,
  offerExpires: null,
  note: '',
  token: 'tok',
  party: 1,
};
const forged = (oursInThread: number): ReplyItem => ({
  id: 'm1',
  threadId: 't1',
  received: new Date('2026-11-25T10:00:00Z'),
  from: 'Ada <ada@example.com>',
  subject: 'Re: invite',
  decision: {
    action: 'cancel',
    reason: 'cancel phrase',
    sender: { name: 'Ada', email: 'ada@example.com' },
    text: 'cancel',
  },
  auth: { ok: false, why: 'no Authentication-Results from Gmail' },
  answerInThread: true,
  oursInThread,
  tries: 1,
});

describe('an unverified cancel', () => {
  test('sends the guest their cancel link, once', () => {
    expect(resultOf(forged(1), undefined, ada)).toMatchObject({ status: 'handled', answer: 'cancel-link' });
  });

  test('not again in a thread where we already wrote our share (the same guard as a repeated "yes")', () => {
    expect(resultOf(forged(3), undefined, ada)).toMatchObject({
      answer: null,
      result: expect.stringMatching(/we already wrote in this thread/),
    });
    // Answers this batch already queued in the thread count too.
    expect(resultOf(forged(1), undefined, ada, { ours: 3 })).toMatchObject({ answer: null });
  });

  test('not again within a day of the last one', () => {
    expect(resultOf(forged(0), undefined, ada, { cancelLinkSent: true })).toMatchObject({
      status: 'handled',
      answer: null,
      result: expect.stringMatching(/^cancel link not sent again: .*last 24 hours/),
    });
  });

  test('for a guest with no live RSVP: nothing sent, left for the host', () => {
    expect(resultOf(forged(0), undefined, { ...ada, status: 'cancelled' })).toMatchObject({
      status: 'review',
      answer: null,
    });
  });
});

describe('a "yes" after registration closed', () => {
  const yes = (oursInThread: number): ReplyItem => ({
    ...forged(oursInThread),
    decision: {
      action: 'request',
      reason: 'yes phrase',
      sender: { name: 'Dee', email: 'dee@x.org' },
      text: 'yes',
    },
  });
  const closed = {
    result: 'closed' as const,
    position: null,
    guest: { ...ada, email: 'dee@x.org', token: '' },
    from: 'new',
  };
  test('is answered politely, not left for the host', () => {
    expect(resultOf(yes(1), closed, undefined)).toEqual({
      status: 'handled',
      result: 'closed: told registration has closed',
      answer: 'closed',
    });
  });
  test('but not again in a thread where we already wrote our share', () => {
    expect(resultOf(yes(3), closed, undefined)).toMatchObject({ status: 'handled', answer: null });
  });
});
