module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'release',
  rootDir: __dirname,
  // Tests against the running lab (*.lab.test.ts) take minutes on 2 cores.
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
