/** ScriptApp: the web app URL and the project's triggers (time-based and spreadsheet). */
import { ServiceEnv, realmArray, strict } from './env';

export function scriptApp(env: ServiceEnv) {
  const { rpc } = env;
  const triggerObj = (t: { id: string; handlerFunction: string; eventType: string }) =>
    strict('Trigger', {
      getUniqueId: () => t.id,
      getHandlerFunction: () => t.handlerFunction,
      getEventType: () => t.eventType,
    });
  const authorizationInfo = (asked?: string[]) => {
    const { required, granted } = rpc('script.authorization') as { required: string[]; granted: string[] };
    const missing = required.filter((s) => !granted.includes(s));
    return strict('AuthorizationInfo', {
      getAuthorizationStatus: () => (missing.length ? 'REQUIRED' : 'NOT_REQUIRED'),
      getAuthorizationUrl: () =>
        missing.length ? 'https://script.google.com/macros/d/emulator/authorize' : null,
      getAuthorizedScopes: () => realmArray(env, asked ? granted.filter((s) => asked.includes(s)) : granted),
    });
  };
  return strict('ScriptApp', {
    getService: () => strict('Service', { getUrl: () => rpc('script.url') }),
    getAuthorizationInfo: (mode: string, scopes?: string[]) => {
      if (mode === undefined) throw env.error('Invalid argument: authMode');
      return authorizationInfo(scopes ? [...scopes] : undefined);
    },
    AuthMode: { NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' },
    AuthorizationStatus: { REQUIRED: 'REQUIRED', NOT_REQUIRED: 'NOT_REQUIRED' },
    getProjectTriggers: () =>
      realmArray(
        env,
        (rpc('triggers.list') as Array<{ id: string; handlerFunction: string; eventType: string }>).map(
          triggerObj,
        ),
      ),
    deleteTrigger: (t: { getUniqueId(): string }) => void rpc('triggers.delete', t.getUniqueId()),
    newTrigger: (fn: string) => {
      const spec: Record<string, unknown> = { handlerFunction: fn };
      const create = () =>
        triggerObj({
          ...(spec as { handlerFunction: string; eventType: string }),
          id: rpc('triggers.create', spec) as string,
        });
      const clock = {
        everyMinutes: (n: number) => {
          if (![1, 5, 10, 15, 30].includes(n)) {
            throw env.error('The value passed to everyMinutes must be one of 1, 5, 10, 15 or 30.');
          }
          spec.everyMinutes = n;
          return clock;
        },
        everyHours: (n: number) => ((spec.everyHours = n), clock),
        // The script's clock (modelled time under the virtual clock).
        after: (ms: number) => ((spec.at = (env.now ? env.now() : Date.now()) + ms), clock),
        at: (d: Date) => ((spec.at = d.getTime()), clock),
        create,
      };
      const ssb = {
        onEdit: () => ((spec.eventType = 'ON_EDIT'), ssb),
        onOpen: () => ((spec.eventType = 'ON_OPEN'), ssb),
        onChange: () => ((spec.eventType = 'ON_CHANGE'), ssb),
        create,
      };
      return strict('TriggerBuilder', {
        timeBased: () => ((spec.eventType = 'CLOCK'), strict('ClockTriggerBuilder', clock)),
        forSpreadsheet: () => strict('SpreadsheetTriggerBuilder', ssb),
      });
    },
    EventType: { CLOCK: 'CLOCK', ON_EDIT: 'ON_EDIT', ON_OPEN: 'ON_OPEN', ON_CHANGE: 'ON_CHANGE' },
  });
}
