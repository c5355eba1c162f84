/**
 * A contact record: the identification data that P3 keeps for every call, recorded or not.
 * Times are ISO 8601 in UTC; phone numbers E.164 where valid (src/calls/phone-number.ts).
 */

export type EndReason =
  /** The card's end signal, normal clearing. */
  | 'completed'
  /** The card's end signal with an abnormal cause (line or card failure). */
  | 'abnormal'
  /** The link to the bridge was lost while the call was in progress. */
  | 'link-lost'
  /** The bridge restarted (new boot id) while the call was in progress. */
  | 'bridge-restarted'
  /** The bridge reported the channel idle, or a new call started on it, without an end signal. */
  | 'end-signal-lost'
  /** The service stopped (or crashed) while the call was in progress. */
  | 'service-stopped';

/** Reasons that mark a call (and its recording) as interrupted rather than completed. */
export function isInterruption(reason: EndReason): boolean {
  return reason !== 'completed' && reason !== 'abnormal';
}

export type RecordingState =
  /** Not a recorded service number (P4): contact record only. */
  | 'not-recorded'
  /** Being written. */
  | 'recording'
  /** Sealed after the end signal. */
  | 'completed'
  /** Sealed, but cut short (link lost, crash...): plays up to where it stopped. */
  | 'interrupted'
  /** Could not be written (disk full, I/O error): reported as an alarm. */
  | 'failed'
  /** A recorded number, but the call ended before any audio arrived (e.g. wholly within a link outage). */
  | 'no-audio';

export interface ContactRecord {
  /** Pseudonymous id of the call (UUID); the only id that logs and the audit trail hold. */
  readonly callId: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** null when the caller withheld the number. */
  readonly callerNumber: string | null;
  readonly serviceNumber: string | null;
  readonly agentExtension: string;
  /** null when the extension is not in the agent directory. */
  readonly agentName: string | null;
  readonly agentPhone: string | null;
  readonly channel: number;
  readonly recordingId: string | null;
  readonly recordingState: RecordingState;
  readonly endReason: EndReason | null;
  /** The call was already in progress when this service first heard of it: recorded from then on. */
  readonly resumed: boolean;
}

/** The document key of the day a call started on (UTC): one document per day keeps writes small. */
export function dayKeyOf(isoTime: string): string {
  return isoTime.slice(0, 10);
}
