/**
 * Each time-trigger function records its last run (start, end, success) in Script Properties: Apps
 * Script gives a script no history of its own executions, and the deployment check reads these.
 * Two property writes per run (a poll every minute: ~2,900 of the 50,000 a day).
 */
import { RunRecord } from '../../core/checks';

const key = (fn: string) => `rsvp.run.${fn}`;

function save(fn: string, r: RunRecord): void {
  try {
    PropertiesService.getScriptProperties().setProperty(key(fn), JSON.stringify(r));
  } catch {
    // The record is for the host's check only: a run never fails for want of it.
  }
}

export function recordRun<T>(fn: string, body: () => T): T {
  const start = Date.now();
  save(fn, { start });
  try {
    const out = body();
    save(fn, { start, end: Date.now(), ok: true });
    return out;
  } catch (e) {
    save(fn, { start, end: Date.now(), ok: false, error: String((e as Error)?.message ?? e).slice(0, 300) });
    throw e;
  }
}

export function lastRun(fn: string): RunRecord | null {
  try {
    const raw = PropertiesService.getScriptProperties().getProperty(key(fn));
    return raw ? (JSON.parse(raw) as RunRecord) : null;
  } catch {
    return null;
  }
}
