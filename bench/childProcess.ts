// The benchmarks' child processes (a console, the scale benchmarks' backend): bundled the way the Electron main
// process is and run by plain Node, and called over their IPC channel with an id per request.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.dirname(here);
const bundles = new Map<string, Promise<string>>();

/**
 * bench/NAME.ts bundled by esbuild (packages external: see scripts/build-electron.mjs) for plain Node: a TypeScript
 * loader would add its own thread and memory to what is measured. Inside node_modules so its packages resolve.
 */
export function benchBundle(name: string): Promise<string> {
  let bundled = bundles.get(name);
  if (!bundled) {
    bundled = (async () => {
      const { build } = await import('esbuild');
      const outfile = path.join(projectRoot, 'node_modules', '.cache', 'voltboard-bench', `${name}.mjs`);
      await build({
        entryPoints: [path.join(here, `${name}.ts`)],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'esm',
        packages: 'external',
        sourcemap: true,
        logLevel: 'warning',
      });
      return outfile;
    })();
    bundles.set(name, bundled);
  }
  return bundled;
}

export interface ChildCalls<Ready> {
  /** The child's first message ({ ready: true, … }). */
  ready: Promise<Ready>;
  call(op: string, args?: object): Promise<any>;
  readonly exited: boolean;
}

/** Requests to a forked child that answers { id, result } or { id, error }; `what` names it in errors. */
export function childCalls<Ready>(child: ChildProcess, what: string): ChildCalls<Ready> {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const ready = new Promise<Ready>((resolve, reject) => {
    child.on('message', (m: any) => {
      if (m.ready) return resolve(m);
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.result);
    });
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`${what} exited (${code}) before it was ready`));
      for (const w of waiting.values()) w.reject(new Error(`${what} exited (${code})`));
      waiting.clear();
    });
  });
  return {
    ready,
    get exited() {
      return exited;
    },
    call: (op, args = {}) =>
      new Promise<any>((resolve, reject) => {
        if (exited) return reject(new Error(`${what} has exited`));
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        child.send({ id, op, ...args });
      }),
  };
}

/** Asks the child to stop, and kills it if it has not within 5 s. */
export async function stopChild(child: ChildProcess, calls: ChildCalls<unknown>): Promise<void> {
  if (calls.exited) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await calls.call('stop').catch(() => undefined);
  await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
  if (!calls.exited) child.kill('SIGKILL');
}
