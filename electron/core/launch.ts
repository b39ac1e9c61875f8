// Starts the core the way both hosts need it: against the configured backend, or else against the embedded demo,
// which the host starts (options.startDemo: electron/demo/embeddedDemo.ts) and whose URL and demo operator the core
// is handed. The core itself never imports the backend.
import { ConsoleCore, type Credentials, type TokenStore } from './consoleCore.js';
import type { SettingsStore } from './settings.js';

/** A demo backend running in-process: where it listens and who to sign in as. */
export interface EmbeddedDemo {
  url: string;
  operator: Credentials;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  dataDir: string;
  /** Overrides the settings' backend URL; null or absent with no setting = run the embedded demo. */
  backendUrl?: string | null;
  settings: SettingsStore;
  tokens?: TokenStore;
  /** Allow http:// backends off loopback; default: the settings' allowInsecureBackend. */
  allowInsecure?: boolean;
  log?: (line: string) => void;
  /** Starts the demo backend when no backend is configured (the hosts pass electron/demo's startEmbeddedDemo). */
  startDemo?: (dataDir: string, log?: (line: string) => void) => Promise<EmbeddedDemo>;
}

export interface LaunchedCore {
  core: ConsoleCore;
  demo: EmbeddedDemo | null;
  stop(): Promise<void>;
}

export async function launchCore(options: LaunchOptions): Promise<LaunchedCore> {
  const configured = options.backendUrl ?? options.settings.get().backendUrl;
  let demo: EmbeddedDemo | null = null;
  if (!configured) {
    if (!options.startDemo) throw new Error('no backend is configured, and this host cannot start the demo backend');
    demo = await options.startDemo(options.dataDir, options.log);
  }
  if (demo)
    options.log?.(
      `No backend configured: running the demo network at ${demo.url}, signed in as the demo operator "${demo.operator.username}".`,
    );
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
  void core
    .start()
    .catch((error: unknown) => options.log?.(`console core could not start: ${(error as Error).message}`));
  return {
    core,
    demo,
    async stop() {
      await core.close();
      await demo?.stop();
    },
  };
}
