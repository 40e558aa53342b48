/**
 * Answers the host asked for, kept only as long as needed: the Party details sheet is rebuilt from
 * Guests (outside the lock: it holds no seat state), and RSVP → Delete private answers clears the
 * private ones once the event has ended, after the host says yes, with a Log row.
 */
import { actionLogRow } from '../../core/keeper';
import { plural } from '../../core/model';
import { keeper } from '../../keeper/keeper';
import { PartyDetailsTable, partyDetailsRows } from '../../sheets/party-details-table';
import { NOT_SET_UP_MESSAGE, Workbook, toast } from '../../sheets/workbook';

/** The Party details sheet as Guests says now (made only once a question is asked for each person). */
export function refreshPartyDetails(book: Workbook): boolean {
  const questions = book.questions()?.read().questions ?? [];
  if (!questions.some((q) => q.perPerson)) return false;
  return PartyDetailsTable.ensure(book.spreadsheet).write(
    partyDetailsRows(questions, book.guests.all(), book.guests.answerTable()),
  );
}

export function deletePrivateAnswers(): string {
  const book = Workbook.open();
  if (!book) return toast(NOT_SET_UP_MESSAGE);
  const s = book.settings.read().result.settings;
  const end = s.endsAt ?? s.startsAt;
  if (!end || Date.now() < end.getTime())
    return toast('The event has not ended yet (Settings → Ends at): private answers are deleted after it.');
  const labels = book.questions()?.read().privateLabels ?? [];
  if (!labels.length) return toast('No question is marked private (Questions sheet): nothing to delete.');
  const ui = SpreadsheetApp.getUi();
  const answer = ui.alert(
    'Delete private answers?',
    `This clears every answer to ${labels.map((l) => `"${l}"`).join(', ')} in Guests and Party details. It cannot be undone.`,
    ui.ButtonSet.YES_NO,
  );
  if (answer !== ui.Button.YES) return toast('Nothing was deleted.');
  let cleared = 0;
  const tx = keeper.laneBatch({
    requests: () => [],
    contribute: () => {
      const plan = book.guests.planClearAnswers(labels);
      cleared = plan.cleared;
      return {
        mail: [],
        rows: plan.write,
        log: [
          actionLogRow(
            `private answers deleted after the event: ${plural(plan.cleared, 'answer')} (${labels.join(', ')})`,
          ),
        ],
      };
    },
  });
  if (!tx.ok) return toast(`Nothing was deleted: ${tx.message}`);
  refreshPartyDetails(book);
  return toast(`Deleted ${plural(cleared, 'private answer')} (${labels.join(', ')}).`);
}
