/**
 * Every alarm code the box raises, with its severity and what a maintainer should do, in English
 * for the receivers (e-mail, syslog, SNMP); the web UI has the same in Finnish and English
 * (web/src/i18n-alarms.ts). A code missing here is still raised and sent, as a warning.
 */
export type AlarmSeverity = 'info' | 'warning' | 'critical';

export interface AlarmCodeInfo {
  readonly severity: AlarmSeverity;
  /** What to do, in one sentence. */
  readonly action: string;
}

export const ALARM_CATALOGUE: Readonly<Record<string, AlarmCodeInfo>> = {
  RECORDING_FAILED: { severity: 'critical', action: 'Check the disk and the service log; calls are not being recorded.' },
  HISTORY_WRITE_FAILED: { severity: 'critical', action: 'Check the disk and the service log; contact records are not being written.' },
  RECORDING_QUARANTINED: { severity: 'warning', action: 'An unreadable recording was moved aside; report it to the supplier.' },
  RECORDING_RECOVERY_FAILED: { severity: 'warning', action: 'Restart the service; if it stays, report it to the supplier.' },
  RECORDING_FILE_MISSING: { severity: 'warning', action: 'Run tallennin recordings verify --all.' },
  BRIDGE_LINK_DOWN: { severity: 'critical', action: 'Check the bridge cable and power; calls are not being recorded meanwhile.' },
  BRIDGE_HEARTBEAT_LOST: { severity: 'critical', action: 'The bridge has stopped answering: check its power and cable.' },
  LINK_ERRORS: { severity: 'warning', action: 'Check the bridge cable and the bridge.' },
  AUDIT_UNAVAILABLE: { severity: 'critical', action: 'Check the disk; access to personal data is refused until the audit trail can be written.' },
  PURGE_FAILED: { severity: 'critical', action: 'Check the service log; data older than the retention time is being kept.' },
  PURGE_INCOMPLETE: { severity: 'warning', action: 'Run tallennin purge and check its report.' },
  DELIVERY_FAILED: { severity: 'warning', action: 'Check the receiver’s settings (Settings, alarm delivery) and that it is reachable.' },
  DISK_USAGE: { severity: 'warning', action: 'Free space or add a disk; at 95 % the oldest recordings past retention are purged first.' },
  DISK_FORECAST: { severity: 'warning', action: 'The disk will be full within 30 days at the current rate: plan more space.' },
  DEAD_CHANNEL: { severity: 'warning', action: 'The channel carries only silence: check its line and the card.' },
  CLOCK_UNSYNCHRONISED: { severity: 'warning', action: 'Check the time server settings (timedatectl); call times are evidence.' },
  CLOCK_OFFSET: { severity: 'warning', action: 'The clock is off by more than a second: check the time server.' },
  TLS_CERTIFICATE_EXPIRING: { severity: 'warning', action: 'Install a renewed certificate before it expires.' },
  KEY_BACKUP_UNCONFIRMED: { severity: 'warning', action: 'Back up the master key and confirm it in the System view.' },
  AUDIT_EXPORT_OVERDUE: { severity: 'warning', action: 'Export the audit trail’s signed checkpoint from the System view and keep it off the box.' },
  TEMPERATURE_HIGH: { severity: 'warning', action: 'Check the box’s cooling and the room temperature.' },
  MEMORY_LOW: { severity: 'warning', action: 'Check the service log; restart the service if memory stays low.' },
  REGISTER_NOT_NAMED: { severity: 'warning', action: 'Name the register and its controller in config.json ("register": { "name", "controller": { "name", "address" } }, see docs/register.md) and restart the service.' },
  POLICY_SELF_CHECK_FAILED: { severity: 'critical', action: 'The permission table breaks the register description’s access promises (P6, P11-P13): report it to the supplier; see the Register view.' },
  DELIVERY_TEST: { severity: 'info', action: 'A test from the Settings view: nothing to do.' },
};

export function severityOf(code: string): AlarmSeverity {
  return ALARM_CATALOGUE[code]?.severity ?? 'warning';
}

export function actionOf(code: string): string {
  return ALARM_CATALOGUE[code]?.action ?? 'See the System view.';
}
