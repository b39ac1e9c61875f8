// With no backend configured, the console runs the repository's demo backend in-process and signs in to it as
// the demo operator, so that a first start shows a live network at once.
import path from 'node:path';
import type { Credentials } from './consoleCore.js';

export interface EmbeddedDemo {
  url: string;
  operator: Credentials;
  stop(): Promise<void>;
}

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
  return { url: backend.url, operator: { username: operator.username, password: operator.password }, stop: () => backend.stop() };
}
