// Every call from the renderer, whatever the host, passes through here: the method must exist and its params
// must match the one schema in common/consoleApi.ts, else the caller gets a clear error and nothing happens.
import { ConsoleApiError, consoleMethods, type ConsoleMethod, type MethodParams } from '../../../common/consoleApi.js';
import type { ConsoleCore } from '../consoleCore.js';

export async function dispatch(core: ConsoleCore, method: string, params: unknown): Promise<unknown> {
  if (!Object.hasOwn(consoleMethods, method)) throw new ConsoleApiError('unknownMethod', `unknown method "${method}"`);
  const name = method as ConsoleMethod;
  const parsed = consoleMethods[name].params.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'params';
    throw new ConsoleApiError('invalid', `${method}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const run = core[name] as (p: MethodParams<typeof name>) => unknown;
  return await run.call(core, parsed.data as MethodParams<typeof name>);
}

/** The error as it crosses to the renderer: a code and a message, never a stack. */
export function toWireError(error: unknown): { code: string; message: string } {
  if (error instanceof ConsoleApiError) return { code: error.code, message: error.message };
  return { code: 'internal', message: 'internal error in the console core' };
}
