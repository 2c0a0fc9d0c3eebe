module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'api',
  rootDir: __dirname,
  // Containers are shared per file; integration tests can be slow to start on 2 cores.
  testTimeout: 120000,
};
