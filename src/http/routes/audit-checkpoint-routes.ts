/** POST /audit-checkpoint/export (audit:read). */
import { Router } from 'express';
import type { AuditExportAccess } from '../../access/audit-export-access.js';
import { auditCheckpointExport } from '../operations/audit-checkpoint.js';
import { reply } from '../reply.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function auditCheckpointRoutes(auditExport: AuditExportAccess): Router {
  const router = Router();
  router.use(requireSession());
  router.post('/export', async (req, res) => {
    reply(res, 200, auditCheckpointExport, await auditExport.export(actorOf(res), clientAddress(req)));
  });
  return router;
}
