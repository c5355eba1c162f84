/** What the retention purge asks of the registrar's desk: the holds in force and the cases past their own retention. */
import type { PurgeHolds } from '../retention/retention-purge.js';
import type { CaseStore } from './case-store.js';
import { purgeClosedCases } from './case-retention.js';
import { heldCalls } from './legal-hold.js';

export function purgeHoldsOf(cases: CaseStore, retentionYears: number, removeFiles?: (caseId: string) => Promise<void>): PurgeHolds {
  return {
    heldAt: (nowMs) => heldCalls(cases, nowMs),
    purgeCases: (nowMs, dryRun) => purgeClosedCases(cases, nowMs, retentionYears, dryRun, removeFiles),
  };
}
