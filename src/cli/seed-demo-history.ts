/**
 * `tallennin demo --seed-history DAYS:CALLS`: fills the demo's contact history with synthetic
 * calls to the switchboard (not recorded, P4) before the service starts, answered by the demo's
 * agents, so the box looks three months into its life (src/history/seed-history.ts).
 */
import { systemClock } from '../clock.js';
import type { Config } from '../config/config-schema.js';
import type { Logger } from '../log.js';
import { normalizePhoneNumber } from '../calls/phone-number.js';
import { seedHistory, type SeedHistoryPlan } from '../history/seed-history.js';
import { openStorage } from '../storage/open-storage.js';

export async function seedDemoHistory(
  config: Config,
  plan: SeedHistoryPlan,
  switchboardNumber: string,
  logger: Logger,
): Promise<{ days: number; records: number; skippedDays: number; keyGenerated: boolean }> {
  const region = config.phone.defaultRegion;
  const storage = await openStorage({ dataDir: config.dataDir, mode: config.mode, clock: systemClock, logger: logger.child('seed-history') });
  const agents = config.agents.map((agent) => ({ extension: agent.extension, name: agent.name, phone: normalizePhoneNumber(agent.phone, region) }));
  const serviceNumber = normalizePhoneNumber(switchboardNumber, region) as string;
  const report = await seedHistory(storage.documents, { ...plan, nowMs: systemClock.now(), serviceNumbers: [serviceNumber], agents });
  return { ...report, keyGenerated: storage.masterKey.generated };
}
