/** Jest on ESM TypeScript: swc strips types, Node's VM modules load ESM, tsc checks types separately. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/data/'],
  // generous: a system starts once per file, on a shared and sometimes loaded machine (hooks wait as long)
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test/kit/plainSummary.cjs'],
};
