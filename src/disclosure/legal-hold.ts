/**
 * Legal holds: the calls of an open case whose hold has not ended are kept by the purge past
 * their retention (an open request must not be defeated by the deletion). The purge asks at each
 * run; a hold that has ended (or been lifted, or whose case closed) holds nothing, so the first
 * run after it purges the calls that are past retention.
 */
import type { HeldCall } from '../retention/retention-purge.js';
import { holdsAt } from './case-record.js';
import type { CaseStore } from './case-store.js';

export function heldCalls(cases: CaseStore, nowMs: number): HeldCall[] {
  const held: HeldCall[] = [];
  for (const record of cases.all()) {
    if (!holdsAt(record, nowMs)) continue;
    for (const call of record.calls) held.push({ caseId: record.id, callId: call.callId, recordingId: call.recordingId, until: record.hold!.until });
  }
  return held;
}
