/** Utilities: only sleep reaches the backend (the rest runs in the execution, see services/). */
import type { Handlers } from './types';

export function utilitiesHandlers(): Handlers {
  return {
    // The wait itself is the call's cost (Backend.handle): modelled time, or real time in the dev server.
    'utilities.sleep': () => undefined,
  };
}
