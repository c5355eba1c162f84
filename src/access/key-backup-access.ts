/**
 * A maintainer confirms that the master key has been backed up (config:manage, second factor):
 * the box cannot see the backup, so the confirmation is a person's word, on the audit trail.
 */
import { AppError } from '../errors.js';
import type { KeyBackupCheck } from '../health/checks/key-backup-check.js';
import type { AuditTrail } from './audit-trail.js';
import type { Viewer } from './call-access.js';
import { can } from './policy.js';

export class KeyBackupAccess {
  constructor(private readonly deps: { readonly keyBackup: KeyBackupCheck; readonly audit: AuditTrail }) {}

  async confirm(viewer: Viewer, clientAddress: string): Promise<{ confirmedAt: string }> {
    if (!can(viewer, 'config:manage')) throw new AppError('FORBIDDEN', 'this account may not confirm the master-key backup');
    // The entry first: a confirmation that is not on the trail did not happen.
    await this.deps.audit.append({ action: 'key.backup-confirm', outcome: 'success', actorId: viewer.id, target: { type: 'config', id: 'master-key-backup' }, clientAddress });
    return { confirmedAt: await this.deps.keyBackup.confirm(viewer.id) };
  }
}
