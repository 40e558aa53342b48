/**
 * A dry run: what a change would do, from the keeper's own pure decision on a read of the rows,
 * said the way a host reads it ("+5 seats: offers to Ann (party 2), Bob; Dee (party 3) passed over;
 * 3 emails now, 0 held; quota left after: 61"). Pure; nothing is written.
 */
import { Decision } from './keeper';
import { Guest, partyOf, plural } from './model';
import { QuietHours, isQuiet } from './quiet';

export interface DryRun {
  /** Who is offered a seat, confirmed, or passed over, in the order the keeper decided. */
  offered: string[];
  confirmed: string[];
  passedOver: string[];
  emailsNow: number;
  emailsHeld: number;
  quotaAfter: number | null;
  seatsLeft: number;
  text: string;
}

const who = (g: Pick<Guest, 'name' | 'email' | 'party'>) =>
  `${g.name || g.email}${partyOf(g.party) > 1 ? ` (party ${partyOf(g.party)})` : ''}`;

export function describeDryRun(
  change: string,
  before: readonly Guest[],
  d: Decision,
  ctx: { now: Date; quiet: QuietHours | null; quota: number | null },
): DryRun {
  const byMail = new Map(before.map((g) => [g.email, g]));
  const named = (email: string) => {
    const g = d.updated.find((x) => x.email === email) ?? byMail.get(email);
    return g ? who(g) : email;
  };
  const offered = d.log.filter((l) => l.to === 'offered' && l.from !== 'offered').map((l) => named(l.email));
  const confirmed = d.log
    .filter((l) => l.to === 'confirmed' && l.from !== 'confirmed')
    .map((l) => named(l.email));
  const passedOver = d.log
    .filter((l) => l.from === l.to && l.detail.startsWith('passed over'))
    .map((l) => named(l.email));
  const quietNow = isQuiet(ctx.now.getTime(), ctx.quiet);
  const held = quietNow ? d.mail.filter((m) => !m.immediate).length : 0;
  const now = d.mail.length - held;
  const quotaAfter = ctx.quota === null ? null : ctx.quota - now;
  const parts = [
    offered.length ? `offers to ${offered.join(', ')}` : '',
    confirmed.length ? `confirms ${confirmed.join(', ')}` : '',
    passedOver.length
      ? `${[...new Set(passedOver)].join(', ')} passed over (too many for the seats free)`
      : '',
  ].filter(Boolean);
  const text =
    `${change}: ${parts.length ? parts.join('; ') : 'nobody is offered or confirmed'}; ` +
    `${plural(now, 'email')} now, ${held} held by quiet hours` +
    (quotaAfter === null ? '' : `; today's quota left after: ${quotaAfter}`) +
    (quotaAfter !== null && quotaAfter < 0 ? ' (the rest go tomorrow)' : '') +
    `; ${plural(Math.max(0, d.counts.seatsLeft), 'seat')} left after.`;
  return {
    offered,
    confirmed,
    passedOver: [...new Set(passedOver)],
    emailsNow: now,
    emailsHeld: held,
    quotaAfter,
    seatsLeft: d.counts.seatsLeft,
    text,
  };
}

/** What differs between the preview and what Apply did (empty: the same). */
export function dryRunDiff(
  preview: Pick<DryRun, 'offered' | 'confirmed'>,
  done: Pick<DryRun, 'offered' | 'confirmed'>,
): string {
  const diff = (a: string[], b: string[]) => ({
    gone: a.filter((x) => !b.includes(x)),
    added: b.filter((x) => !a.includes(x)),
  });
  const o = diff(preview.offered, done.offered);
  const c = diff(preview.confirmed, done.confirmed);
  const lines = [
    o.added.length ? `also offered: ${o.added.join(', ')}` : '',
    o.gone.length ? `not offered after all: ${o.gone.join(', ')}` : '',
    c.added.length ? `also confirmed: ${c.added.join(', ')}` : '',
    c.gone.length ? `not confirmed after all: ${c.gone.join(', ')}` : '',
  ].filter(Boolean);
  return lines.length ? `The sheet changed since the preview: ${lines.join('; ')}.` : '';
}
