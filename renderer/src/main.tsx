// The boot chunk: small, so it runs as soon as the page has it. It paints in the remembered theme and, in a
// browser tab, asks the web host for the first screen of the grid; the app's code loads meanwhile.
import { startEarlyConnection, takeEarlyConnection } from './boot/earlyConnection.js';
import { applyRememberedTheme } from './theme.js';

applyRememberedTheme();
startEarlyConnection(window);

import('./startApp.js').catch((error: unknown) => {
  // Nobody will read the early socket: close it rather than hold what the host sends for ever.
  takeEarlyConnection()?.socket.close();
  const root = document.getElementById('root');
  if (root)
    root.textContent = `Voltboard could not load its code: ${error instanceof Error ? error.message : String(error)}. Reload the page to try again.`;
  throw error;
});
