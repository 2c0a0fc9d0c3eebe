import { ConfigError } from '../config';

/** Runs a command's main, exiting with its code; errors become one line, never a stack trace. */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(
        `${name}: ${e instanceof ConfigError ? e.message : `failed: ${e.message}`}\n`,
      );
      process.exit(1);
    },
  );
}
