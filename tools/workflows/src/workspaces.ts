import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './workflows';

/** The repository's workspaces (the root package.json's `workspaces`), as folders from the root. */
export function workspaceDirs(): string[] {
  const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  return root.workspaces
    .flatMap((p) =>
      p.endsWith('/*')
        ? fs.readdirSync(path.join(REPO_ROOT, p.slice(0, -2))).map((d) => `${p.slice(0, -2)}/${d}`)
        : [p],
    )
    .filter((d) => fs.existsSync(path.join(REPO_ROOT, d, 'package.json')));
}
