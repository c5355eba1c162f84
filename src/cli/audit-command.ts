/**
 * `tallennin audit verify`: checks the audit trail as it is on disk; exit 1 names the first bad
 * entry. A data directory whose trail has no entries yet (the service never started in it) is
 * an answer too, exit 0.
 */
import { systemClock } from '../clock.js';
import { createLogger } from '../log.js';
import { openStorage } from '../storage/open-storage.js';
import { AuditTrail } from '../access/audit-trail.js';
import { USERS_DOCUMENT, type UsersDocument } from '../access/user-store.js';
import { requireExistingDemoKey, resolveConfig } from './resolve-config.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';
import { UsageError, type CliOptions } from './tallennin.js';

export async function runAuditVerify(options: CliOptions, positionals: string[]): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const config = await resolveConfig(options);
  await requireExistingDemoKey(config);
  const logger = createLogger({ level: 'warn' });
  const storage = await openStorage({ dataDir: config.dataDir, mode: config.mode, clock: systemClock, logger });
  const result = await AuditTrail.verifyDirectory({ dataDir: config.dataDir, signingKey: storage.keys.signingKey('audit-signing'), clock: systemClock, logger });
  if (result.ok && result.empty === true) {
    // Creating the first account is audited: accounts without a trail mean the trail was removed.
    const accounts = (await storage.documents.list(USERS_DOCUMENT)).length === 0 ? 0 : (await storage.documents.openDocument<UsersDocument>(USERS_DOCUMENT, { version: 1, users: [] })).data.users.length;
    if (accounts > 0) {
      process.stdout.write(`audit trail FAILED: it is empty, but ${accounts} accounts exist and the creation of each was audited: the trail was removed\n`);
      return EXIT_CHECK_FAILED;
    }
    process.stdout.write('the audit trail is empty: no entries yet\n');
    return EXIT_OK;
  }
  if (result.ok) {
    process.stdout.write(`audit trail ok: ${result.entries} entries, last seq ${result.lastSeq}\n`);
    return EXIT_OK;
  }
  process.stdout.write(`audit trail FAILED at entry ${result.firstBadSeq ?? '?'}: ${result.problem}\n`);
  return EXIT_CHECK_FAILED;
}
