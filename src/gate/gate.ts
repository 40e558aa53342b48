/**
 * The one gate every entry point of src/main.ts passes through (see core/entry.ts for the rule). An
 * entry is declared with `entry(kind, name, fn)`; the build refuses an export that was not, so no
 * top-level function can be left open by forgetting it. A refused call changes nothing, sends
 * nothing and returns nothing: it throws before the entry point's own code runs.
 */
import { EntryKind, EntrySignals, refusal, triggerUidOf } from '../core/entry';

/** An entry point as the build sees it: its kind and name ride on the function (scripts/build.mjs). */
export type Entry<F> = F & { readonly entryKind: EntryKind; readonly entryName: string };

function signals(kind: EntryKind, event: unknown): EntrySignals {
  const s: EntrySignals = { ui: false, triggerUid: null, triggers: [] };
  if (kind === 'host') {
    try {
      SpreadsheetApp.getUi();
      s.ui = true;
    } catch {
      // "Cannot call SpreadsheetApp.getUi() from this context.": a web app, a trigger, the API.
    }
  }
  if (kind === 'trigger') {
    s.triggerUid = triggerUidOf(event);
    // Only a call that names a trigger costs a look at the installed ones.
    if (s.triggerUid)
      s.triggers = ScriptApp.getProjectTriggers().map((t) => ({
        id: String(t.getUniqueId()),
        fn: t.getHandlerFunction(),
      }));
  }
  return s;
}

export function entry<A extends unknown[], R>(
  kind: EntryKind,
  name: string,
  fn: (...args: A) => R,
): Entry<(...args: A) => R> {
  const gated = function (this: unknown, ...args: A): R {
    const why = refusal(kind, name, signals(kind, args[0]));
    if (why) {
      console.warn(`refused: ${why}`);
      throw new Error(why);
    }
    return fn.apply(this, args);
  };
  return Object.assign(gated, { entryKind: kind, entryName: name });
}
