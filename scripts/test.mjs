// `npm test`: type checking, unit and integration tests (node's test runner), the browser end-to-end tests
// (Playwright in Chromium) and, where the Electron binary exists, the Electron tests. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const only = process.argv[2]; // optional: typecheck | node | e2e | electron

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

function testFiles(dir) {
  const full = path.join(root, dir);
  return existsSync(full) ? readdirSync(full).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join(dir, f)) : [];
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

if (!only || only === 'typecheck') {
  const tsc = run('type check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  if (tsc.status === 0) totals.passed++;
  else totals.failed++;
}

if (!only || only === 'node') {
  const files = [...testFiles('tests/unit'), ...testFiles('tests/integration')];
  const result = run('unit and integration tests', bin('tsx'), ['--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=180000', ...files]);
  const count = (word) => Number((result.stdout.match(new RegExp(`^ℹ ${word} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + (result.status !== 0 && count('fail') === 0 ? 1 : 0);
  totals.skipped += count('skipped') + count('todo');
}

if (!only || only === 'e2e') {
  const report = path.join(root, 'test-results', 'e2e.json');
  rmSync(report, { force: true });
  const build = run('renderer build', bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  if (build.status !== 0) totals.failed++;
  else {
    const result = run('browser end-to-end tests', bin('playwright'), ['test', '-c', 'tests/e2e/playwright.config.ts'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    });
    if (existsSync(report)) {
      const stats = JSON.parse(readFileSync(report, 'utf8')).stats ?? {};
      totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
      totals.failed += stats.unexpected ?? 0;
      totals.skipped += stats.skipped ?? 0;
    }
    if (result.status !== 0 && !existsSync(report)) totals.failed++;
  }
}

if (!only || only === 'electron') {
  let electronBinary = null;
  try {
    electronBinary = createRequire(import.meta.url)('electron');
  } catch {
    electronBinary = null;
  }
  const files = testFiles('tests/electron');
  if (!electronBinary || typeof electronBinary !== 'string' || !existsSync(electronBinary)) {
    console.log(`\n=== Electron tests: SKIPPED (${files.length} files) — the Electron binary is not installed on this machine (npm could not download it). They run where it is.`);
    totals.skipped += files.length;
  } else {
    run('Electron build', process.execPath, ['scripts/build-electron.mjs']);
    const result = run('Electron tests', bin('playwright'), ['test', '-c', 'tests/electron/playwright.config.ts']);
    if (result.status === 0) totals.passed += files.length;
    else totals.failed++;
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
