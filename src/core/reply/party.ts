/**
 * How many a reply says are coming, the sender included: "yes +2" and "+1" add guests to the sender,
 * "3 of us", "we're 3", "party of 3", "3 people" count everyone. Pure.
 *
 * Phone numbers in a signature are not parties: a "+" must be followed by one digit that no other
 * digit follows ("+44 20 7946 0958" and "+1 555 0100" say nothing).
 */
const WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};
const NUM = `(\\d{1,2}|${Object.keys(WORDS).join('|')})`;

const value = (s: string): number => WORDS[s] ?? Number(s);

/** Everyone counted: "3 of us", "we're 3", "we are 3", "party of 3", "3 people", "3 guests". */
const TOTAL = [
  new RegExp(`(?<![\\w])${NUM}\\s+of\\s+us\\b`, 'iu'),
  new RegExp(`\\bwe(?:'re|\\s+are|re)\\s+${NUM}(?![\\w])`, 'iu'),
  new RegExp(`\\bparty\\s+of\\s+${NUM}(?![\\w])`, 'iu'),
  new RegExp(`(?<![\\w])${NUM}\\s+(?:people|persons|guests|adults|seats)\\b`, 'iu'),
];
/** Guests added to the sender: "+2", "plus 2", "+ one". */
const PLUS = new RegExp(
  `(?<![\\w+])(?:\\+\\s?|plus\\s+)(\\d|${Object.keys(WORDS).join('|')})(?![\\w]|\\s?\\d)`,
  'iu',
);

/**
 * Reaction codes (GitHub's and Slack's :+1:, :thumbsup:, :-1:) are an emoji, never a party size: a
 * thumbs-up is a yes for one.
 */
const REACTION = /:[+-]?[a-z0-9_]{0,40}(?:[+-][a-z0-9_]{0,40})?:/giu;

/** The party a reply's own text asks for, or null when it says nothing about one. */
export function partyInReply(text: string): number | null {
  const t = text
    .slice(0, 5_000)
    .replace(/[’‘`´ʼ′]/g, "'")
    .replace(REACTION, ' ');
  for (const re of TOTAL) {
    const m = re.exec(t);
    if (m) return value(m[1].toLowerCase());
  }
  const plus = PLUS.exec(t);
  return plus ? 1 + value(plus[1].toLowerCase()) : null;
}
