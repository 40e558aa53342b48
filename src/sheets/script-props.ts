/**
 * The script properties every page and email needs (the public link, the stamp, pass and door keys,
 * the calendar sequence), read in one call per execution instead of one call each (issue 24: each is
 * a round trip). Each execution is a fresh script context, so the snapshot lives exactly as long as
 * one request or trigger run; what it writes itself it reads back. What must be current while
 * another execution may change it (the going-out marks) is read where it is used, never from here.
 */
let snapshot: Record<string, string> | null = null;

const props = () => PropertiesService.getScriptProperties();

/** A property as this execution first read it (null when unset or unreadable). */
export function scriptProp(name: string): string | null {
  if (!snapshot) {
    try {
      snapshot = props().getProperties();
    } catch (e) {
      // Quota or an outage: nothing is known; a caller that creates a key writes and reads it back.
      console.warn(`script properties not read: ${String(e)}`);
      return null;
    }
  }
  return snapshot[name] ?? null;
}

/** Written at once, and what this execution reads from now on. */
export function setScriptProp(name: string, value: string): void {
  props().setProperty(name, value);
  if (snapshot) snapshot[name] = value;
}

export function deleteScriptProp(name: string): void {
  props().deleteProperty(name);
  if (snapshot) delete snapshot[name];
}

/**
 * A secret made on first use. Two first uses at once both write: whichever write landed last is the
 * key, so it is read back from the store (not the snapshot) after writing.
 */
export function keyOf(name: string, create: boolean, fresh: () => string): string | null {
  const had = scriptProp(name);
  if (had || !create) return had;
  props().setProperty(name, fresh());
  const now = props().getProperty(name);
  if (snapshot && now) snapshot[name] = now;
  return now;
}
