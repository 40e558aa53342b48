/** The host turns the email reply lane on and off, or has it look for replies now. */
import { ADAPT } from '../../core/checks';
import { NOT_SET_UP_MESSAGE, Workbook, toast as say } from '../../sheets/workbook';
import { replyAddress } from '../../messenger/reply-address';
import { POLL_FUNCTION, pollReplies } from './poll';

/** Menu: look for replies now and say what happened. */
export function checkRepliesNow(): string {
  return say(pollReplies().message);
}

/** Menu: one time trigger for the reply poll, at the interval in Settings (replaced if it changed). */
export function turnOnEmailReplies(): string {
  const book = Workbook.open();
  if (!book) return say(NOT_SET_UP_MESSAGE);
  const settings = book.settings.read().result;
  if (!settings.ok) return say(`Fix Settings first: ${settings.problems.join(' ')}`);
  const address = replyAddress(settings.settings);
  if (!address) return say('Fill in Settings → Reply-to address first.');
  // Never faster than the deployment check found Gmail's daily quota allows.
  const floor = Number(PropertiesService.getScriptProperties().getProperty(ADAPT.minMinutes)) || 0;
  const minutes = Math.max(settings.settings.replyCheckMinutes, floor);
  removePollTriggers();
  ScriptApp.newTrigger(POLL_FUNCTION).timeBased().everyMinutes(minutes).create();
  return say(
    `Email replies are on: every ${minutes} minute(s), replies to ${address} become RSVPs. ` +
      'Invites and confirmations carry that Reply-To. Each reply is listed in the Replies sheet.',
  );
}

/** Menu: stop polling (replies already handled stay as they are). */
export function turnOffEmailReplies(): string {
  const removed = removePollTriggers();
  return say(removed ? 'Email replies are off.' : 'Email replies were already off.');
}

function removePollTriggers(): number {
  const mine = ScriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === POLL_FUNCTION);
  mine.forEach((t) => ScriptApp.deleteTrigger(t));
  return mine.length;
}
