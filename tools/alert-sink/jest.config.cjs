module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'alert-sink',
  rootDir: __dirname,
};
