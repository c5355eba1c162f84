/** `tallennin purge [--dry-run]`: the retention purge (P7) on demand; the service also runs it daily. */
import { systemClock } from '../clock.js';
import { createLogger } from '../log.js';
import { openStorage } from '../storage/open-storage.js';
import { ContactHistory } from '../history/contact-history.js';
import { purgeExpired } from '../retention/retention-purge.js';
import { CallSettings } from '../calls/call-settings.js';
import { WaveformStore } from '../recording/waveform.js';
import { requireExistingDemoKey, resolveConfig } from './resolve-config.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';
import type { CliOptions } from './tallennin.js';

export async function runPurge(options: CliOptions, _none: void): Promise<number> {
  const config = await resolveConfig(options);
  await requireExistingDemoKey(config);
  const logger = createLogger({ level: 'warn' });
  const storage = await openStorage({ dataDir: config.dataDir, mode: config.mode, clock: systemClock, logger });
  // The retention an administrator set in the web UI (config.json only seeds it).
  const months = (await CallSettings.open(storage.documents, config)).retentionMonths;
  const report = await purgeExpired({
    history: new ContactHistory(storage.documents),
    recordings: storage.recordings,
    derived: new WaveformStore(storage.documents),
    clock: systemClock,
    months,
    dryRun: options['dry-run'] === true,
    logger,
  });
  if (options.json === true) {
    process.stdout.write(JSON.stringify(report) + '\n');
  } else {
    const verb = report.dryRun ? 'would remove' : 'removed';
    process.stdout.write(
      `retention ${months} months: everything that started before ${report.cutoff} is past it\n` +
        `${verb} ${report.contactRecords} contact records (${report.historyDays} whole days) and ${report.recordings} recordings\n` +
        (report.failures > 0 ? `${report.failures} recordings could not be destroyed (see the log); run purge again\n` : ''),
    );
  }
  return report.failures > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}
