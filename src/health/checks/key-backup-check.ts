/**
 * The master key's backup: without one, a broken disk or board loses every recording. The box
 * cannot see the backup, so a maintainer confirms it (an audited action); until then
 * KEY_BACKUP_UNCONFIRMED stays open. The confirmation is kept in `health/key-backup`.
 */
import type { Low } from 'lowdb';
import type { Clock } from '../../clock.js';
import type { AlarmControl, HealthCheck } from './health-check.js';

export interface KeyBackupDocument {
  confirmedAt: string | null;
  confirmedBy: string | null;
}

export class KeyBackupCheck implements HealthCheck {
  readonly name = 'key-backup';

  constructor(private readonly doc: Low<KeyBackupDocument>, private readonly alarms: AlarmControl, private readonly clock: Clock) {}

  get confirmedAt(): string | null {
    return this.doc.data.confirmedAt;
  }

  async confirm(userId: string): Promise<string> {
    this.doc.data = { confirmedAt: new Date(this.clock.now()).toISOString(), confirmedBy: userId };
    await this.doc.write();
    this.alarms.clear('KEY_BACKUP_UNCONFIRMED');
    return this.doc.data.confirmedAt as string;
  }

  run(): Promise<void> {
    if (this.doc.data.confirmedAt === null) this.alarms.raise('KEY_BACKUP_UNCONFIRMED', 'no maintainer has confirmed a backup of the master key', {});
    else this.alarms.clear('KEY_BACKUP_UNCONFIRMED');
    return Promise.resolve();
  }
}
