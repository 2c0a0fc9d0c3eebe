import { Router } from 'express';
import type { Readiness } from '../../health';

export function healthRoutes(readiness: Readiness): Router {
  const r = Router();
  // Liveness says only that the process can answer; it must not depend on PostgreSQL or Redis,
  // or an outage of theirs would make the orchestrator restart healthy replicas.
  r.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const state = await readiness.check();
    res.status(state.ready ? 200 : 503).json(state);
  });
  return r;
}
