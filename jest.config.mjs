// Jest runs Tally's TypeScript as ES modules (NestJS 12 is ESM-only), hence ts-jest's ESM mode
// and `node --experimental-vm-modules` in the npm scripts.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
};

export default {
  // A global option (Jest ignores it inside a project): integration tests wait on real servers.
  testTimeout: 60_000,
  // Test files run one at a time (2 cores), but never in Jest's own process: in band, the heap of
  // every ES-module test file ever loaded stays reachable and a full run ends out of memory. Naming
  // a limit makes Jest use a worker even with one, and replaces it once its heap passes the limit.
  workerIdleMemoryLimit: '1GB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/cli/**/*.spec.ts',
        '<rootDir>/sdk/src/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
};
