/**
 * What each inbound reply does in the keeper's transaction, and what the guest and the host see of it.
 * Pure: the Gmail poller (lanes/email-reply/poll.ts) reads the messages, this decides, the keeper runs the requests.
 */
import { KeeperRequest, Outcome } from '../keeper';
import { Guest, isStatus } from '../model';
import { AuthVerdict } from './auth';
import { ReplyDecision } from './types';

/** One inbound message as the poller saw it. */
export interface ReplyItem {
  id: string;
  threadId: string;
  received: Date | null;
  /** The From header, one line. */
  from: string;
  subject: string;
  decision: ReplyDecision | null;
  /** Set for a cancel: whether Gmail's Authentication-Results vouch for the sender. */
  auth?: AuthVerdict;
  /** False when Reply-To points elsewhere: then an answer in the thread would not reach the guest. */
  answerInThread: boolean;
  /** Our own messages in the thread (invite, answers): the loop guard's count. */
  oursInThread: number;
  /** Reading or deciding failed (retried on the next poll). */
  error?: string;
  /** Failed attempts so far, this one included. */
  tries: number;
}

export type ReplyStatus = 'handled' | 'review' | 'ignored' | 'retry';

/**
 * A "yes" that changes nothing is answered with the guest's standing, unless the thread already holds
 * this many of our messages: an auto-responder that says "yes" without the headers that mark it as one
 * gets one answer, not an endless exchange.
 */
export const MAX_OURS_FOR_REPEAT = 3;

/** Failed attempts before a reply is left to the host (labelled for review, error in the Log). */
export const MAX_REPLY_TRIES = 3;

/** The keeper request a reply makes, if any. */
export function requestOf(item: ReplyItem): KeeperRequest | null {
  const d = item.decision;
  if (item.error || !d?.sender) return null;
  if (d.action === 'request')
    return {
      email: d.sender.email,
      name: d.sender.name,
      lane: 'email',
      mode: 'seat',
      ...(d.party ? { party: d.party } : {}),
    };
  if (d.action === 'cancel' && item.auth?.ok)
    return { action: 'cancel', email: d.sender.email, lane: 'email' };
  return null;
}

/** What the guest is sent in answer: the email kind, or null for no answer. */
export type AnswerKind =
  'confirmed' | 'waitlisted' | 'offered' | 'cancelled' | 'cancel-link' | 'closed' | null;

const STATUS_ANSWER: Partial<Record<string, AnswerKind>> = {
  confirmed: 'confirmed',
  waitlisted: 'waitlisted',
  offered: 'offered',
};

export interface ReplyResult {
  status: ReplyStatus;
  /** For the Replies sheet. */
  result: string;
  /** The answer that does not come from the keeper's own mail (a repeat of a status, a cancel link). */
  answer: AnswerKind;
  /** For the Log, when a reply is given up on. */
  logError?: string;
}

/** What else decides whether a reply is answered. */
export interface ReplyContext {
  /** Our messages in the thread, counting answers this batch already queued there (default: the item's). */
  ours?: number;
  /** The guest was sent (or is owed) a cancel-link email in the last 24 hours. */
  cancelLinkSent?: boolean;
}

/**
 * The result of one reply. `outcome` is the keeper's answer to `requestOf(item)` (absent when it made
 * none); `guest` is the sender's row, for an unverified cancel.
 */
export function resultOf(
  item: ReplyItem,
  outcome: Outcome | undefined,
  guest: Guest | undefined,
  ctx: ReplyContext = {},
): ReplyResult {
  const ours = ctx.ours ?? item.oursInThread;
  const d = item.decision;
  if (item.error) {
    if (item.tries >= MAX_REPLY_TRIES)
      return {
        status: 'review',
        result: `could not be read (${item.tries} tries): ${item.error}`,
        answer: null,
        logError: item.error,
      };
    return { status: 'retry', result: `try ${item.tries} failed: ${item.error}`, answer: null };
  }
  if (!d || d.action === 'ignore') return { status: 'ignored', result: d?.reason ?? 'ignored', answer: null };
  if (d.action === 'review')
    return { status: 'review', result: `for you to answer: ${d.reason}`, answer: null };
  if (d.action === 'request') {
    const r = outcome?.result;
    if (r === 'confirmed' || r === 'waitlisted')
      return {
        status: 'handled',
        // A party the reply named but the RSVP did not take (plus-ones are off): the host sees it.
        result:
          (r === 'waitlisted' ? `waitlisted #${outcome?.position}` : r) +
          (d.party && outcome && outcome.guest.party !== d.party
            ? ` (said a party of ${d.party}; plus-ones are off, so 1 seat)`
            : ''),
        answer: null,
      };
    if (r?.startsWith('already-') && outcome) {
      // A second "yes": tell them where they stand (the keeper sends nothing for a duplicate).
      const where = outcome.position ? ` #${outcome.position}` : '';
      const result = `already ${outcome.guest.status}${where}`;
      if (ours >= MAX_OURS_FOR_REPEAT)
        return {
          status: 'handled',
          result: `${result} (not answered again: we already wrote in this thread)`,
          answer: null,
        };
      return { status: 'handled', result, answer: STATUS_ANSWER[outcome.guest.status] ?? null };
    }
    if (r === 'closed') {
      // Past "Registration closes at" (or the start): a polite answer, once, not a task for the host.
      if (ours >= MAX_OURS_FOR_REPEAT)
        return {
          status: 'handled',
          result: 'closed (not answered again: we already wrote in this thread)',
          answer: null,
        };
      return { status: 'handled', result: 'closed: told registration has closed', answer: 'closed' };
    }
    // More than Settings → Largest party: no seat is guessed at; the host answers (the Replies row says why).
    if (r === 'too-large')
      return {
        status: 'review',
        result: `for you to answer: asked for a party of ${d.party ?? '?'}, more than Largest party allows (${d.reason})`,
        answer: null,
      };
    return { status: 'review', result: `for you to answer: ${r ?? 'no answer'} (${d.reason})`, answer: null };
  }
  // cancel
  if (item.auth?.ok) {
    const r = outcome?.result;
    if (r === 'cancelled') return { status: 'handled', result: `cancelled (${item.auth.why})`, answer: null };
    if (r === 'already-cancelled') return { status: 'handled', result: 'already cancelled', answer: null };
    return {
      status: 'review',
      result: `asked to cancel, but is not on the list (${d.reason})`,
      answer: null,
    };
  }
  const live = guest && isStatus(guest.status) && guest.status !== 'cancelled';
  if (live) {
    // Anyone can write "cancel" as the guest: each such reply must not become another email to them
    // (six forged replies in one thread sent six). The same guards as a repeated "yes", and once a day.
    const why = `sender not verified (${item.auth?.why ?? 'no check'})`;
    if (ours >= MAX_OURS_FOR_REPEAT)
      return {
        status: 'handled',
        result: `cancel link not sent: ${why}; we already wrote in this thread`,
        answer: null,
      };
    if (ctx.cancelLinkSent)
      return {
        status: 'handled',
        result: `cancel link not sent again: ${why}; one went to the guest in the last 24 hours`,
        answer: null,
      };
    return { status: 'handled', result: `cancel link sent: ${why}`, answer: 'cancel-link' };
  }
  return {
    status: 'review',
    result: `asked to cancel, but has no live RSVP (${guest?.status || 'not on the list'})`,
    answer: null,
  };
}
