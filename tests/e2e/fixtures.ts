// Each end-to-end test gets its own real network: a demo backend (quiet: nothing changes unless the test says
// so) on a free loopback port, and console cores with the web host in front, each with a fresh profile.
import { expect, test as base, type Browser, type Page } from '@playwright/test';
import type { BackendOptions } from '../../backend/server.js';
import { rendererDir } from '../../electron/host/rendererBuild.js';
import { startWebHost, type WebHost } from '../../electron/host/webHost.js';
import {
  openConsole,
  startQuietDemoBackend,
  userOf,
  waitLive,
  type Backend,
  type TestConsole,
} from '../support/consoles.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import { tempDir } from '../support/tempDir.js';

export interface ConsoleUnderTest {
  console: TestConsole;
  host: WebHost;
  /** The line between this console and the backend, to cut and restore (only with { viaProxy: true }). */
  line: TcpProxy | null;
}

export interface NetworkFixture {
  backend: Backend;
  /** Starts another console (core + web host) with a fresh profile, signed in as the given demo role. */
  startConsole(role?: string, options?: { viaProxy?: boolean }): Promise<ConsoleUnderTest>;
  /** Opens the console in a new browser tab (the same profile's cookie for the same host). */
  openTab(host: WebHost, browser?: Browser): Promise<Page>;
}

export const test = base.extend<{ network: NetworkFixture; backendOptions: Partial<BackendOptions> }>({
  /** Extra options for the test's backend (`test.use({ backendOptions: … })`): short waits, unknown stations… */
  backendOptions: [{}, { option: true }],
  network: async ({ browser, backendOptions }, use) => {
    const backend = await startQuietDemoBackend(undefined, backendOptions);
    const started: ConsoleUnderTest[] = [];
    const contexts = new Map<WebHost, Awaited<ReturnType<Browser['newContext']>>>();
    const fixture: NetworkFixture = {
      backend,
      async startConsole(role = 'operator', options = {}) {
        const line = options.viaProxy ? await startTcpProxy(backend.port) : null;
        const console = openConsole(line ? line.url : backend.url, userOf(backend, role), tempDir('e2e-console').path);
        await waitLive(console);
        const host = await startWebHost({ core: console.core, rendererDir, port: 0 });
        const entry = { console, host, line };
        started.push(entry);
        return entry;
      },
      async openTab(host) {
        let context = contexts.get(host);
        if (!context) {
          context = await browser.newContext();
          contexts.set(host, context);
        }
        const page = await context.newPage();
        page.on('dialog', (dialog) => {
          throw new Error(`unexpected dialog: ${dialog.message()}`);
        });
        await page.goto(host.url);
        await expect(page.getByTestId('grid')).toBeVisible();
        await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');
        return page;
      },
    };
    await use(fixture);
    for (const context of contexts.values()) await context.close();
    for (const { console, host, line } of started) {
      await host.stop();
      await console.close();
      await line?.close();
    }
    await backend.stop();
  },
});

export { expect };

/** The first point matching a condition, from the backend's own store (the truth). */
export function pickPoint(
  console: TestConsole,
  match: (p: ReturnType<TestConsole['core']['getNetwork']>['points'][number]) => boolean,
) {
  const point = console.core.getNetwork().points.find(match);
  if (!point) throw new Error('no point matches');
  return point;
}
