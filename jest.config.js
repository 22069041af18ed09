/** Two projects: fast unit tests, and integration tests that share one real Temporal dev
 * server and one real PostgreSQL started by the global setup. */
const transform = {
  '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  // jose ships ES modules only; jest loads CommonJS, so its files are compiled like ours.
  '/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
const transformIgnorePatterns = ['/node_modules/(?!jose/)'];

module.exports = {
  testTimeout: 120_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/rules/**/*.test.ts', '<rootDir>/simulators/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      // The reliability suite's short form runs here too; `npm run reliability` runs its full form.
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/reliability/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      slowTestThreshold: 60,
    },
  ],
};
