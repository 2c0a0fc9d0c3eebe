import { invariantsCommand } from './invariants/command';

const HELP = `Usage: npm run --silent chaos -- <command> [options]

Fault injection and checks against the running lab.

Commands:
  invariants   check the store's data after a fault (\`chaos invariants --help\`)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'invariants':
      return invariantsCommand(rest);
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`chaos: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`chaos: ${e.message}\n`);
    process.exit(2);
  },
);
