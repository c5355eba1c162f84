/**
 * Exporting the audit trail's signed head (audit:read): the maintainer keeps the copy off the
 * box; the act is on the trail itself before the head leaves.
 */
import { AppError } from '../errors.js';
import type { AuditExportCheck } from '../health/checks/audit-export-check.js';
import type { AuditTrail } from './audit-trail.js';
import type { Viewer } from './call-access.js';
import { can } from './policy.js';

export class AuditExportAccess {
  constructor(private readonly deps: { readonly auditExport: AuditExportCheck; readonly audit: AuditTrail }) {}

  async export(viewer: Viewer, clientAddress: string): Promise<{ headJson: string; exportedAt: string }> {
    if (!can(viewer, 'audit:read')) throw new AppError('FORBIDDEN', 'this account may not export the audit checkpoint');
    await this.deps.audit.append({ action: 'audit.checkpoint-export', outcome: 'success', actorId: viewer.id, target: { type: 'audit', id: 'head' }, clientAddress });
    return this.deps.auditExport.export(viewer.id);
  }
}
