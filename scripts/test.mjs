// `npm test`: type checking (one TypeScript project per layer), the import boundaries (dependency-cruiser), lint and
// format (ESLint, Prettier), unit and integration tests (node's test runner), the browser end-to-end tests (Playwright
// in Chromium) and, where the Electron binary exists, the Electron tests. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const only = process.argv[2]; // optional: typecheck | boundaries | lint | node | pg | e2e | electron

const STEP_TIMEOUT_MS = 20 * 60 * 1000;

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: STEP_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  if (result.error) console.log(`!!! ${label} did not finish: ${result.error.message}`);
  return { ...result, stdout: result.stdout ?? '', status: result.error ? 1 : result.status };
}

function testFiles(dir, suffix = '.test.ts') {
  const full = path.join(root, dir);
  return existsSync(full)
    ? readdirSync(full)
        .filter((f) => f.endsWith(suffix))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
}

// One project per layer, each with only the globals its layer has (docs/architecture.md, "Parts").
const TYPE_PROJECTS = [
  ['common: no DOM, no Node', 'tsconfig.common.json'],
  ['renderer: DOM, no Node', 'tsconfig.renderer.json'],
  ['node, backend, core, host, demo: Node, no DOM', 'tsconfig.node.json'],
  ["Electron shell: Electron's types", 'tsconfig.shell.json'],
  ['tests, bench, scripts: anything', 'tsconfig.json'],
];

/** The browser for the end-to-end tests: CHROMIUM_PATH, else Debian's chromium, else Playwright's own if installed. */
async function findChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    const { chromium } = await import('@playwright/test');
    const own = chromium.executablePath();
    return own && existsSync(own) ? own : null;
  } catch {
    return null;
  }
}

/** Adds a Playwright run's tests to the totals from its JSON report (one failure if it ended without one). */
function countPlaywright(report, result) {
  if (existsSync(report)) {
    const stats = JSON.parse(readFileSync(report, 'utf8')).stats ?? {};
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    totals.failed += stats.unexpected ?? 0;
    totals.skipped += stats.skipped ?? 0;
  }
  if (result.status !== 0 && !existsSync(report)) totals.failed++;
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

if (!only || only === 'typecheck') {
  // electron/shell is checked against Electron's own electron.d.ts, also where the Electron binary is missing.
  const types = run('Electron type declarations', process.execPath, ['scripts/electron-types.mjs']);
  for (const [label, project] of TYPE_PROJECTS) {
    if (project === 'tsconfig.shell.json' && types.status !== 0) {
      totals.failed++;
      continue;
    }
    const tsc = run(`type check (${label})`, bin('tsc'), ['--noEmit', '-p', project]);
    if (tsc.status === 0) totals.passed++;
    else totals.failed++;
  }
}

if (!only || only === 'boundaries') {
  // A violation prints "error <rule name>: <from> → <to>" (rules in .dependency-cruiser.cjs).
  const cruise = run('import boundaries', bin('depcruise'), [
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'err',
    'common',
    'node',
    'backend',
    'electron',
    'renderer/src',
    'tests',
    'bench',
  ]);
  if (cruise.status === 0) totals.passed++;
  else totals.failed++;
}

if (!only || only === 'lint') {
  // ESLint lives in tools/lint with its own TypeScript 5 (typescript-eslint needs TypeScript's JavaScript API; the root
  // builds with TypeScript 7, which has none). `npm install` installs it (the root's postinstall).
  const eslint = path.join(root, 'tools', 'lint', 'node_modules', '.bin', 'eslint');
  if (!existsSync(eslint)) {
    console.log('\n=== lint: FAILED — ESLint is not installed in tools/lint: `npm ci --prefix tools/lint`.');
    totals.failed++;
  } else {
    const lint = run('lint (ESLint, typescript-eslint, React hooks rules)', eslint, [
      '--config',
      'tools/lint/eslint.config.js',
      '--max-warnings',
      '0',
      '.',
    ]);
    if (lint.status === 0) totals.passed++;
    else totals.failed++;
  }
  const format = run('format (Prettier; `npm run format` rewrites)', bin('prettier'), [
    '--check',
    '--log-level',
    'warn',
    '.',
  ]);
  if (format.status === 0) totals.passed++;
  else totals.failed++;
}

if (!only || only === 'node') {
  const files = [...testFiles('tests/unit'), ...testFiles('tests/integration')];
  const result = run('unit and integration tests', bin('tsx'), [
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    '--test-timeout=180000',
    ...files,
  ]);
  const count = (word) => Number((result.stdout.match(new RegExp(`^ℹ ${word} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + (result.status !== 0 && count('fail') === 0 ? 1 : 0);
  totals.skipped += count('skipped') + count('todo');
}

if (!only || only === 'pg') {
  // The backend's integration tests and the store's unit tests again with the store on PostgreSQL (each test's own
  // database; tests/support/testStore.ts). Tests that cannot run there yet are listed in tests/support/postgresSkips.ts.
  const base = process.env.VOLTBOARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `try { const C = require('pg-native'); const c = new C(); c.connectSync(process.argv[1] + '/postgres'); c.end(); }
       catch (e) { console.log(String(e.message).split('\\n').find((l) => l.trim()) ?? 'no answer'); process.exit(1); }`,
      base.replace(/\/+$/, ''),
    ],
    { cwd: root, encoding: 'utf8', timeout: 15_000 },
  );
  if (probe.status !== 0) {
    const why = probe.stdout.trim() || probe.error?.message || 'no answer';
    console.log(
      `\n=== node (backend on PostgreSQL): SKIPPED — PostgreSQL at ${base.replace(/:[^:@/]*@/, ':***@')} is unreachable: ${why}`,
    );
    totals.skipped++;
  } else {
    const storeUnits = testFiles('tests/unit').filter((f) =>
      /from '\.\.\/support\/testStore\.js'/.test(readFileSync(path.join(root, f), 'utf8')),
    );
    // The console's own tests (core-*, web-host*) exercise the console against a backend already covered here: they
    // stay on SQLite, which keeps this step's time in CI's budget.
    const backendIntegration = testFiles('tests/integration').filter((f) => !/\/(core-|web-host)/.test(f));
    const result = run(
      'node (backend on PostgreSQL)',
      bin('tsx'),
      [
        '--test',
        '--test-reporter=spec',
        '--test-concurrency=2',
        '--test-timeout=180000',
        ...storeUnits,
        ...backendIntegration,
      ],
      { VOLTBOARD_TEST_STORE: 'postgres', VOLTBOARD_TEST_PG: base },
    );
    const count = (word) => Number((result.stdout.match(new RegExp(`^ℹ ${word} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
    totals.passed += count('pass');
    totals.failed += count('fail') + (result.status !== 0 && count('fail') === 0 ? 1 : 0);
    totals.skipped += count('skipped') + count('todo');
  }
}

if (!only || only === 'e2e') {
  const report = path.join(root, 'test-results', 'e2e.json');
  rmSync(report, { force: true });
  const chromium = await findChromium();
  const build = chromium
    ? run('renderer build', bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'])
    : null;
  if (!chromium) {
    console.log(
      process.env.CHROMIUM_PATH
        ? `\n=== browser end-to-end tests: FAILED — CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist. Point it at a Chromium, or unset it to use Debian's /usr/bin/chromium.`
        : '\n=== browser end-to-end tests: FAILED — no Chromium found: `apt-get install chromium` (Debian), or `npx playwright install chromium` where Playwright can download its browser (or set CHROMIUM_PATH).',
    );
    totals.failed++;
  } else if (build.status !== 0) totals.failed++;
  else {
    const result = run(
      'browser end-to-end tests',
      bin('playwright'),
      ['test', '-c', 'tests/e2e/playwright.config.ts'],
      {
        PLAYWRIGHT_JSON_OUTPUT_NAME: report,
        CHROMIUM_PATH: chromium,
      },
    );
    countPlaywright(report, result);
  }
}

if (!only || only === 'electron') {
  let electronBinary;
  try {
    electronBinary = createRequire(import.meta.url)('electron');
  } catch {
    electronBinary = null;
  }
  const files = testFiles('tests/electron', '.spec.ts');
  if (!electronBinary || typeof electronBinary !== 'string' || !existsSync(electronBinary)) {
    // Listing needs no Electron binary: count the tests that would run.
    const listed = spawnSync(
      bin('playwright'),
      ['test', '--list', '--reporter=list', '-c', 'tests/electron/playwright.config.ts'],
      { cwd: root, encoding: 'utf8' },
    );
    const tests = Number((listed.stdout?.match(/^Total: (\d+) tests?/m) ?? [])[1] ?? files.length);
    console.log(
      `\n=== Electron tests: SKIPPED (${tests} tests in ${files.join(', ')}) — the Electron binary is not installed on this machine (npm could not download it). They run where it is.`,
    );
    totals.skipped += tests;
  } else {
    const report = path.join(root, 'test-results', 'electron.json');
    rmSync(report, { force: true });
    const build = run('Electron build', process.execPath, ['scripts/build-electron.mjs']);
    if (build.status !== 0) totals.failed++;
    else {
      const result = run('Electron tests', bin('playwright'), ['test', '-c', 'tests/electron/playwright.config.ts'], {
        PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      });
      countPlaywright(report, result);
    }
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
