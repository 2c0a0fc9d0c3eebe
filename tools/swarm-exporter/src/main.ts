import { loadConfig } from './config';
import { dockerApi } from './docker-api';
import { startExporter } from './server';

// Exports Swarm service replica counts for the lab's Prometheus (job swarm-exporter).
async function main(): Promise<void> {
  const config = loadConfig();
  const api = dockerApi(config.socketPath, config.apiVersion, config.timeoutMs);
  const exporter = await startExporter(api, config.host, config.port);
  console.log(
    JSON.stringify({
      msg: 'swarm exporter listening',
      url: exporter.url,
      socket: config.socketPath,
    }),
  );
  const stop = (): void => {
    exporter.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  console.error(
    JSON.stringify({ msg: 'swarm exporter failed to start', error: (e as Error).message }),
  );
  process.exit(1);
});
