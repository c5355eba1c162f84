/**
 * After a crash or power cut, calls that were in progress have a contact record without an end
 * and (when recorded) a recording left open. Their cards may still be running them: first each
 * such recording is reopened (reopenUnfinishedCalls) and handed to the call tracker, which holds
 * the call until the bridge announces it again and then goes on in the same recording after a
 * 'service-restart' gap. Start-up recovery seals the recordings that could not be reopened, and
 * closeUnfinishedCalls closes the other records, so no call stays "in progress" forever and the
 * history says what happened.
 */
import type { Logger } from '../log.js';
import type { ContactHistory } from '../history/contact-history.js';
import type { RecordingState } from '../history/contact-record.js';
import { TICK_MS, type RecordingWriterPort, type UnfinishedCall } from './call-tracker.js';

/** Reopens the recording of every unfinished call that has one left open; the rest stay for recovery. */
export async function reopenUnfinishedCalls(options: {
  readonly history: ContactHistory;
  readonly reopen: (recordingId: string) => Promise<(RecordingWriterPort & { readonly expectedTick: number; readonly meta: { startTick: number; startedAtMs: number } }) | undefined>;
  readonly logger: Logger;
}): Promise<UnfinishedCall[]> {
  const calls: UnfinishedCall[] = [];
  for (const record of await options.history.unfinished()) {
    if (record.recordingId === null) continue;
    let writer;
    try {
      writer = await options.reopen(record.recordingId);
    } catch (err) {
      options.logger.warn('recording of an unfinished call cannot go on; it is sealed as interrupted', { callId: record.callId, error: err instanceof Error && 'code' in err ? String(err.code) : 'unknown' });
      continue;
    }
    if (writer === undefined) continue;
    const audioEndMs = writer.meta.startedAtMs + (writer.expectedTick - writer.meta.startTick) * TICK_MS;
    calls.push({ record, writer, audioEndMs });
  }
  return calls;
}

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
  /** Calls the tracker has taken over (reopenUnfinishedCalls): not closed here. */
  readonly skip?: ReadonlySet<string>;
}): Promise<number> {
  const { history, recordingOutcome, logger } = options;
  let closed = 0;
  for (const record of await history.unfinished()) {
    if (options.skip?.has(record.callId) === true) continue;
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
