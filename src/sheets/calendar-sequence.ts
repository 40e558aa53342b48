/**
 * The calendar file's SEQUENCE (RFC 5545 3.8.7.4): how many times the event's time or place changed
 * since it was first recorded. Calendars replace a saved copy with a file of a higher SEQUENCE. The
 * recount counts the versions in the Log when it records a change and keeps the number in Script
 * Properties, so a sender reads it with the execution's other script properties, not the whole Log.
 */
import { scriptProp, setScriptProp } from './script-props';

const KEY = 'rsvp.calendar.sequence';

export function calendarSequence(): number {
  const n = Number(scriptProp(KEY));
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** After a recount recorded a new version of the event's time and place. */
export function setCalendarSequence(n: number): void {
  setScriptProp(KEY, String(Math.max(0, Math.floor(n))));
}
