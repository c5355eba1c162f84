/**
 * `tallennin purge [--dry-run [--list]]`: the retention purge (P7) on demand; the service also
 * runs it daily and at every start. A run is audited like the service's own (retention.purge);
 * it takes the audit trail's writer lock, so it refuses (AUDIT_LOCKED) while the service runs.
 * `--dry-run --list` names what would go: days, call and recording ids, counts; no phone numbers.
 */
import { systemClock } from '../clock.js';
import { createLogger } from '../log.js';
import { openStorage } from '../storage/open-storage.js';
import { ContactHistory } from '../history/contact-history.js';
import { purgeAuditEvent, purgeExpired, type PurgeReport } from '../retention/retention-purge.js';
import { CallSettings } from '../calls/call-settings.js';
import { WaveformStore } from '../recording/waveform.js';
import { AuditTrail } from '../access/audit-trail.js';
import { CaseStore } from '../disclosure/case-store.js';
import { purgeHoldsOf } from '../disclosure/purge-holds.js';
import { removeCaseFiles } from '../disclosure/disclosure-desk.js';
import { requireExistingDemoKey, resolveConfig } from './resolve-config.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';
import { UsageError, type CliOptions } from './tallennin.js';

export async function runPurge(options: CliOptions, _none: void): Promise<number> {
  const dryRun = options['dry-run'] === true;
  if (options.list === true && !dryRun) throw new UsageError('--list goes with --dry-run (a purge lists what it removed in the audit trail)');
  const config = await resolveConfig(options);
  await requireExistingDemoKey(config);
  const logger = createLogger({ level: 'warn' });
  const storage = await openStorage({ dataDir: config.dataDir, mode: config.mode, clock: systemClock, logger });
  // The trail first: a purge that could not be audited does not start.
  const audit = dryRun
    ? undefined
    : await AuditTrail.open({ dataDir: config.dataDir, signingKey: storage.keys.signingKey('audit-signing'), clock: systemClock, logger, retentionDays: config.audit.retentionDays });
  let report: PurgeReport;
  let months: number;
  try {
    // The retention an administrator set in the web UI (config.json only seeds it).
    months = (await CallSettings.open(storage.documents, config)).retentionMonths;
    report = await purgeExpired({
      history: new ContactHistory(storage.documents),
      recordings: storage.recordings,
      derived: new WaveformStore(storage.documents),
      // The registrar's legal holds bind this run as they bind the service's.
      holds: purgeHoldsOf(await CaseStore.open(storage.documents), config.cases.retentionYears, (caseId) => removeCaseFiles(config.dataDir, caseId)),
      clock: systemClock,
      months,
      dryRun,
      logger,
    });
    await audit?.append(purgeAuditEvent(report, months, 'command'));
  } finally {
    await audit?.close();
  }
  if (options.json === true) {
    const { expired: _expired, ...summary } = report;
    process.stdout.write(JSON.stringify(options.list === true ? report : summary) + '\n');
  } else {
    const verb = report.dryRun ? 'would remove' : 'removed';
    process.stdout.write(
      `retention ${months} months: everything that started before ${report.cutoff} is past it\n` +
        `${verb} ${report.contactRecords} contact records (${report.historyDays} whole days) and ${report.recordings} recordings\n` +
        (report.held.length > 0 ? `kept ${report.held.length} calls past retention under a legal hold (cases ${[...new Set(report.held.map((held) => held.caseId))].join(' ')})\n` : '') +
        (report.cases.length > 0 ? `${verb} ${report.cases.length} closed cases past their retention\n` : '') +
        (report.failures > 0 ? `${report.failures} recordings could not be destroyed (see the log); run purge again\n` : ''),
    );
    if (options.list === true) process.stdout.write(listing(report));
  }
  return report.failures > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}

/** Per UTC day: its counts, then each call and recording that would go, by id. */
function listing(report: PurgeReport): string {
  const days = new Map<string, Array<(typeof report.expired)[number]>>();
  for (const item of report.expired) days.set(item.day, [...(days.get(item.day) ?? []), item]);
  let text = '';
  for (const [day, items] of days) {
    const records = items.filter((item) => item.callId !== null).length;
    const recordings = items.filter((item) => item.recordingId !== null).length;
    text += `${day}: ${records} contact records, ${recordings} recordings\n`;
    for (const item of items) {
      if (item.recordingId === null) text += `  call ${item.callId} (not recorded)\n`;
      else text += `  recording ${item.recordingId} (${item.callId === null ? 'no contact record' : `call ${item.callId}`})\n`;
    }
  }
  return text;
}
