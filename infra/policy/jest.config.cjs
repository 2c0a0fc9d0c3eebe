module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'infra-policy',
  rootDir: __dirname,
  testTimeout: 60000,
};
