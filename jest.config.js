/** Jest: TypeScript through swc; one real Temporal server for the whole run (test/support/globalSetup.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } } }] },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  setupFiles: ['<rootDir>/test/support/quietSdkLogs.ts'],
  testTimeout: 60_000,
  maxWorkers: process.env.CI ? 2 : '50%',
  // A worker keeps every module and bundle its test files loaded: one past 2 GB is replaced between files. Setting it also
  // keeps a one-worker run (2 cores, outside CI) out of jest's own process, which ran out of heap after ~110 files.
  workerIdleMemoryLimit: '2GB',
  verbose: true,
};
