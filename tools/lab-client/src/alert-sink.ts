import { must } from './sh';
import { STACK } from './endpoints';

/**
 * Reads the lab's alert sink (tools/alert-sink) from inside its own container: the sink
 * publishes no port, and the monitoring network is not attachable from the host.
 */
export interface SinkRecord {
  channel: string;
  receivedAt: string;
  authorized?: boolean;
  body?: unknown;
  mail?: { from: string; to: string[]; subject: string; authUser?: string; raw: string };
}

async function sinkContainer(): Promise<string> {
  const ids = (
    await must('docker', [
      'ps',
      '-q',
      '--filter',
      `label=com.docker.swarm.service.name=${STACK}_alert-sink`,
    ])
  )
    .split('\n')
    .filter(Boolean);
  if (!ids.length) throw new Error('no running alert-sink container');
  return ids[0]!;
}

async function sinkCall(method: 'GET' | 'DELETE', path: string): Promise<string> {
  const script =
    `fetch('http://127.0.0.1:8080${path}',{method:'${method}'})` +
    `.then(async r=>{if(!r.ok)throw new Error('HTTP '+r.status);process.stdout.write(await r.text())})` +
    `.catch(e=>{console.error(e.message);process.exit(1)})`;
  return must('docker', ['exec', await sinkContainer(), 'node', '-e', script]);
}

export async function sinkReceived(channel?: string): Promise<SinkRecord[]> {
  const q = channel ? `?channel=${encodeURIComponent(channel)}` : '';
  return JSON.parse(await sinkCall('GET', `/received${q}`)) as SinkRecord[];
}

export async function clearSink(): Promise<void> {
  await sinkCall('DELETE', '/received');
}

/** Alertmanager's webhook payload (the SMS receiver), as far as the tests read it. */
export interface WebhookPayload {
  status: 'firing' | 'resolved';
  receiver: string;
  alerts: { status: string; labels: Record<string, string> }[];
}

/** Slack's incoming-webhook payload as Alertmanager sends it. */
export interface SlackPayload {
  channel?: string;
  attachments?: { title?: string; text?: string }[];
}
