import { decideReply } from '../../../src/core/reply/decide';
import { partyInReply } from '../../../src/core/reply/party';
import { requestOf } from '../../../src/core/reply/plan';

describe('partyInReply', () => {
  test('a reaction code is an emoji, never a party: :+1: and :thumbsup: are a yes for one', () => {
    for (const t of [':+1:', 'Count me in :+1:', ':thumbsup: see you', ':-1:'])
      expect(partyInReply(t)).toBeNull();
    expect(partyInReply(':+1: and +2')).toBe(3);
  });

  test.each([
    ['yes +2', 3],
    ['Yes, 3 of us', 3],
    ["we're 3", 3],
    ['We’re 4!', 4],
    ['we are two', 2],
    ['+1', 2],
    ['Count me in, plus one', 2],
    ['Yes please, party of 5', 5],
    ['yes, 2 people', 2],
    ['Yes! Three of us.', 3],
  ])('%s → %i', (text, party) => {
    expect(partyInReply(text)).toBe(party);
  });

  test.each([
    'yes',
    'Yes please\n\nJo Bloggs\n+44 20 7946 0958',
    'See you there. Call me on +1 555 0100',
    'yes, see you at 3',
    'I have 2 questions',
  ])('%s → nothing', (text) => {
    expect(partyInReply(text)).toBeNull();
  });
});

describe('a reply with a party', () => {
  const msg = (plainBody: string) => ({
    id: 'm1',
    from: 'Ann <ann@example.com>',
    replyTo: '',
    to: 'host+rsvp@example.com',
    subject: 'Re: invite',
    plainBody,
    htmlBody: '',
    headers: {},
  });
  const item = (body: string) => ({
    id: 'm1',
    threadId: 't1',
    received: null,
    from: 'Ann <ann@example.com>',
    subject: 'Re: invite',
    decision: decideReply(msg(body), ['host@example.com']),
    answerInThread: true,
    oursInThread: 1,
    tries: 1,
  });

  test('a thumbs-up code is a seat request for one, never two', () => {
    for (const body of [':+1:', ':thumbsup:', '👍']) {
      const r = requestOf(item(body));
      expect(r).toMatchObject({ mode: 'seat' });
      expect((r as { party?: number } | null)?.party ?? 1).toBe(1);
    }
  });

  test('"yes +2" asks for a party of 3', () => {
    expect(requestOf(item('yes +2'))).toMatchObject({ mode: 'seat', party: 3 });
  });

  test('"we\'re 3" alone is a yes for 3; a plain yes asks for no party (the keeper uses 1, or the invite\'s)', () => {
    expect(item("we're 3").decision).toMatchObject({ action: 'request', reason: 'yes: party of 3' });
    expect(requestOf(item('yes please'))).not.toHaveProperty('party');
  });

  test('a cancel with a number is still just a cancel; a hedge with one is still for the host', () => {
    expect(item("sorry, we can't make it, all 3 of us are ill").decision?.action).toBe('cancel');
    expect(item('maybe, 2 of us').decision?.action).toBe('review');
  });
});
