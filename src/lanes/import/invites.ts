/**
 * "Send invites": the Import sheet's new rows become invited guests (the import lane), and every invited
 * guest who was never sent an invite (added by hand in Guests, say) gets one now. Invites carry the
 * reply address as Reply-To, so a "yes" reply comes back to the email lane. Each guest is invited once:
 * running it again sends nothing new.
 */
import { Decision, actionLogRow } from '../../core/keeper';
import { Guest } from '../../core/model';
import { clockText } from '../../core/quiet';
import { LaneTransaction, keeper } from '../../keeper/keeper';
import { deliverOwned } from '../../messenger/send';
import { NOT_SET_UP_MESSAGE, Workbook, toast } from '../../sheets/workbook';
import { runImport } from './import';

/** Leave the rest of the execution to the drain trigger. */
const SEND_BUDGET_MS = 3 * 60e3;

export function sendInvites(): string {
  return toast(invite().message);
}

function invite(): { ok: boolean; message: string } {
  const book = Workbook.open();
  if (!book) return { ok: false, message: NOT_SET_UP_MESSAGE };
  const imported = runImport('invite');
  const importNote = /^Nothing to import/.test(imported.message)
    ? ''
    : `Import (the Import sheet's new rows, invited by the import itself): ${imported.message} `;
  if (!imported.ok) return imported;
  let invited = new Set<string>();
  const lane: LaneTransaction = {
    // Inside the lock: who already has an invite in the Outbox (queued, sent or being sent).
    requests() {
      invited = new Set(
        book.outbox
          .entries()
          .filter((e) => e.kind === 'invited')
          .map((e) => e.token),
      );
      return [];
    },
    contribute(_decision: Decision, guests: readonly Guest[]) {
      const owed = guests.filter((g) => g.status === 'invited' && g.token && !invited.has(g.token));
      return {
        // (The keeper's own mail, an offer expired and passed on in the same transaction, goes too.)
        mail: owed.map((guest) => ({ kind: 'invited' as const, guest })),
        rows: () => undefined,
        log: owed.length ? [actionLogRow(`invites sent to ${owed.length} invited guest(s)`)] : [],
      };
    },
  };
  const tx = keeper.laneBatch(lane);
  if (!tx.ok) return { ok: false, message: `${importNote}Invites not sent: ${tx.message}` };
  const results = deliverOwned(tx, Date.now() + SEND_BUDGET_MS);
  // Only the invites count here (the same transaction may also pass on an expired offer, and tell
  // those guests): the Import sheet's new rows were invited by the import, named first.
  const invites = new Set(tx.outbox.filter((e) => e.kind === 'invited').map((e) => e.id));
  const n = invites.size;
  // A row whose address is not one plain address (typed by hand) is never mailed: say so.
  const failed = results.filter((r) => invites.has(r.id) && r.status === 'failed').length;
  const notSent = failed ? ` ${failed} could not be sent: see the Error column of the Outbox.` : '';
  // Quiet hours: the invites were queued, not sent; they go when the quiet hours end.
  const waiting = tx.outbox.filter((e) => invites.has(e.id) && e.status === 'queued').length;
  const quiet = tx.settings.quietHours;
  const who = importNote ? 'other invited guest(s) in Guests' : 'invited guest(s)';
  const sent = waiting
    ? `Invites for ${n} ${who} who had none yet are queued: it is quiet hours, so they go at ${clockText(quiet?.to ?? 0)}.`
    : `Invites sent to ${n - failed} ${who} who had none yet.${notSent}`;
  return {
    ok: true,
    message: `${importNote}${n ? sent : 'Every invited guest already has an invite.'}`,
  };
}
