import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './workflows';
import { workspaceDirs } from './workspaces';

// `npm run chaos`, `npm run backup` and the others inject faults or start containers: their
// Ctrl-C handlers clean up, so they must not sit behind the tsx command's relay, which SIGKILLs a
// CLI too busy to acknowledge the signal within about 60 ms (chaos/src/ctrl-c-reaches-a-busy-cli
// .test.ts proves both behaviours on a real busy CLI).
const VIA_TSX_COMMAND = /(^|[;&|]\s*)(npx\s+)?tsx\s/;

test('every npm script that starts a TypeScript CLI runs it as node with tsx as its loader', () => {
  const manifests = ['.', ...workspaceDirs()].map((d) => path.join(d, 'package.json'));
  expect(manifests.length).toBeGreaterThan(10);
  const viaTsxCommand: string[] = [];
  let scriptsSeen = 0;
  for (const m of manifests) {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, m), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    for (const [name, cmd] of Object.entries(pkg.scripts ?? {})) {
      scriptsSeen++;
      if (VIA_TSX_COMMAND.test(cmd)) viaTsxCommand.push(`${m}: ${name}: ${cmd}`);
    }
  }
  expect(scriptsSeen).toBeGreaterThan(20);
  expect(viaTsxCommand).toEqual([]);
});

test('the check finds a script started through the tsx command, alone or after another', () => {
  expect(VIA_TSX_COMMAND.test('tsx src/cli.ts')).toBe(true);
  expect(VIA_TSX_COMMAND.test('npm run build && npx tsx src/cli.ts')).toBe(true);
  expect(VIA_TSX_COMMAND.test('node --import tsx src/cli.ts')).toBe(false);
});
