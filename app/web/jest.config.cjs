const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'web',
  rootDir: __dirname,
  // Same swc transform as the preset, plus React's automatic JSX runtime (as Vite builds it).
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          target: 'es2022',
          transform: { react: { runtime: 'automatic' } },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Component tests render into jsdom; the browser journeys in e2e/ opt into `node` per file.
  testEnvironment: 'jsdom',
  setupFiles: ['<rootDir>/src/test-support/polyfills.cjs'],
  setupFilesAfterEnv: ['<rootDir>/src/test-support/setup.ts'],
  moduleNameMapper: { '\\.(css|svg)$': '<rootDir>/src/test-support/style-stub.cjs' },
};
