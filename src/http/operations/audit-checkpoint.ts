/** Exporting the audit trail's signed head (docs/operations.md, AUDIT_EXPORT_OVERDUE). */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';

export const auditCheckpointExport = z.object({ headJson: z.string(), exportedAt: z.iso.datetime({ offset: true }) });

export const AUDIT_CHECKPOINT_OPERATIONS: readonly ApiOperation[] = [
  { method: 'post', path: '/audit-checkpoint/export', operationId: 'exportAuditCheckpoint', summary: 'The audit trail’s signed head, verbatim, to keep off the box (audited; closes AUDIT_EXPORT_OVERDUE)', permission: 'audit:read', success: { '200': { description: 'the signed head', json: auditCheckpointExport } }, errors: ['AUDIT_UNAVAILABLE'] },
];
