/**
 * ScriptApp (triggers, the web app URL, the daily trigger run time), Session, the editor's Ui
 * (menus, alerts) and Logger.
 */
import type { Backend } from './core';
import { ERR, GasError } from './errors';
import type { ExecState, Handlers, TriggerSpec } from './types';
import { DAY } from './units';

const MAX_TRIGGERS = 20;

/**
 * The spreadsheet's own UI (the menu, a sidebar or dialog and its google.script.run calls, and simple
 * triggers a person's action starts) has a Ui; a web app, a trigger, the Apps Script API and the Apps
 * Script IDE's Run button ('ide') have none: getUi() throws there.
 */
const hasUi = (ex: ExecState) => ex.context === 'editor' || ex.context === 'simple';

export function scriptHandlers(b: Backend): Handlers {
  return {
    'triggers.create': (_ex, spec: Omit<TriggerSpec, 'id'>) => {
      if (b.triggers.length >= MAX_TRIGGERS) throw new GasError(ERR.tooManyTriggers);
      // Google's ids are long numeric strings (Trigger.getUniqueId, the event's triggerUid).
      const rand = () => (b.sim ? b.sim.random() : Math.random());
      const id =
        String(1 + Math.floor(rand() * 9)) +
        Array.from({ length: 18 }, () => Math.floor(rand() * 10)).join('');
      const every = (spec.everyMinutes ?? 0) * 60e3 + (spec.everyHours ?? 0) * 3600e3;
      b.triggers.push({ ...spec, id, nextRunAt: spec.at ?? (every ? b.now() + every : undefined) });
      b.scheduleSave();
      return id;
    },
    'triggers.list': () => b.triggers.map((t) => ({ ...t })),
    'triggers.delete': (_ex, id: string) => {
      b.triggers = b.triggers.filter((t) => t.id !== id);
      b.scheduleSave();
    },
    // Inside a live /exec request getUrl() is the /exec URL; elsewhere (triggers, the menu, the editor)
    // it is widely reported to be the /dev URL only editors can open (getUrlOutsideWebApp).
    'script.url': (ex) => {
      const url = b.opts.url;
      if (!url || ex.context === 'webapp') return url;
      const model = b.opts.getUrlOutsideWebApp;
      return model === 'exec' ? url : model === 'null' ? null : url.replace(/\/exec$/, '/dev');
    },
    // ScriptApp.getAuthorizationInfo: the manifest's scopes and the ones the host granted.
    'script.authorization': () => ({ required: [...(b.manifestScopes ?? [])], granted: b.grantedScopes() }),
    'session.scriptTimeZone': () => b.opts.timeZone,
    'session.effectiveUser': () => b.opts.owner,
    'session.activeUser': (ex) => (hasUi(ex) ? b.opts.owner : ''),
    'ui.check': (ex) => {
      if (!hasUi(ex)) throw new GasError(ERR.noUi);
    },
    'ui.menu': (ex, name: string, items: Array<{ caption: string; fn: string } | null>) => {
      if (!hasUi(ex)) throw new GasError(ERR.noUi);
      b.menus[name] = items;
      b.scheduleSave();
    },
    'ui.panel': (ex, kind: 'sidebar' | 'dialog', title: string, html: string) => {
      if (!hasUi(ex)) throw new GasError(ERR.noUi);
      b.panels.push({ seq: ++b.panelSeq, at: b.now(), kind, title: String(title), html: String(html) });
      if (b.panels.length > 20) b.panels.shift();
    },
    // A dialog with a choice is answered by what the test scripted (alertAnswers), else closed.
    'ui.alert': (ex, message: string, buttons = 'OK') => {
      if (!hasUi(ex)) throw new GasError(ERR.noUi);
      ex.logs.push(`[alert] ${message}`);
      if (buttons === 'OK') return 'OK';
      return b.alertAnswers.shift() ?? 'CLOSE';
    },
    log: (ex, line: string) => void ex.logs.push(String(line)),
  };
}

/** Trigger run time per day (90 minutes on a consumer account): spent, a trigger fails at start. */
export function chargeTriggerTime(b: Backend, ms: number): void {
  const now = b.now();
  if (!b.quota.triggerWindowStart || now - b.quota.triggerWindowStart >= DAY)
    b.quota = { ...b.quota, triggerMsUsed: 0, triggerWindowStart: now };
  b.quota.triggerMsUsed = (b.quota.triggerMsUsed ?? 0) + ms;
}

/** Whether a trigger may start: false once today's trigger run time is spent. */
export function triggerTimeLeft(b: Backend): boolean {
  const now = b.now();
  if (b.quota.triggerWindowStart && now - b.quota.triggerWindowStart >= DAY) return true;
  return (b.quota.triggerMsUsed ?? 0) < b.opts.triggerMsPerDay;
}
