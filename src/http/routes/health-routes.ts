/** Health of the box (health:read): the bridge link, channels, counters, alarms, disk and memory. */
import { Router } from 'express';
import { AppError } from '../../errors.js';
import { can } from '../../access/policy.js';
import type { HealthReport } from '../../health/health-report.js';
import { healthReport } from '../api-responses.js';
import { reply } from '../reply.js';
import { actorOf, requireSession } from '../request-guards.js';

export type { HealthReport };

export function healthRoutes(health: () => Promise<HealthReport>): Router {
  const router = Router();
  router.get('/', requireSession(), async (_req, res) => {
    if (!can(actorOf(res), 'health:read')) throw new AppError('FORBIDDEN', 'this account may not read the system health');
    reply(res, 200, healthReport, await health());
  });
  return router;
}
