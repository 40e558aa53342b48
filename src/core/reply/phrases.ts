/**
 * What a guest's reply text means: phrase lists for classifyIntent (intent.ts). Pure data.
 *
 * Matching is case-insensitive on whole words, after apostrophes (’ ‘ ` ´) are made "'" and "'" is optional
 * ("cant" matches "can't"); words may be separated by any whitespace and a "," in a phrase is optional.
 * A phrase ending in "." must end a clause: be followed by punctuation, an emoji, a line end or the end
 * ("i'm in." matches "I'm in!" but not "I'm in London that week").
 * When phrases overlap, the longest match wins ("not sure" hides "sure", "no, sorry" hides "no"), so a
 * 'neutral' phrase only masks: "no problem" is not a "no".
 * Decision: any 'review' match → review; both 'yes' and 'cancel' → review; else cancel or yes; none → review.
 */
import type { ReplyIntent } from './types';

export interface PhraseGroup {
  /** null: neutral, the phrase only hides the shorter phrases inside it. */
  intent: ReplyIntent | null;
  /** First word of the decision's reason: 'cancel: "can\'t make it"'. */
  label: string;
  phrases: readonly string[];
}

export const REPLY_PHRASES: readonly PhraseGroup[] = [
  {
    intent: 'cancel',
    label: 'cancel',
    phrases: [
      'cancel',
      'cancelled',
      'canceled',
      'cancelling',
      'canceling',
      "can't make it",
      'cannot make it',
      'can not make it',
      "won't make it",
      'will not make it',
      'not going to make it',
      "can't come",
      'cannot come',
      'can not come',
      "can't attend",
      'cannot attend',
      "won't attend",
      'will not attend',
      "won't come",
      'will not come',
      "won't be able to",
      'will not be able to',
      'wont be able to',
      'no longer coming',
      'no longer able',
      'not coming',
      'not able to come',
      'not able to attend',
      'not attending',
      "won't be attending",
      'will not be attending',
      "won't be there",
      'will not be there',
      "can't be there",
      'cannot be there',
      'unable to attend',
      'unable to come',
      'unable to make it',
      'count me out',
      'please remove me',
      'remove me',
      'i have to decline',
      'decline',
      'declining',
      'withdraw',
      'withdrawing',
      'no, sorry',
      'sorry, no',
      'unfortunately',
      'regrets',
      'i regret',
      'definitely not',
      'absolutely not',
      '👎',
    ],
  },
  {
    intent: 'yes',
    label: 'yes',
    phrases: [
      'yes',
      'yep',
      'yeah',
      'yup',
      'sure.',
      'sure thing',
      'for sure',
      'count me in',
      "i'm in.",
      'we are in.',
      "we're in.",
      "i'll be there",
      'i will be there',
      "we'll be there",
      'we will be there',
      'see you there',
      'see you then',
      "i'd love to come",
      'would love to come',
      'attending',
      'will attend',
      "i'll come",
      'i will come',
      "we'll come",
      'accept',
      'accepted',
      'absolutely',
      'definitely',
      'rsvp yes',
      'sign me up',
      '+1.', // not '+1 555 123 4567' in a signature
      '👍',
      ':+1:',
      ':thumbsup:',
    ],
  },
  {
    intent: 'review',
    label: 'ambiguous',
    phrases: [
      'maybe',
      'not sure',
      'unsure',
      'might',
      'possibly',
      'perhaps',
      'tentative',
      'tentatively',
      'depends',
      "don't know yet",
      'not yet',
      'no',
      'nope',
      'not really',
    ],
  },
  { intent: 'review', label: 'question', phrases: ['?'] },
  {
    intent: null,
    label: 'neutral',
    phrases: [
      'no problem',
      'no worries',
      'not a problem',
      'no doubt',
      "can't wait",
      'cannot wait',
      'no need',
      'no matter what',
    ],
  },
];
