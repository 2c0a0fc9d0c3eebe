module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'lab-client',
  rootDir: __dirname,
};
