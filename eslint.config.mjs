// Lint rules that catch real bugs: floating promises (a forgotten await on an activity is a
// bug), Node built-ins in workflow code (workflows must stay deterministic), and imports against
// the direction of the layers (README.md, "Layout").
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const PRODUCTION = ['lib', 'rules', 'notices', 'workflows', 'activities', 'api', 'workers', 'scripts', 'console'];
/** lib/ modules without Node built-ins or I/O: workflow code and the browser console may import them. */
const PURE_LIB_MODULES = ['indonesia-provinces', 'outside-systems', 'payout-account', 'program-calendar', 'program-day', 'program-terms', 'wave-state'];
/** What activities/, api/ and the console may take from workflows/: contracts, never workflow code. */
const WORKFLOW_DEFINITIONS = ['*.definitions.ts', 'search-attributes.ts', 'outside-system-queues.ts'].map((file) => `**/workflows/${file}`);

const layerBoundaries = [
  {
    target: PRODUCTION,
    from: ['simulators', 'test', 'bench'],
    message: 'Production code never imports the simulators (test doubles), tests or benchmarks; move what both need to lib/.',
  },
  {
    target: 'lib',
    from: ['workflows', 'activities', 'api', 'workers', 'scripts', 'console'],
    message: 'lib/ is the bottom layer: it imports only lib/, rules/ and generated/.',
  },
  {
    target: 'rules',
    from: ['lib', 'generated', 'workflows', 'activities', 'api', 'workers', 'scripts', 'console'],
    message: 'rules/ is pure and self-contained: it imports only rules/.',
  },
  {
    target: 'notices',
    from: ['workflows', 'activities', 'api', 'workers', 'scripts', 'console', 'generated'],
    message: 'notices/ (what participants are told, and its rendering) imports only lib/: the journey and the activities use it.',
  },
  {
    target: 'activities',
    from: ['api', 'workers', 'scripts', 'console'],
    message: 'activities/ imports lib/, rules/, generated/ and workflow definitions, never the API; move what both need to lib/.',
  },
  {
    target: 'api',
    from: ['activities', 'workers', 'scripts', 'console'],
    message: 'api/ imports lib/, rules/, generated/ and workflow definitions, never activities; move what both need to lib/.',
  },
  {
    target: ['activities', 'api', 'console'],
    from: 'workflows/**',
    except: WORKFLOW_DEFINITIONS,
    message: 'Outside workflows/ only workflow definitions are imported (*.definitions.ts, search-attributes, outside-system-queues), never workflow code.',
  },
  {
    target: 'workers',
    from: ['api', 'scripts', 'console'],
    message: 'workers/ imports activities/, workflows/ and lib/.',
  },
  {
    target: 'console',
    from: ['activities', 'workers', 'scripts', 'generated'],
    message: 'The console is a browser app: it imports lib/, rules/, workflow definitions and API schemas.',
  },
  {
    target: 'console',
    from: 'api/**',
    except: ['**/api/**/*.schema.ts', '**/api/openapi-shared.ts', '**/api/authorization.ts', '**/api/me/me.router.ts'],
    message: 'The console takes only schemas and types from api/.',
  },
  {
    target: 'console',
    from: 'lib/**',
    except: PURE_LIB_MODULES.map((module) => `**/lib/${module}.ts`),
    message: 'The console runs in a browser: only the pure lib/ modules listed in eslint.config.mjs.',
  },
  {
    target: 'simulators/**/!(*.test).ts',
    from: ['api', 'activities', 'workers', 'workflows', 'scripts', 'console', 'test', 'bench'],
    message: 'The simulators are separate services: they import lib/ (shared facts), not engine code; only their *.test.ts files do, for contract tests.',
  },
  {
    target: 'bench',
    from: 'test',
    message: 'bench/ never imports test/; what both need lives in bench/ (or scripts/, lib/).',
  },
];

/**
 * Workflow code imports values only from workflows/ and the pure lib/ modules; anything else as
 * `import type` (e.g. the activities' types for proxyActivities). Matched on the specifier, once
 * per folder depth, because a path-based rule cannot tell type-only imports apart.
 */
const workflowImports = (depth) => ({
  files: [`workflows/${'*/'.repeat(depth - 1)}*.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', {
      patterns: [{
        regex: `^(\\.\\./){${depth}}(?!lib/(${PURE_LIB_MODULES.join('|')})$|notices/notice$)`,
        allowTypeImports: true,
        message: 'Workflow code imports values only from workflows/, the pure lib/ modules listed in eslint.config.mjs and notices/notice; use `import type` for the rest.',
      }],
    }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', 'data/', 'coverage/', 'console/dist/', 'bench/results/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: layerBoundaries }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'child_process'], message: 'Workflow code must be deterministic: no Node built-ins.' }] }],
    },
  },
  workflowImports(1),
  workflowImports(2),
);
