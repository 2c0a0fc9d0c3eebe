import { Router } from 'express';
import type { OpsService } from '../../domain/ops';
import { requireRole } from '../middleware';

/** The ops board's data: staff and admin only, one fixed set of queries, nothing taken from the request. */
export function opsRoutes(ops: OpsService): Router {
  const r = Router();
  r.get('/status', requireRole('staff', 'admin'), async (_req, res) => {
    res.json(await ops.status());
  });
  return r;
}
