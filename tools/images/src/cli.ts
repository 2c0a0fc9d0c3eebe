import { parseArgs } from 'node:util';
import { buildImages, resolveImages } from './build';
import { goToolsOf } from './manifest';

const HELP = `Usage: tsx tools/images/src/cli.ts <command> [options] [image...]

Builds DhakaCart's container images from scratch (debootstrap base, no registry),
each tagged dhakacart/<name>:<hash of its inputs>, so an unchanged input is never rebuilt.

Commands:
  build [image...]   build the named images (default: all) and the images they are built on
  list               print each image's reference and whether it exists
  go-tools           print "<name> <module@version>" for each Go program an image needs
                     (scripts/lib.sh builds them with ensure_go_tool before the images)

Options:
  --json             machine-readable output on stdout
  -h, --help         this help
`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...names] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (command === 'build') {
    const reports = await buildImages(names, !values.json);
    if (values.json) process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
    return 0;
  }
  if (command === 'list') {
    const all = resolveImages();
    if (values.json)
      process.stdout.write(
        JSON.stringify(
          all.map((a) => ({ name: a.name, ref: a.ref })),
          null,
          2,
        ) + '\n',
      );
    else for (const a of all) process.stdout.write(`${a.name.padEnd(10)} ${a.ref}\n`);
    return 0;
  }
  if (command === 'go-tools') {
    const tools = goToolsOf();
    if (values.json) process.stdout.write(JSON.stringify(tools, null, 2) + '\n');
    else for (const t of tools) process.stdout.write(`${t.name} ${t.pkg}\n`);
    return 0;
  }
  process.stderr.write(`error: unknown command "${command}"\n\n${HELP}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  },
);
