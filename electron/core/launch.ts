// Starts the core the way both hosts need it: against the configured backend, or else against the embedded demo.
import { ConsoleCore, type TokenStore } from './consoleCore.js';
import { startEmbeddedDemo, type EmbeddedDemo } from './embeddedDemo.js';
import type { SettingsStore } from './settings.js';

export interface LaunchOptions {
  dataDir: string;
  /** Overrides the settings' backend URL; null or absent with no setting = run the embedded demo. */
  backendUrl?: string | null;
  settings: SettingsStore;
  tokens?: TokenStore;
  /** Allow http:// backends off loopback; default: the settings' allowInsecureBackend. */
  allowInsecure?: boolean;
  log?: (line: string) => void;
}

export interface LaunchedCore {
  core: ConsoleCore;
  demo: EmbeddedDemo | null;
  stop(): Promise<void>;
}

export async function launchCore(options: LaunchOptions): Promise<LaunchedCore> {
  const configured = options.backendUrl ?? options.settings.get().backendUrl;
  const demo = configured ? null : await startEmbeddedDemo(options.dataDir, options.log);
  if (demo) options.log?.(`No backend configured: running the demo network at ${demo.url}, signed in as the demo operator "${demo.operator.username}".`);
  const core = new ConsoleCore({
    dataDir: options.dataDir,
    backendUrl: demo ? demo.url : configured,
    autoSignIn: demo ? demo.operator : null,
    allowInsecure: options.allowInsecure ?? options.settings.get().allowInsecureBackend,
    demo: Boolean(demo),
    settings: options.settings,
    tokens: options.tokens,
    log: options.log,
  });
  void core.start().catch((error: unknown) => options.log?.(`console core could not start: ${(error as Error).message}`));
  return {
    core,
    demo,
    async stop() {
      await core.close();
      await demo?.stop();
    },
  };
}
