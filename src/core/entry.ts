/**
 * Who may run an entry point. On Google every top-level function of the bundle is public: any visitor
 * of the web app can call it through `google.script.run`, and it runs as the host. So each entry point
 * is declared as exactly one kind, and the gate (src/gate/gate.ts) refuses every call that is not what
 * its kind is for. Pure: the gate reads the signals, this decides.
 *
 * - web: doGet/doPost, the public pages. Anyone.
 * - host: the RSVP menu, the dashboard sidebar and its buttons, onOpen. Only from the spreadsheet's own
 *   UI: SpreadsheetApp.getUi() works there and nowhere a visitor can reach (a web app, a trigger, the
 *   Apps Script API); see docs/apps-script-facts.md.
 * - trigger: installed triggers. Only with the event object Google passes them, whose triggerUid names an
 *   installed trigger of this very function (a visitor can call the function, but cannot know the id).
 */
export type EntryKind = 'web' | 'host' | 'trigger';

export const ENTRY_KINDS: readonly EntryKind[] = ['web', 'host', 'trigger'];

/** What the gate saw of the call. */
export interface EntrySignals {
  /** SpreadsheetApp.getUi() answered: the call comes from the spreadsheet's own UI. */
  ui: boolean;
  /** The triggerUid of the call's event object, if it carried one. */
  triggerUid: string | null;
  /** The installed triggers (id, handler function), read only when a trigger id was given. */
  triggers: ReadonlyArray<{ id: string; fn: string }>;
}

/** The refusal, in words for whoever made the call (nothing about guests), or null when it may run. */
export function refusal(kind: EntryKind, name: string, s: EntrySignals): string | null {
  if (kind === 'web') return null;
  if (kind === 'host')
    return s.ui ? null : `${name} runs only from the spreadsheet: use the RSVP menu or the dashboard there.`;
  const installed = !!s.triggerUid && s.triggers.some((t) => t.id === s.triggerUid && t.fn === name);
  return installed ? null : `${name} runs only from its own installed trigger.`;
}

/** The trigger id an event object carries (a string, as Google gives it), or null. */
export function triggerUidOf(event: unknown): string | null {
  if (!event || typeof event !== 'object') return null;
  const uid = (event as { triggerUid?: unknown }).triggerUid;
  return (typeof uid === 'string' || typeof uid === 'number') && String(uid) ? String(uid) : null;
}
