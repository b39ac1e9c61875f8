// The import rules of docs/architecture.md ("Parts", column "may import"), checked by `npm test` (scripts/test.mjs,
// step "import boundaries") with dependency-cruiser. A violation fails the step and names its rule.
// Run it alone: npx depcruise --config .dependency-cruiser.cjs common node backend electron renderer/src tests bench
//
// Paths are relative to the repository root. Node's built-in modules are "core" dependencies; an npm package that
// is not installed here (the optional `electron`) is unresolvable and keeps its bare name as its path.
const TESTS_AND_BENCH = '^(tests|bench|scripts)/';
const ELECTRON_PACKAGE = '^electron$|(^|/)node_modules/electron/';
const NODE_ONLY_PACKAGES = '(^|/)node_modules/(better-sqlite3|ws|socket\\.io|conf|electron-store|ocpp-rpc)/';

/** A rule named `name`: files matching `from` may not import paths matching `to`. */
function forbid(name, comment, from, to, extra = {}) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: to, ...extra } };
}

module.exports = {
  forbidden: [
    forbid(
      'common-imports-only-zod',
      'common/ runs everywhere: it imports nothing but zod and itself',
      '^common/',
      '^(?!common/|(\\.\\./)*node_modules/zod/)',
    ),
    forbid(
      'renderer-imports-only-common',
      'renderer/ imports common/ and its own npm packages; never Node, Electron, the core, the host or the backend',
      '^renderer/src/',
      `^(node|backend|electron)/|${TESTS_AND_BENCH}|${ELECTRON_PACKAGE}|${NODE_ONLY_PACKAGES}`,
    ),
    {
      ...forbid(
        'renderer-no-node-builtins',
        'renderer/ runs in Chromium: no Node built-in modules',
        '^renderer/src/',
        '',
      ),
      to: { dependencyTypes: ['core'] },
    },
    forbid(
      'node-imports-only-common',
      'node/ (SQLite, heap policy, launcher) imports only common/',
      '^node/',
      `^(backend|electron|renderer)/|${TESTS_AND_BENCH}|${ELECTRON_PACKAGE}`,
    ),
    forbid(
      'backend-imports-only-common-and-node',
      'backend/ imports only common/ and node/',
      '^backend/',
      `^(electron|renderer)/|${TESTS_AND_BENCH}|${ELECTRON_PACKAGE}`,
    ),
    forbid(
      'core-imports-only-common-and-node',
      'electron/core/ imports only common/ and node/: not the backend (the hosts start the demo), not the hosts, not Electron',
      '^electron/core/',
      `^(backend|renderer)/|^electron/(host|shell|demo)/|${TESTS_AND_BENCH}|${ELECTRON_PACKAGE}`,
    ),
    forbid(
      'demo-imports-backend-server-only',
      'electron/demo/ starts the demo backend through backend/server.ts and nothing else of the backend',
      '^electron/demo/',
      '^backend/',
      { pathNot: '^backend/server\\.ts$' },
    ),
    forbid(
      'demo-imports-only-core-common-node-and-backend-server',
      'electron/demo/ imports electron/core/, common/, node/ and backend/server.ts',
      '^electron/demo/',
      `^renderer/|^electron/(host|shell)/|${TESTS_AND_BENCH}|${ELECTRON_PACKAGE}`,
    ),
    forbid(
      'host-imports-only-core-common-node',
      'electron/host/ (the web host) imports electron/core/, common/, node/ and the embedded demo; not Electron, not the backend',
      '^electron/host/',
      `^(backend|renderer)/|^electron/shell/|${TESTS_AND_BENCH}|${ELECTRON_PACKAGE}`,
    ),
    forbid(
      'shell-imports-only-core-common-node',
      'electron/shell/ (Electron main and preload) imports electron/core/, common/, node/ and the embedded demo; not the backend',
      '^electron/shell/',
      `^(backend|renderer)/|^electron/host/|${TESTS_AND_BENCH}`,
    ),
    forbid(
      'tests-not-import-bench',
      'tests/ may use tests/support but never bench/: a benchmark is measured, not relied on by a test',
      '^tests/',
      '^bench/',
    ),
    forbid(
      'bench-imports-only-tests-support',
      'bench/ may borrow the shared test helpers in tests/support, and no test itself',
      '^bench/',
      '^tests/',
      { pathNot: '^tests/support/' },
    ),
    {
      name: 'no-unresolvable-import',
      comment:
        'every import resolves (but the optional electron package, missing where its binary could not be downloaded)',
      severity: 'error',
      from: { path: '^(common|node|backend|electron|renderer/src)/' },
      to: { couldNotResolve: true, pathNot: ELECTRON_PACKAGE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist' },
    babelConfig: { fileName: '.dependency-cruiser.babel.cjs' },
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
