/** Inbound messages for the reply-lane unit tests (not a test file: jest runs *.test.ts only). */
import { InboundMessage } from '../../../src/core/reply/types';

/** The host's own address: mail from it (or its +tags and Gmail dot forms) is never a reply. */
export const OWN = ['host@gmail.com'];

export const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

/** A reply from Ada to the invite; `over` sets the parts a case is about. */
export function msg(over: Partial<InboundMessage>): InboundMessage {
  return {
    id: 'm1',
    from: 'Ada Lovelace <ada@example.com>',
    replyTo: '',
    to: 'host+rsvp@gmail.com',
    subject: 'Re: Dinner at Ada’s',
    plainBody: '',
    htmlBody: '',
    headers: {},
    ...over,
  };
}
