/**
 * The Gmail search the reply lane runs, in the form the deployment check chose. Gmail's operator table
 * documents `after:` with dates (yyyy/mm/dd); epoch seconds are widely used but undocumented, so the
 * check (lanes/checks) tries both on the host's own account and stores the one that works. Pure.
 */
export type SearchForm = 'epoch' | 'date';

/** `after:` for messages on or after `sinceMs`: exact in epoch seconds; by date, a day earlier. */
export function afterTerm(sinceMs: number, form: SearchForm): string {
  if (form === 'epoch') return `after:${Math.floor(sinceMs / 1000)}`;
  // Gmail reads a date as midnight in the account's time zone, which the script cannot know: a day
  // back covers every zone (replies already handled are skipped by id, so reading more is safe).
  const d = new Date(sinceMs - 86400e3);
  const p = (n: number) => String(n).padStart(2, '0');
  return `after:${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}`;
}

export function replySearchQuery(address: string, sinceMs: number, form: SearchForm): string {
  return `to:${address} ${afterTerm(sinceMs, form)}`;
}

export const isSearchForm = (v: unknown): v is SearchForm => v === 'epoch' || v === 'date';

/**
 * The getters the reply poll calls per message it reads (email-reply/poll.ts: getId twice, getDate,
 * getFrom, getReplyTo, getTo, getSubject, getPlainBody, getBody, and one getHeader per header the
 * decision reads). Whether each is a Gmail operation is what the deployment check infers.
 */
export const GETTERS_PER_MESSAGE = 18;
