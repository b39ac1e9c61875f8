// Starts the real parts for console tests: a demo backend on a free loopback port and console cores against it.
import { startBackend, type BackendOptions } from '../../backend/server.js';
import type { ConsoleEvent, EventPayload } from '../../common/consoleApi.js';
import { ConsoleCore, type Credentials } from '../../electron/core/consoleCore.js';
import { confSettings } from '../../electron/core/settings.js';
import { tempDir } from './tempDir.js';
import { waitFor } from './waitFor.js';

export type Backend = Awaited<ReturnType<typeof startBackend>>;

export async function startQuietDemoBackend(
  dataDir = tempDir('backend').path,
  /** More backend options (e.g. short delivery waits or liveness rules, unknown stations accepted). */
  extra: Partial<BackendOptions> = {},
): Promise<Backend & { dataDir: string }> {
  const backend = await startBackend({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    demo: true,
    demoOptions: { quiet: true, timeScale: 10 },
    changeAvailabilityTimeoutMs: 3000,
    log: () => undefined,
    ...extra,
  });
  return Object.assign(backend, { dataDir });
}

export function userOf(backend: Backend, role: string): Credentials {
  const user = backend.demoUsers.find((u) => u.role === role);
  if (!user) throw new Error(`no demo ${role}`);
  return { username: user.username, password: user.password };
}

export interface TestConsole {
  core: ConsoleCore;
  dataDir: string;
  events: { name: ConsoleEvent; payload: unknown }[];
  lastPoint(pointId: string): EventPayload<'points'>['points'][number] | null;
  close(): Promise<void>;
}

export function openConsole(
  backendUrl: string | null,
  credentials: Credentials | null,
  dataDir = tempDir('console').path,
): TestConsole {
  const core = new ConsoleCore({
    dataDir,
    backendUrl,
    autoSignIn: credentials,
    settings: confSettings(dataDir),
    log: () => undefined,
  });
  const events: TestConsole['events'] = [];
  core.on((name, payload) => events.push({ name, payload }));
  void core.start();
  return {
    core,
    dataDir,
    events,
    lastPoint(pointId) {
      for (let i = events.length - 1; i >= 0; i--) {
        const event = events[i];
        if (event.name !== 'points') continue;
        const found = (event.payload as EventPayload<'points'>).points.find((p) => p.id === pointId);
        if (found) return found;
      }
      return null;
    },
    close: () => core.close(),
  };
}

export async function waitLive(console: TestConsole, timeoutMs = 15_000): Promise<void> {
  await waitFor('the console to be live', () => console.core.connection().state === 'live', timeoutMs);
}
