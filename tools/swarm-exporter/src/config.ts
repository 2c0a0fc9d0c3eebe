import { wholeNumberText } from '@dhakacart/numeric-text';
import { z } from 'zod';

const env = z.object({
  EXPORTER_HOST: z.string().min(1).default('0.0.0.0'),
  EXPORTER_PORT: wholeNumberText(0, 65535).default(9323),
  DOCKER_SOCKET: z
    .string()
    .regex(/^\//, 'DOCKER_SOCKET must be an absolute path to the Engine API unix socket')
    .default('/var/run/docker.sock'),
  // 1.41 is the lab engine's API (`docker version`); newer engines still serve it.
  DOCKER_API_VERSION: z
    .string()
    .regex(/^1\.\d+$/, 'DOCKER_API_VERSION must look like 1.41')
    .default('1.41'),
  DOCKER_TIMEOUT_MS: wholeNumberText(100, 60_000).default(5_000),
});

export interface ExporterConfig {
  host: string;
  port: number;
  socketPath: string;
  apiVersion: string;
  timeoutMs: number;
}

/** Reads and validates the exporter's settings once; a bad value throws a ZodError naming it. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): ExporterConfig {
  const e = env.parse(source);
  return {
    host: e.EXPORTER_HOST,
    port: e.EXPORTER_PORT,
    socketPath: e.DOCKER_SOCKET,
    apiVersion: e.DOCKER_API_VERSION,
    timeoutMs: e.DOCKER_TIMEOUT_MS,
  };
}
