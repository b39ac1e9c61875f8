// The layer rules fail the build: deliberate wrong imports, written into a small tree laid out like the repository's,
// are refused by the same dependency-cruiser config `npm test` runs, each naming its rule; and a type error in
// electron/shell fails its TypeScript project, Electron's types found where the Electron binary is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
// Inside the repository (test-results/ is ignored by git), so that node_modules is found from the fixture.
mkdirSync(path.join(root, 'test-results'), { recursive: true });
const fixture = mkdtempSync(path.join(root, 'test-results', 'layers-'));
after(() => rmSync(fixture, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(fixture, file)), { recursive: true });
  writeFileSync(path.join(fixture, file), text);
}

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

describe('import boundaries (.dependency-cruiser.cjs)', () => {
  let violations: Violation[] = [];
  let output = '';

  before(() => {
    for (const config of ['.dependency-cruiser.cjs', '.dependency-cruiser.babel.cjs'])
      copyFileSync(path.join(root, config), path.join(fixture, config));
    // Allowed: each layer importing what docs/architecture.md lets it.
    write('common/status.ts', "import { z } from 'zod';\nexport const Status = z.enum(['Available']);\n");
    write(
      'node/sqlite.ts',
      "import path from 'node:path';\nimport { Status } from '../common/status.js';\nexport const x = [path, Status];\n",
    );
    write('backend/server.ts', "import { x } from '../node/sqlite.js';\nexport const startBackend = () => x;\n");
    write(
      'electron/core/consoleCore.ts',
      "import { x } from '../../node/sqlite.js';\nexport type Credentials = { username: string };\nexport const core = x;\n",
    );
    write(
      'electron/demo/embeddedDemo.ts',
      "import type { Credentials } from '../core/consoleCore.js';\nexport const start = async (c: Credentials) => (await import('../../backend/server.js')).startBackend();\n",
    );
    write(
      'electron/host/cli.ts',
      "import { core } from '../core/consoleCore.js';\nimport { start } from '../demo/embeddedDemo.js';\nexport const y = [core, start];\n",
    );
    write(
      'renderer/src/App.tsx',
      "import { Status } from '../../common/status.js';\nexport const App = () => <div>{String(Status)}</div>;\n",
    );
    // Wrong, one per rule the issue names: renderer → core (a type import too), core → Electron, core → backend,
    // common → anything.
    write(
      'renderer/src/wrong.ts',
      "import { core } from '../../electron/core/consoleCore.js';\nexport const w = core;\n",
    );
    write(
      'renderer/src/wrongType.ts',
      "import type { Credentials } from '../../electron/core/consoleCore.js';\nexport type W = Credentials;\n",
    );
    write('renderer/src/wrongNode.ts', "import { readFileSync } from 'node:fs';\nexport const w = readFileSync;\n");
    write('electron/core/wrongElectron.ts', "import { app } from 'electron';\nexport const w = app;\n");
    write('electron/core/wrongBackend.ts', "export const w = () => import('../../backend/server.js');\n");
    write('common/wrongNode.ts', "import { x } from '../node/sqlite.js';\nexport const w = x;\n");
    write('common/wrongBuiltin.ts', "import os from 'node:os';\nexport const w = os;\n");
    write(
      'electron/shell/wrongBackend.ts',
      "import { startBackend } from '../../backend/server.js';\nexport const w = startBackend;\n",
    );

    // tests and bench: a test uses tests/support, a benchmark may too; a test never imports a benchmark, and a
    // benchmark imports no test.
    write('tests/support/waitFor.ts', 'export const waitFor = () => true;\n');
    write('bench/probe.ts', "import { waitFor } from '../tests/support/waitFor.js';\nexport const probe = waitFor;\n");
    write('tests/unit/ok.test.ts', "import { waitFor } from '../support/waitFor.js';\nexport const ok = waitFor;\n");
    write('tests/unit/wrongBench.test.ts', "import { probe } from '../../bench/probe.js';\nexport const w = probe;\n");
    write('bench/wrongTest.ts', "import { ok } from '../tests/unit/ok.test.js';\nexport const w = ok;\n");

    const result = spawnSync(
      bin('depcruise'),
      [
        '--config',
        '.dependency-cruiser.cjs',
        '--output-type',
        'json',
        'common',
        'node',
        'backend',
        'electron',
        'renderer/src',
        'tests',
        'bench',
      ],
      {
        cwd: fixture,
        encoding: 'utf8',
      },
    );
    output = result.stdout + result.stderr;
    violations = JSON.parse(result.stdout).summary.violations;
  });

  const expectViolation = (rule: string, from: string, to: string) => {
    const found = violations.find((v) => v.from === from && v.to === to);
    assert.ok(found, `no violation for ${from} → ${to}:\n${output.slice(0, 2000)}`);
    assert.equal(found.rule.name, rule);
  };

  test('renderer → core is refused, a type-only import too, and so are Node built-ins', () => {
    expectViolation('renderer-imports-only-common', 'renderer/src/wrong.ts', 'electron/core/consoleCore.ts');
    expectViolation('renderer-imports-only-common', 'renderer/src/wrongType.ts', 'electron/core/consoleCore.ts');
    expectViolation('renderer-no-node-builtins', 'renderer/src/wrongNode.ts', 'fs');
  });

  test('core → Electron and core → backend are refused', () => {
    expectViolation('core-imports-only-common-and-node', 'electron/core/wrongElectron.ts', 'electron');
    expectViolation('core-imports-only-common-and-node', 'electron/core/wrongBackend.ts', 'backend/server.ts');
  });

  test('common → another layer or a Node built-in is refused', () => {
    expectViolation('common-imports-only-zod', 'common/wrongNode.ts', 'node/sqlite.ts');
    expectViolation('common-imports-only-zod', 'common/wrongBuiltin.ts', 'os');
  });

  test('the shell → backend is refused (only electron/demo reaches the backend, through its server)', () => {
    expectViolation('shell-imports-only-core-common-node', 'electron/shell/wrongBackend.ts', 'backend/server.ts');
  });

  test('tests → bench is refused, and bench → a test; both may use tests/support', () => {
    expectViolation('tests-not-import-bench', 'tests/unit/wrongBench.test.ts', 'bench/probe.ts');
    expectViolation('bench-imports-only-tests-support', 'bench/wrongTest.ts', 'tests/unit/ok.test.ts');
  });

  test('the allowed imports pass: nothing else is reported', () => {
    const wrong = new Set([
      'renderer/src/wrong.ts',
      'renderer/src/wrongType.ts',
      'renderer/src/wrongNode.ts',
      'electron/core/wrongElectron.ts',
      'electron/core/wrongBackend.ts',
      'common/wrongNode.ts',
      'common/wrongBuiltin.ts',
      'electron/shell/wrongBackend.ts',
      'tests/unit/wrongBench.test.ts',
      'bench/wrongTest.ts',
    ]);
    assert.deepEqual(
      violations.filter((v) => !wrong.has(v.from)),
      [],
    );
  });

  test('the text output npm test prints names the rule, and the step fails', () => {
    const result = spawnSync(
      bin('depcruise'),
      ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'common'],
      { cwd: fixture, encoding: 'utf8' },
    );
    assert.notEqual(result.status, 0);
    assert.match(result.stdout, /error common-imports-only-zod: common\/wrongBuiltin\.ts → os/);
  });
});

describe("electron/shell's TypeScript project", () => {
  test("a type error in electron/shell fails it, checked against Electron's own types", () => {
    const types = spawnSync(process.execPath, [path.join(root, 'scripts', 'electron-types.mjs')], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(types.status, 0, types.stdout + types.stderr);
    write(
      'electron/shell/wrong.ts',
      "import { app } from 'electron';\nexport const ok = app.getPath('userData');\napp.noSuchMethod();\n",
    );
    write(
      'tsconfig.json',
      JSON.stringify({
        extends: path.join(root, 'tsconfig.shell.json'),
        files: [path.join(root, 'node_modules', '.cache', 'voltboard', 'electron.d.ts'), 'electron/shell/wrong.ts'],
        include: [],
      }),
    );
    const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', path.join(fixture, 'tsconfig.json')], {
      cwd: fixture,
      encoding: 'utf8',
    });
    assert.notEqual(tsc.status, 0);
    assert.match(tsc.stdout, /wrong\.ts\(3,5\): error TS2339: Property 'noSuchMethod' does not exist on type 'App'/);
    assert.doesNotMatch(tsc.stdout, /\(2,/, 'app.getPath should type-check');
  });
});

describe('SQL in its own folder (tools/lint/eslint.config.js)', () => {
  const eslint = path.join(root, 'tools', 'lint', 'node_modules', '.bin', 'eslint');
  const lint = (file: string, text: string) => {
    const result = spawnSync(
      eslint,
      ['--config', 'tools/lint/eslint.config.js', '--format', 'json', '--stdin', '--stdin-filename', file],
      { cwd: root, input: text, encoding: 'utf8' },
    );
    const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; line: number }[] }[];
    return report.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);
  };
  const sql = [
    "import type { Db } from '../../node/db.js';",
    "export const one = (db: Db) => db.prepare('one', 'SELECT 1');",
    'export const two = (db: Db) => db.exec(`DELETE FROM points`);',
    "export const three = (db: Db) => db.exec('VACUUM');",
    'export const words = (s: string) => /^(\\w+)$/.exec(s);',
    '',
  ].join('\n');

  test('prepare or exec of written-out SQL outside its folders is refused, naming where it belongs', () => {
    assert.deepEqual(lint('backend/alerts/wrongSql.ts', sql), [2, 3, 4]);
    assert.deepEqual(lint('electron/core/sync/wrongSql.ts', sql), [2, 3, 4]);
    assert.deepEqual(lint('renderer/src/model/wrongSql.ts', sql), [2, 3, 4]);
  });

  test("in backend/store/, node/ and electron/core/cache/ it passes, and so does a regular expression's exec", () => {
    assert.deepEqual(lint('backend/store/okSql.ts', sql), []);
    assert.deepEqual(lint('node/okSql.ts', sql), []);
    assert.deepEqual(lint('electron/core/cache/okSql.ts', sql), []);
  });
});
