module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'slo',
  rootDir: __dirname,
  // The end-to-end tests start real Prometheus and Alertmanager processes.
  testTimeout: 120000,
};
