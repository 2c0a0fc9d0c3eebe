import { loadConfig } from './config';
import { startSink } from './sink';

// The lab's notification sink: Alertmanager's Slack, SMS and email receivers point here.
async function main(): Promise<void> {
  const sink = await startSink(loadConfig());
  console.log(
    JSON.stringify({ msg: 'alert sink listening', http: sink.httpUrl, smtpPort: sink.smtpPort }),
  );
  const stop = (): void => {
    sink.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  console.error(JSON.stringify({ msg: 'alert sink failed to start', error: (e as Error).message }));
  process.exit(1);
});
