// The timers every runtime that runs common/ has (Node, browsers, Electron), for the common project, whose lib is
// ES2023 alone (no DOM, no Node types). Handles are opaque here: common/ only hands them back to clear*.
declare function setTimeout(handler: () => void, timeout?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function setInterval(handler: () => void, timeout?: number): unknown;
declare function clearInterval(handle: unknown): void;
