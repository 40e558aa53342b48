/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  testTimeout: 60000,
  setupFilesAfterEnv: ['<rootDir>/test/teardown.ts'],
  // Executions run in worker threads; several suites at once would starve a 2-core machine.
  maxWorkers: 2,
};
