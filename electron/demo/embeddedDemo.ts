// With no backend configured, the hosts (the web host, the Electron shell) run the repository's demo backend
// in-process and hand the core its URL and the demo operator's credentials, so that a first start shows a live
// network at once. The one place on the console's side that reaches into backend/, and only through its server:
// the core never imports the backend (.dependency-cruiser.cjs). The backend is imported only when the demo starts
// (a dynamic import: in the Electron bundle it is a chunk of its own, loaded only then).
import path from 'node:path';
import type { EmbeddedDemo } from '../core/launch.js';

export async function startEmbeddedDemo(dataDir: string, log?: (line: string) => void): Promise<EmbeddedDemo> {
  const { startBackend } = await import('../../backend/server.js');
  const backend = await startBackend({
    port: 0,
    host: '127.0.0.1',
    dataDir: path.join(dataDir, 'demo-backend'),
    demo: true,
    log: (line: string) => log?.(`[demo backend] ${line}`),
  });
  const operator = backend.demoUsers.find((user: { role: string }) => user.role === 'operator');
  if (!operator) {
    await backend.stop();
    throw new Error('the demo backend has no operator user');
  }
  return {
    url: backend.url,
    operator: { username: operator.username, password: operator.password },
    stop: () => backend.stop(),
  };
}
