module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'swarm-exporter',
  rootDir: __dirname,
};
