import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startApi } from './server';

/** Process entry point: config, start, and a bounded graceful shutdown on SIGTERM/SIGINT. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`dhakacart-api: ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  const api = await startApi(config, log);
  log.info({ url: api.url, metrics: api.metricsUrl }, 'api listening');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining in-flight requests');
    const force = setTimeout(() => {
      log.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdown.timeoutMs);
    force.unref();
    api.stop().then(
      () => {
        log.info('shutdown complete');
        process.exit(0);
      },
      (err: Error) => {
        log.error({ err: err.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: Error) => {
  process.stderr.write(`dhakacart-api: failed to start: ${err.message}\n`);
  process.exit(1);
});
