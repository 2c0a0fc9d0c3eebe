module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'numeric-text',
  rootDir: __dirname,
};
