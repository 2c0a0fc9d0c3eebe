module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'lab',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
