/**
 * The alarms for maintainers: reading them (health:read) and acknowledging one with a note
 * (config:manage), which goes on the audit trail (the note itself stays in the alarm document:
 * it is free text, and the trail holds ids and codes only).
 */
import { AppError } from '../errors.js';
import type { AlarmLog, AlarmRecord } from '../health/alarms.js';
import type { AuditTrail } from './audit-trail.js';
import type { Viewer } from './call-access.js';
import { can } from './policy.js';

export class AlarmAccess {
  constructor(private readonly deps: { readonly alarms: AlarmLog; readonly audit: AuditTrail }) {}

  list(viewer: Viewer): { open: AlarmRecord[]; recent: AlarmRecord[] } {
    if (!can(viewer, 'health:read')) throw new AppError('FORBIDDEN', 'this account may not read the alarms');
    const records = this.deps.alarms.records();
    return { open: records.filter((alarm) => alarm.state === 'open'), recent: records.filter((alarm) => alarm.state !== 'open') };
  }

  async acknowledge(viewer: Viewer, id: string, note: string, clientAddress: string): Promise<AlarmRecord> {
    if (!can(viewer, 'config:manage')) throw new AppError('FORBIDDEN', 'this account may not acknowledge alarms');
    const target = { type: 'config' as const, id: `alarm/${id}` };
    let alarm: AlarmRecord;
    try {
      alarm = await this.deps.alarms.acknowledge(id, viewer.id, note);
    } catch (err) {
      await this.deps.audit.append({ action: 'alarm.acknowledge', outcome: 'failed', actorId: viewer.id, target, clientAddress, details: { reason: err instanceof AppError ? err.code : 'error' } });
      throw err;
    }
    await this.deps.audit.append({ action: 'alarm.acknowledge', outcome: 'success', actorId: viewer.id, target, clientAddress, details: { code: alarm.code, noteLength: note.length } });
    return alarm;
  }
}
