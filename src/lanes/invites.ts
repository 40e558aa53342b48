/**
 * "Send invites": the Import sheet's new rows become invited guests (the import lane), and every invited
 * guest who was never sent an invite (added by hand in Guests, say) gets one now. Invites carry the
 * reply address as Reply-To, so a "yes" reply comes back to the email lane. Each guest is invited once:
 * running it again sends nothing new.
 */
import { Decision } from '../core/keeper';
import { Guest } from '../core/model';
import { deliverOwned } from '../messenger/send';
import { OUTBOX_COL } from '../sheets/layout';
import { LaneTx, openSheets, runKeeper, NOT_SET_UP } from '../sheets/transaction';
import { runImport } from './import';

/** Leave the rest of the execution to the drain trigger. */
const SEND_BUDGET_MS = 3 * 60e3;

export function sendInvites(): { ok: boolean; message: string } {
  const sheets = openSheets();
  if (!sheets) return { ok: false, message: NOT_SET_UP.message };
  const imported = runImport('invite');
  const importNote = /^Nothing to import/.test(imported.message) ? '' : `Import: ${imported.message} `;
  if (!imported.ok) return imported;
  let invited = new Set<string>();
  const lane: LaneTx = {
    // Inside the lock: who already has an invite in the Outbox (queued, sent or being sent).
    requests() {
      const last = sheets.outbox.getLastRow();
      const rows = last > 1 ? sheets.outbox.getRange(2, 1, last - 1, OUTBOX_COL.Token + 1).getValues() : [];
      invited = new Set(
        rows.filter((r) => r[OUTBOX_COL.Kind] === 'invited').map((r) => String(r[OUTBOX_COL.Token])),
      );
      return [];
    },
    after(_d: Decision, guests: readonly Guest[]) {
      const owed = guests.filter((g) => g.status === 'invited' && g.token && !invited.has(g.token));
      return {
        mail: owed.map((guest) => ({ kind: 'invited' as const, guest })),
        write: () => undefined,
        log: owed.length
          ? [
              {
                email: '',
                name: '',
                from: '',
                to: '',
                lane: 'host' as const,
                detail: `invites sent to ${owed.length} invited guest(s)`,
              },
            ]
          : [],
      };
    },
  };
  const tx = runKeeper(lane, { mailStatus: 'sending' });
  if (!tx.ok) return { ok: false, message: `${importNote}Invites not sent: ${tx.message}` };
  const results = deliverOwned(tx, Date.now() + SEND_BUDGET_MS);
  const n = tx.outbox.length;
  // A row whose address is not one plain address (typed by hand) is never mailed: say so.
  const failed = results.filter((r) => r.status === 'failed').length;
  const notSent = failed ? ` ${failed} could not be sent: see the Error column of the Outbox.` : '';
  return {
    ok: true,
    message: `${importNote}${n ? `Invites sent to ${n - failed} invited guest(s) who had none yet.${notSent}` : 'Every invited guest already has an invite.'}`,
  };
}
