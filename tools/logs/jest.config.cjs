module.exports = { ...require('../../jest.preset.cjs'), displayName: 'logs', rootDir: __dirname };
