import { parseArgs } from 'node:util';
import { down, up } from './up';
import { formatStatus, labStatus, swarmActive } from './status';
import { STACK } from './paths';
import { stream } from '@dhakacart/lab-client';

const HELP = `Usage: npm run lab -- [command] [options]

The local lab: DhakaCart's production-shaped stack on a one-machine Docker Swarm.

Commands:
  up              (default) build what changed, init the swarm, create secrets, keep the operator
                  ports to loopback (DOCKER-USER rules), deploy, run the migrations and seed,
                  wait for health and print the URLs. Idempotent.
  status          services with desired/running/healthy replicas, memory and CPU; the URLs and
                  the credentials files (adminCredentials, opsCredentials: 0600)
  down [--volumes] remove the stack and the loopback rules; with --volumes also the data volumes
                  and secrets
  logs <service>  a service's logs (e.g. api, edge, postgres); --follow to keep streaming

Options:
  --json          (status, up) print only JSON on stdout
  -h, --help      this help
`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        volumes: { type: 'boolean' },
        follow: { type: 'boolean', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`lab: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command = 'up', ...rest] = positionals;
  const say = (s: string) => process.stderr.write(`${s}\n`);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  switch (command) {
    case 'up': {
      const t0 = Date.now();
      await up(say);
      const s = await labStatus();
      if (values.json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
      else
        process.stdout.write(
          `\nDhakaCart lab is up (${Math.round((Date.now() - t0) / 1000)} s)\n\n${formatStatus(s)}\n`,
        );
      return 0;
    }
    case 'status': {
      if (!(await swarmActive())) {
        process.stderr.write('lab: no swarm is active; run `npm run lab` first\n');
        return 1;
      }
      const s = await labStatus();
      process.stdout.write(
        values.json ? JSON.stringify(s, null, 2) + '\n' : formatStatus(s) + '\n',
      );
      return s.services.length && s.services.every((x) => x.healthy >= x.desired) ? 0 : 1;
    }
    case 'down':
      await down(!!values.volumes, say);
      return 0;
    case 'logs': {
      const service = rest[0];
      if (!service || !/^[a-z0-9-]+$/.test(service)) {
        process.stderr.write(`lab: logs needs a service name (e.g. api)\n\n${HELP}`);
        return 2;
      }
      return stream('docker', [
        'service',
        'logs',
        '--raw',
        ...(values.follow ? ['--follow'] : ['--tail', '200']),
        `${STACK}_${service}`,
      ]);
    }
    default:
      process.stderr.write(`lab: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`lab: ${e.message}\n`);
    process.exit(1);
  },
);
