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
  verbose: true,
};
