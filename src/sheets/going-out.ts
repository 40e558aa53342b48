/**
 * At most once for the notices in AT_MOST_ONCE (core/outbox.ts). Just before one is sent, a mark with
 * its Outbox id goes into Script Properties. Properties are written at once, while the row's result
 * lands only when the sheet is next flushed, so a run stopped in between leaves the mark: the next
 * sender finds it and records the row as gone out instead of sending it again. Marks are removed
 * once the results are flushed; one left by a stopped run whose row is gone is removed two weeks later.
 */
import { AT_MOST_ONCE, EmailKind } from '../core/outbox';

const PREFIX = 'rsvp.going.';
/** Past the event in practice: a mark's row is looked at by the next drain, minutes later. */
const STALE_MS = 14 * 24 * 3600e3;

const props = () => PropertiesService.getScriptProperties();

/** The ids marked by a sender that stopped before recording them (and old marks removed). */
export function goingOutMarks(): Set<string> {
  const all = props().getProperties();
  const marked = new Set<string>();
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith(PREFIX)) continue;
    if (Date.now() - Number(v) > STALE_MS) props().deleteProperty(k);
    else marked.add(k.slice(PREFIX.length));
  }
  return marked;
}

export const needsMark = (kind: EmailKind): boolean => AT_MOST_ONCE.has(kind);

export function markGoingOut(id: string): void {
  props().setProperty(PREFIX + id, String(Date.now()));
}

/** A send that was refused (it did not go): its mark goes, best effort. */
export function unmarkGoingOut(id: string): void {
  try {
    props().deleteProperty(PREFIX + id);
  } catch (e) {
    console.warn(`going-out mark not removed: ${String(e)}`);
  }
}

/**
 * The results of these rows are recorded: flush them to the sheet, and only then remove their marks
 * (a run stopped between the two leaves marks whose rows say sent or skipped: harmless).
 */
export function settleGoingOut(ids: readonly string[]): void {
  if (!ids.length) return;
  SpreadsheetApp.flush();
  for (const id of ids) props().deleteProperty(PREFIX + id);
}
