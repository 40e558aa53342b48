/**
 * RSVP → Message guests: the host writes to the people on the list (confirmed, offered, waitlisted,
 * invited, or any mix). Sending queues one Outbox row per guest in one keeper transaction, with a Log
 * row and a row in the Messages sheet; the drain sends them under the quota, after quiet hours, at
 * most once each, and skips a guest who has since left the group the message was written to.
 */
import { Decision, actionLogRow, rowsAfter } from '../../core/keeper';
import {
  Audience,
  MESSAGE_AUDIENCES,
  MessageDraft,
  checkDraft,
  messageAbout,
  parseMessageAbout,
} from '../../core/messages';
import { Guest, plural } from '../../core/model';
import { missingRequired } from '../../core/questions';
import { LaneTransaction, keeper } from '../../keeper/keeper';
import { drainOutbox } from '../../messenger/send';
import { render } from '../../messenger/templates';
import { publicUrl } from '../../sheets/public-url';
import { NOT_SET_UP_MESSAGE, Workbook } from '../../sheets/workbook';

export function openMessages(): void {
  const html = HtmlService.createHtmlOutputFromFile('Messages').setTitle('Message guests');
  SpreadsheetApp.getUi().showSidebar(html);
}

const inAudience = (g: Guest, audience: readonly Audience[]) =>
  !!g.email && !!g.token && (audience as readonly string[]).includes(g.status);

/**
 * "Only those missing required details": who, of the rows given, still lacks a required answer
 * (one read of the answer columns; without questions, nobody does).
 */
function missingDetails(book: Workbook): (g: Guest) => boolean {
  const questions = book.questions()?.read().questions ?? [];
  if (!questions.some((q) => q.required)) return () => false;
  const table = book.guests.answerTable();
  return (g) => {
    const cells = table[g.row - 2] ?? {};
    return (
      missingRequired(
        questions,
        Object.fromEntries(questions.map((q) => [q.label, cells[q.label.toLowerCase()] ?? ''])),
      ).length > 0
    );
  };
}

/** The guests a draft goes to, of the rows given. */
function recipientsOf(book: Workbook, rows: readonly Guest[], d: MessageDraft): Guest[] {
  const to = rows.filter((g) => inAudience(g, d.audience));
  if (!d.missingDetails) return to;
  const missing = missingDetails(book);
  return to.filter(missing);
}

/** "100 go today; the other 40 from tomorrow (100 a day on a consumer account)". */
function quotaSentence(n: number, quota: number): string {
  if (n <= quota) return `Today's email quota covers them (${quota} left).`;
  return `Today's email quota has ${quota} left: ${quota} go today, the other ${n - quota} from tomorrow, as the quota comes back (100 recipients a day on a consumer account).`;
}

export interface MessagesData {
  counts: Record<Audience, number>;
  /** Of the live RSVPs, those missing a required answer (null: no required questions). */
  missingDetails: number | null;
  quotaLeft: number;
  history: Array<{ id: string; subject: string; sent: number; queued: number; skipped: number }>;
}

/** The sidebar's data: how many guests are in each group, the quota, and the messages sent before. */
export function messagesData(): MessagesData | { error: string } {
  const book = Workbook.open();
  if (!book) return { error: NOT_SET_UP_MESSAGE };
  const guests = book.guests.all();
  const counts = Object.fromEntries(
    MESSAGE_AUDIENCES.map((a) => [a, guests.filter((g) => inAudience(g, [a])).length]),
  ) as Record<Audience, number>;
  const byMessage = new Map<string, MessagesData['history'][number]>();
  for (const e of book.outbox.entries()) {
    if (e.kind !== 'message') continue;
    const m = parseMessageAbout(e.about);
    if (!m) continue;
    const h = byMessage.get(m.id) ?? { id: m.id, subject: m.subject, sent: 0, queued: 0, skipped: 0 };
    if (e.status === 'sent') h.sent++;
    else if (e.status === 'queued' || e.status === 'sending') h.queued++;
    else h.skipped++;
    byMessage.set(m.id, h);
  }
  const required = (book.questions()?.read().questions ?? []).some((q) => q.required);
  const missing = missingDetails(book);
  return {
    counts,
    missingDetails: required
      ? guests.filter((g) => inAudience(g, [...MESSAGE_AUDIENCES]) && missing(g)).length
      : null,
    quotaLeft: MailApp.getRemainingDailyQuota(),
    history: [...byMessage.values()].reverse(),
  };
}

export type MessageAnswer =
  | { ok: false; errors: Record<string, string>; message: string }
  | {
      ok: true;
      message: string;
      recipients: number;
      preview?: { to: string; subject: string; body: string };
    };

/** Who would get it, whether the quota covers them, and one guest's email as it will read. Nothing is written. */
export function previewMessage(input: unknown): MessageAnswer {
  const book = Workbook.open();
  if (!book) return { ok: false, errors: {}, message: NOT_SET_UP_MESSAGE };
  const checked = checkDraft(input);
  if (!checked.ok) return { ok: false, errors: checked.errors, message: 'Fix the fields marked below.' };
  const result = book.settings.read().result;
  if (!result.ok)
    return {
      ok: false,
      errors: {},
      message: `Fix Settings first (the cells in red): ${result.problems.join(' ')}`,
    };
  const settings = result.settings;
  const to = recipientsOf(book, book.guests.all(), checked.draft);
  if (!to.length)
    return {
      ok: false,
      errors: { audience: 'Nobody is in the groups you chose.' },
      message: 'Nobody would get it.',
    };
  const mail = render('message', to[0], settings, publicUrl(), Utilities.formatDate, {
    about: messageAbout('preview', checked.draft),
  });
  return {
    ok: true,
    recipients: to.length,
    message: `${plural(to.length, 'guest')} would get it. ${quotaSentence(to.length, MailApp.getRemainingDailyQuota())}`,
    preview: { to: to[0].email, subject: mail.subject, body: mail.body },
  };
}

/** Send: one keeper transaction queues every guest's row, the Log row and the Messages row together. */
export function sendMessage(input: unknown): MessageAnswer {
  const book = Workbook.open();
  if (!book) return { ok: false, errors: {}, message: NOT_SET_UP_MESSAGE };
  const checked = checkDraft(input);
  if (!checked.ok)
    return { ok: false, errors: checked.errors, message: 'Nothing was sent: fix the fields marked below.' };
  const draft = checked.draft;
  const table = book.messages();
  const id = Utilities.getUuid();
  const about = messageAbout(id, draft);
  let recipients = 0;
  const lane: LaneTransaction = {
    requests: () => [],
    contribute(decision: Decision, read: readonly Guest[]) {
      const to = recipientsOf(book, rowsAfter(read, decision), draft);
      recipients = to.length;
      return {
        mail: to.map((guest) => ({ kind: 'message' as const, guest, about, subject: draft.subject })),
        rows: to.length
          ? table.planAppend({
              id,
              at: new Date(),
              recipients: to.length,
              ...draft,
            })
          : () => undefined,
        log: to.length
          ? [
              actionLogRow(
                `message "${draft.subject.slice(0, 80)}" queued to ${plural(to.length, 'guest')} (${draft.audience.join(', ')})`,
              ),
            ]
          : [],
      };
    },
  };
  const quota = MailApp.getRemainingDailyQuota();
  const tx = keeper.laneBatch(lane);
  if (!tx.ok) return { ok: false, errors: {}, message: `Nothing was sent: ${tx.message}` };
  if (!recipients)
    return {
      ok: false,
      errors: { audience: 'Nobody is in the groups you chose.' },
      message: 'Nothing was sent: nobody would get it.',
    };
  // The drain sends them now, as far as the quota and quiet hours allow; the 10-minute run does the rest.
  const drained = drainOutbox(Math.min(recipients, 500));
  const held = drained.held ? ` Quiet hours hold them until ${drained.heldUntil} (Settings).` : '';
  return {
    ok: true,
    recipients,
    message: `Queued for ${plural(recipients, 'guest')}: ${drained.sent} sent now.${held} ${quotaSentence(recipients, quota)}`,
  };
}
