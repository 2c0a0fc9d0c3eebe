import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../tools';
import type { Finding } from './gitleaks';
import { scanRepo } from './scan-repo';
import { scanImage } from './scan-image';
import { scanProjectImages } from './scan-images';

const HELP = `Usage: npm run secrets -w @dhakacart/security -- <command> [options]

Secret scanning with gitleaks (pinned in scripts/lib.sh, config tools/security/gitleaks.toml).
Findings name the rule and the place, never the secret.

Commands:
  repo                   the working tree (tracked and untracked, not ignored) and the git
                         history reachable from HEAD
  images [name...]       every project image (tools/images), or the named ones: docker history,
                         the configured environment and labels, and the files
  image <ref>            one image by reference (e.g. one built elsewhere)

Options:
  --report PATH          write the JSON result there
  --json                 print the JSON result on stdout
  -h, --help             this help

Exit: 0 clean, 1 findings (or an image not built), 2 bad usage.
`;

const show = (f: Finding & { source?: string }) =>
  `  ${f.rule} in ${f.where}${f.line ? `:${f.line}` : ''}${f.commit ? ` (commit ${f.commit})` : ''}`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        report: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`secrets: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [command, ...rest] = positionals;
  const log = (l: string) => process.stderr.write(`${l}\n`);
  let result: { ok: boolean };
  let lines: string[] = [];
  if (command === 'repo' && !rest.length) {
    const r = await scanRepo(REPO_ROOT);
    result = r;
    lines = [
      `secrets: tree (${r.tree.files} files): ${r.tree.findings.length} finding(s)`,
      ...r.tree.findings.map(show),
      `secrets: history (${r.history.commits} commits): ${r.history.findings.length} finding(s)`,
      ...r.history.findings.map(show),
    ];
  } else if (command === 'images') {
    const r = await scanProjectImages(rest, log);
    result = r;
    lines = r.scans.flatMap((s) =>
      s.findings.length ? [`secrets: ${s.image}:`, ...s.findings.map(show)] : [],
    );
    if (r.missing.length) lines.push(`secrets: not built: ${r.missing.join(', ')}`);
  } else if (command === 'image' && rest.length === 1) {
    const r = await scanImage(rest[0]!);
    result = r;
    lines = r.findings.map(show);
  } else {
    process.stderr.write(
      `secrets: give one command: repo, images [name...] or image <ref>\n\n${HELP}`,
    );
    return 2;
  }
  if (values.report) {
    mkdirSync(dirname(values.report), { recursive: true });
    writeFileSync(values.report, JSON.stringify(result, null, 2) + '\n');
  }
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  for (const l of lines) log(l);
  log(
    result.ok
      ? 'secrets: clean'
      : 'secrets: FOUND: rotate each secret, then remove it (docs/security.md, "Secret scanning")',
  );
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`secrets: failed: ${e.message}\n`);
    process.exit(1);
  },
);
