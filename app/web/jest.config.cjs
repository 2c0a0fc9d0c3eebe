module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web',
  rootDir: __dirname,
  // Component tests render into jsdom; the browser journeys in e2e/ opt into `node` per file.
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['<rootDir>/src/test-support/setup.ts'],
  moduleNameMapper: { '\\.(css|svg)$': '<rootDir>/src/test-support/style-stub.cjs' },
};
