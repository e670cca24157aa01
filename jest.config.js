/**
 * One Jest run for the whole repository. globalSetup starts one embedded PostgreSQL and migrates a template
 * database; every test file clones its own database from that template (packages/testing).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/gateway', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  // "A worker process has failed to exit gracefully" (issue 16) was no leak: instrumented, each worker's event loop
  // was empty and it exited 0 ms after Jest's END message (no handle but its IPC pipe and stdio), yet the parent saw
  // it gone 0.4-0.5 s later (a 300-400 MB worker ending on a loaded 2-core machine), past Jest's 500 ms default.
  workerGracefulExitTimeout: 5000,
};
