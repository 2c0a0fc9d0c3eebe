module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'api',
  rootDir: __dirname,
  // testTimeout is a global option; per-project timeouts are set in the setup file.
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
