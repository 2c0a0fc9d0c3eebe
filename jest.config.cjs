// One jest run over every workspace that has its own jest.config.cjs, so `npm test` is one command.
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const { workspaces } = require('./package.json');

function expand(pattern) {
  if (!pattern.endsWith('/*')) return [pattern];
  const dir = path.join(root, pattern.slice(0, -2));
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((d) => `${pattern.slice(0, -2)}/${d}`);
}

const projects = workspaces
  .flatMap(expand)
  .filter((ws) => fs.existsSync(path.join(root, ws, 'jest.config.cjs')))
  .map((ws) => `<rootDir>/${ws}`);

// testTimeout is a global option: a project's own value is ignored in a multi-project run.
// Integration tests start real containers and processes; on 2 busy cores a hook can take a while.
// The lab's tests share one running stack: scripts/jest-sequencer.cjs fixes their order.
module.exports = {
  projects,
  testTimeout: 180_000,
  testSequencer: '<rootDir>/scripts/jest-sequencer.cjs',
};
