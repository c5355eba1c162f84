/**
 * The audit trail's signed head exported off the box: a copy kept elsewhere proves later that
 * the trail up to it was not rewritten (docs/audit-trail.md). AUDIT_EXPORT_OVERDUE opens when the
 * last export (or, before any, the first start) is older than AUDIT_EXPORT_DAYS. When it was done
 * is kept in `health/audit-export`.
 */
import type { Low } from 'lowdb';
import type { Clock } from '../../clock.js';
import type { AlarmControl, HealthCheck } from './health-check.js';

export const AUDIT_EXPORT_DAYS = 30;
const DAY_MS = 24 * 3600_000;

export interface AuditExportDocument {
  /** The first start: the reference while nothing has been exported. */
  since: string | null;
  exportedAt: string | null;
  exportedBy: string | null;
}

export class AuditExportCheck implements HealthCheck {
  readonly name = 'audit-export';

  constructor(private readonly doc: Low<AuditExportDocument>, private readonly readHead: () => Promise<string>, private readonly alarms: AlarmControl, private readonly clock: Clock) {}

  /** The signed head, verbatim (its signature covers these bytes), and the time of the export. */
  async export(userId: string): Promise<{ headJson: string; exportedAt: string }> {
    const headJson = await this.readHead();
    const exportedAt = new Date(this.clock.now()).toISOString();
    this.doc.data = { ...this.doc.data, exportedAt, exportedBy: userId };
    await this.doc.write();
    this.alarms.clear('AUDIT_EXPORT_OVERDUE');
    return { headJson, exportedAt };
  }

  async run(): Promise<void> {
    if (this.doc.data.since === null) {
      this.doc.data = { ...this.doc.data, since: new Date(this.clock.now()).toISOString() };
      await this.doc.write();
    }
    const reference = Date.parse(this.doc.data.exportedAt ?? (this.doc.data.since as string));
    const days = Math.floor((this.clock.now() - reference) / DAY_MS);
    if (days >= AUDIT_EXPORT_DAYS) {
      this.alarms.raise('AUDIT_EXPORT_OVERDUE', this.doc.data.exportedAt === null ? `the audit trail's checkpoint has never been exported (${days} days)` : `the audit trail's checkpoint was last exported ${days} days ago`, { days });
    } else this.alarms.clear('AUDIT_EXPORT_OVERDUE');
  }
}
