/**
 * The email-reply lane's shared data: one inbound message, what its text asks for, and the decision taken on
 * it. In their own file so the phrase lists (phrases.ts) and the classifier (intent.ts) share ReplyIntent
 * without importing each other.
 */

export interface InboundMessage {
  id: string;
  from: string;
  replyTo: string;
  to: string;
  subject: string;
  plainBody: string;
  htmlBody: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
}

export type ReplyIntent = 'yes' | 'cancel' | 'review';

export interface ReplyDecision {
  action: 'ignore' | 'request' | 'cancel' | 'review';
  /** Short, for the Log: 'auto-reply (Auto-Submitted: auto-replied)', 'cancel: "can\'t make it"'… */
  reason: string;
  /** Decoded display name ('' if none) and normalized email. */
  sender?: { name: string; email: string };
  /** The reply's own text (quoted history and signature removed), trimmed. */
  text: string;
  /** A "yes" that says how many are coming ("yes +2", "3 of us"): the party, the sender included. */
  party?: number;
}
