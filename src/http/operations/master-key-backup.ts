/** The master-key backup confirmation's API operation. */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';

export const keyBackupConfirmed = z.object({ confirmedAt: z.iso.datetime({ offset: true }) });

export const KEY_BACKUP_OPERATIONS: readonly ApiOperation[] = [
  { method: 'post', path: '/master-key-backup/confirmation', operationId: 'confirmMasterKeyBackup', summary: 'Confirm that the master key has been backed up (audited; closes KEY_BACKUP_UNCONFIRMED)', permission: 'config:manage', success: { '200': { description: 'confirmed', json: keyBackupConfirmed } }, errors: ['AUDIT_UNAVAILABLE'] },
];
