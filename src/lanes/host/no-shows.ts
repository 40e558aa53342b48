/**
 * RSVP → Mark no-shows: once the event has started, every confirmed RSVP nobody of whom checked in
 * gets a Log row "no-show" (once: running it again adds only new ones). The seat stays as it was;
 * the Log is the record ("114 of 130 came").
 */
import { actionLogRow } from '../../core/keeper';
import { mailboxKey } from '../../core/email';
import { plural } from '../../core/model';
import { keeper } from '../../keeper/keeper';
import { NOT_SET_UP_MESSAGE, Workbook, toast } from '../../sheets/workbook';

export const NO_SHOW = 'no-show: nobody checked in';

export function markNoShows(): string {
  const book = Workbook.open();
  if (!book) return toast(NOT_SET_UP_MESSAGE);
  const s = book.settings.read().result.settings;
  if (!s.startsAt || Date.now() < s.startsAt.getTime())
    return toast('The event has not started yet: no-shows are marked once it has.');
  let marked = 0;
  let came = 0;
  let confirmed = 0;
  const tx = keeper.laneBatch({
    requests: () => [],
    contribute: (_decision, read) => {
      const door = book.guests.doorTable();
      const already = new Set(
        book.log
          .changes()
          .filter((l) => l.detail === NO_SHOW)
          .map((l) => mailboxKey(l.email)),
      );
      const live = read.filter((g) => g.email && g.status === 'confirmed');
      confirmed = live.length;
      const absent = live.filter((g) => !(door[g.row - 2]?.arrived ?? 0));
      came = confirmed - absent.length;
      const fresh = absent.filter((g) => !already.has(mailboxKey(g.email)));
      marked = fresh.length;
      return {
        mail: [],
        log: [
          ...fresh.map((g) => ({
            ...actionLogRow(NO_SHOW),
            email: g.email,
            name: g.name,
            from: g.status,
            to: g.status,
          })),
          ...(fresh.length
            ? [
                actionLogRow(
                  `no-shows marked: ${fresh.length} (${came} of ${confirmed} confirmed RSVPs came)`,
                ),
              ]
            : []),
        ],
      };
    },
  });
  if (!tx.ok) return toast(`Nothing was marked: ${tx.message}`);
  return toast(
    `${came} of ${plural(confirmed, 'confirmed RSVP')} came. ${marked ? `Marked ${plural(marked, 'no-show')} in the Log.` : 'No new no-shows to mark.'}`,
  );
}
