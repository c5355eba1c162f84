/** The audit trail (audit:read): search, and the trail's verification status. Reading it is audited too. */
import { Router } from 'express';
import { AppError } from '../../errors.js';
import { can } from '../../access/policy.js';
import type { AuditTrail } from '../../access/audit-trail.js';
import { auditSearchQuery } from '../api-schemas.js';
import { auditPage, auditVerification } from '../api-responses.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function auditRoutes(audit: AuditTrail): Router {
  const router = Router();
  router.use(requireSession(), (_req, res, next) => {
    next(can(actorOf(res), 'audit:read') ? undefined : new AppError('FORBIDDEN', 'this account may not read the audit trail'));
  });

  router.get('/', async (req, res) => {
    const query = validate(auditSearchQuery, req.query);
    const actor = actorOf(res);
    await audit.append({ action: 'audit.search', outcome: 'success', actorId: actor.id, clientAddress: clientAddress(req), details: { action: query.action ?? null, page: query.page } });
    const result = await audit.search({
      ...(query.from === undefined ? {} : { fromMs: Date.parse(query.from) }),
      ...(query.to === undefined ? {} : { toMs: Date.parse(query.to) }),
      ...(query.action === undefined ? {} : { action: query.action }),
      ...(query.actor === undefined ? {} : { actorId: query.actor }),
      ...(query.target === undefined ? {} : { targetId: query.target }),
      ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    reply(res, 200, auditPage, { total: result.total, page: query.page, pageSize: query.pageSize, items: result.records });
  });

  router.get('/verification', async (req, res) => {
    const actor = actorOf(res);
    await audit.append({ action: 'audit.verify', outcome: 'success', actorId: actor.id, clientAddress: clientAddress(req) });
    reply(res, 200, auditVerification, { verification: await audit.verify() });
  });

  return router;
}
