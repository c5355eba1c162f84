/**
 * After a crash or power cut, calls that were in progress have a contact record without an end
 * and (when recorded) a recording that start-up recovery has just sealed as interrupted. This
 * closes those records, so no call stays "in progress" forever and the history says what
 * happened.
 */
import type { Logger } from '../log.js';
import type { ContactHistory } from '../history/contact-history.js';
import type { RecordingState } from '../history/contact-record.js';

/** What is known of a recording after recovery: its outcome and how much audio it kept. */
export interface RecordingOutcome {
  readonly outcome: 'completed' | 'interrupted';
  readonly durationMs: number;
}

export async function closeUnfinishedCalls(options: {
  readonly history: ContactHistory;
  /** Looks a recording up; undefined when there is none (never written, or quarantined). */
  readonly recordingOutcome: (recordingId: string) => Promise<RecordingOutcome | undefined>;
  readonly logger: Logger;
}): Promise<number> {
  const { history, recordingOutcome, logger } = options;
  let closed = 0;
  for (const record of await history.unfinished()) {
    let endedMs = Date.parse(record.startedAt);
    let recordingState: RecordingState = record.recordingState;
    if (record.recordingId !== null) {
      const outcome = await recordingOutcome(record.recordingId);
      if (outcome === undefined) {
        recordingState = 'failed';
      } else {
        recordingState = outcome.outcome;
        endedMs += outcome.durationMs;
      }
    }
    await history.update(record.callId, record.startedAt, { endedAt: new Date(endedMs).toISOString(), endReason: 'service-stopped', recordingState });
    logger.warn('call left open by an unclean stop closed as interrupted', { callId: record.callId, recordingState });
    closed++;
  }
  return closed;
}
