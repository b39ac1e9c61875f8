// A console core in its own process, for tests that kill it: `tsx coreProcess.ts DATA_DIR BACKEND_URL USER PASSWORD`.
// Prints its connection state as one JSON line whenever it changes. VB_REPLAY_BATCH sets the replay batch size.
import { ConsoleCore } from '../../electron/core/consoleCore.js';
import { confSettings } from '../../electron/core/settings.js';

const [dataDir, backendUrl, username, password] = process.argv.slice(2);
const core = new ConsoleCore({
  dataDir,
  backendUrl,
  autoSignIn: { username, password },
  settings: confSettings(dataDir),
  replayBatchSize: Number(process.env.VB_REPLAY_BATCH ?? 500),
});
core.on((name) => {
  if (name === 'connection' || name === 'outcome') process.stdout.write(`${JSON.stringify(core.connection())}\n`);
});
void core.start();
process.on('SIGTERM', () => void core.close().then(() => process.exit(0)));
