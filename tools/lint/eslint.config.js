// ESLint for the whole tree: typescript-eslint's recommended rules (syntax only, no type information) and the React
// hooks rules for the renderer. Run from the repository root: `npm run lint`.
import js from '@eslint/js';
import { fileURLToPath } from 'node:url';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** SQL lives in its own folder on each side: backend/store/, node/ (the shared SQLite layer), electron/core/cache/. */
const SQL_FOLDERS = ['backend/store/**', 'node/**', 'electron/core/cache/**'];
const SQL_OUTSIDE_ITS_FOLDER = 'SQL belongs in backend/store/, node/ or electron/core/cache/ (a repo file there)';

export default tseslint.config(
  {
    basePath: root,
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'dist-*/**',
      'out/**',
      'test-results/**',
      'playwright-report/**',
      '**/*.d.ts',
    ],
  },
  {
    basePath: root,
    files: ['**/*.{ts,tsx,mjs,cjs,js}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests, benchmarks and scripts drive pages and protocol peers whose shapes they assert on, not rely on.
    basePath: root,
    files: ['tests/**', 'bench/**', 'scripts/**', 'renderer/scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    basePath: root,
    files: ['common/**/*.ts', 'backend/**/*.ts', 'electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}'],
    ignores: SQL_FOLDERS,
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='prepare']", message: SQL_OUTSIDE_ITS_FOLDER },
        // exec with the SQL written out; a regular expression's exec takes a variable, not text.
        {
          selector: "CallExpression[callee.property.name='exec'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message: SQL_OUTSIDE_ITS_FOLDER,
        },
      ],
    },
  },
  {
    basePath: root,
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    // The Rules of Hooks. The React Compiler's own rules (refs, purity, set-state-in-effect) are not on yet: this
    // renderer is not compiled by it, and their fixes change behaviour (docs/architecture.md, "Lint").
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
