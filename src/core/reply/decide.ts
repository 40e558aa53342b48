/**
 * The email-reply lane's pure core: guests RSVP by replying to the host's invite. Given one inbound message
 * (fed by the Gmail poller), decide whether it is a real reply, who sent it, what its own text is (quoted
 * history, forwarded blocks and signatures removed) and what it asks for. Pure: no Apps Script, no Node.
 */
import { isAutomated } from './automation';
import { classify } from './intent';
import { partyInReply } from './party';
import { NO_OWN_TEXT, OwnText } from './own-text';
import { replyText } from './quotes';
import { parseSender } from './sender';
import { InboundMessage, ReplyDecision, ReplyIntent } from './types';

const ACTIONS: Record<ReplyIntent, ReplyDecision['action']> = {
  yes: 'request',
  cancel: 'cancel',
  review: 'review',
};

/**
 * The whole decision for one inbound message. `own` is what we sent (ownTextIndex): passages of it in the
 * reply are quoted history, never the guest's answer.
 */
export function decideReply(
  msg: InboundMessage,
  ownAddresses: string[],
  own: OwnText = NO_OWN_TEXT,
): ReplyDecision {
  const sender = parseSender(msg.from, msg.replyTo) ?? undefined;
  const text = replyText(msg.plainBody, msg.htmlBody, own);
  const automated = isAutomated(msg, ownAddresses);
  if (automated) return { action: 'ignore', reason: automated, sender, text };
  if (!sender) return { action: 'ignore', reason: 'no sender address', text };
  const c = classify(text);
  const party = c.intent === 'cancel' ? null : partyInReply(text);
  // "We're 3!" or "+1" answering an invite is a yes with a party, when nothing else is said.
  if (party !== null && c.intent === 'review' && c.reason === 'no clear answer')
    return { action: 'request', reason: `yes: party of ${party}`, sender, text, party };
  if (party !== null && c.intent === 'yes')
    return { action: 'request', reason: `${c.reason}, party of ${party}`, sender, text, party };
  return { action: ACTIONS[c.intent], reason: c.reason, sender, text };
}
