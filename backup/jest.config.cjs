module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'backup',
  rootDir: __dirname,
  // Tests against the running lab (*.lab.test.ts) and the drill take minutes on 2 cores.
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
