module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'infra-gcp',
  rootDir: __dirname,
  testTimeout: 60000,
};
