/**
 * Cases are personal data too, kept for their own time after closing (default 5 years,
 * config `cases.retentionYears`) and then destroyed with the daily purge, their bundles with them.
 */
import type { CaseStore } from './case-store.js';

export const DEFAULT_CASE_RETENTION_YEARS = 5;

/** The closed cases past their retention at `nowMs`; destroyed unless `dryRun`. */
export async function purgeClosedCases(cases: CaseStore, nowMs: number, years: number, dryRun: boolean, removeFiles: (caseId: string) => Promise<void> = async () => undefined): Promise<string[]> {
  const now = new Date(nowMs);
  const cutoff = Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds());
  const expired = cases.all().filter((record) => record.status === 'closed' && record.closedAt !== null && Date.parse(record.closedAt) < cutoff).map((record) => record.id);
  if (!dryRun) {
    for (const id of expired) {
      await cases.exclusive(id, async () => {
        await removeFiles(id);
        await cases.remove(id);
      });
    }
  }
  return expired;
}
