// Wraps any ConsoleApi so that what arrives from the host is checked against the one schema in common/
// before the renderer trusts it: event payloads and replies, and call params before they leave (a clear
// error at once instead of a round trip). The network the page loads comes in columns (getNetworkColumns,
// common/networkWire.ts), checked by its lengths and codes like any other reply. `points` events and the object
// form of getNetwork can be left unchecked with `trustBulkData`: they come from our own core, which checked them
// against the same schemas when they arrived from the backend, and checking them per point cost the 50,000-point
// benchmark ~650 ms at start and a copy of every point (heap) on every live batch.
import { ConsoleApiError, consoleEvents, consoleMethods } from '../../../common/consoleApi.js';
import type {
  ConsoleApi,
  ConsoleEvent,
  ConsoleMethod,
  EventPayload,
  MethodParams,
  MethodResult,
} from '../../../common/consoleApi.js';

function describeIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(value)'}: ${i.message}`)
    .join('; ');
}

export interface ValidationOptions {
  /** Leave getNetwork's objects and `points` events unchecked (default false: check them). */
  trustBulkData?: boolean;
  onInvalidEvent?: (event: ConsoleEvent, message: string) => void;
}

export function withValidation<T extends ConsoleApi>(api: T, opts: ValidationOptions = {}): T {
  const wrapped: ConsoleApi = {
    async call<M extends ConsoleMethod>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      const spec = consoleMethods[method];
      if (!spec) throw new ConsoleApiError('unknownMethod', `unknown method ${String(method)}`);
      const p = spec.params.safeParse(params);
      if (!p.success) throw new ConsoleApiError('invalid', `${method}: ${describeIssues(p.error)}`);
      const data = await api.call(method, params);
      if (method === 'getNetwork' && opts.trustBulkData) return data;
      const r = spec.result.safeParse(data);
      if (!r.success)
        throw new ConsoleApiError(
          'internal',
          `the host's answer to ${method} is malformed: ${describeIssues(r.error)}`,
        );
      return r.data as MethodResult<M>;
    },
    on<E extends ConsoleEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const schema = consoleEvents[event];
      if (event === 'points' && opts.trustBulkData) return api.on(event, listener);
      return api.on(event, (payload: unknown) => {
        const r = schema.safeParse(payload);
        if (!r.success) {
          const msg = describeIssues(r.error);
          console.error(`dropped a malformed "${event}" event: ${msg}`);
          opts.onInvalidEvent?.(event, msg);
          return;
        }
        listener(r.data as EventPayload<E>);
      });
    },
  };
  return Object.assign(Object.create(null), api, wrapped) as T;
}
