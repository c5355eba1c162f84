/**
 * The messages between the main thread and the capture thread (capture-engine.ts). The capture
 * thread owns the serial link, the frame decoder, the bridge client, the call tracker and the
 * recording writers; the main thread owns everything else (HTTP, access, the contact history,
 * settings, purge, health). Nothing the main thread does can delay a frame: the capture thread
 * never waits for it except where a call's own chain waits for its contact record to be durable,
 * and meanwhile that call's audio is buffered (call-tracker.ts, MAX_PENDING_TICKS).
 *
 * Every message is a plain object (structured clone): ids, counts and the settings; phone
 * numbers travel only inside contact records and settings, and are never logged.
 */
import type { AgentEntry } from '../config/config-schema.js';
import type { LinkDownReason, LinkUpEvent } from '../capture/bridge-events.js';
import type { LinkErrorCounters } from '../capture/link-errors.js';
import type { ActiveCallInfo, CallChange, CallTrackerStats } from '../calls/call-tracker.js';
import type { RestartCause } from '../calls/call-state-machine.js';
import type { ContactRecord } from '../history/contact-record.js';
import type { LogLevel } from '../log.js';

/** An alarm's cause key (a channel...) and severity, as the alarm log takes them. */
export interface AlarmOptions {
  readonly key?: string;
  readonly severity?: 'info' | 'warning' | 'critical';
}

/** The settings the call tracker follows (calls/call-settings.ts): they apply from the next call. */
export interface CaptureSettings {
  readonly agents: readonly AgentEntry[];
  readonly recordedServiceNumbers: readonly string[];
}

/** What a capture thread is started with (workerData). */
export interface CaptureStart {
  readonly dataDir: string;
  /**
   * The master key (32 bytes): the thread derives the recording keys from it to write
   * recordings. A copy lives in the thread's memory only; it is never logged nor sent back.
   */
  readonly masterKey: Uint8Array;
  readonly bridge: { readonly path: string; readonly baudRate: number };
  readonly defaultRegion: string;
  readonly logLevel: LogLevel;
  readonly settings: CaptureSettings;
  /** Calls in progress when the thread (or the service) last stopped: reopened and held. */
  readonly resume: { readonly records: readonly ContactRecord[]; readonly cause: RestartCause };
}

/** The capture thread's event-loop delay, in milliseconds (capture-thread/loop-delay-probe.ts: a 10 ms timer of its own). */
export interface EventLoopDelay {
  /** Over the last report interval. */
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The largest delay since the thread started. */
  readonly maxEverMs: number;
}

/** Sent every CAPTURE_STATS_INTERVAL_MS and at every change of the link. */
export interface CaptureStats {
  readonly linkUp: boolean;
  readonly bridgeInfo: LinkUpEvent | null;
  readonly bridge: Record<string, number>;
  readonly linkErrors: LinkErrorCounters;
  readonly tracker: CallTrackerStats;
  readonly activeCalls: readonly ActiveCallInfo[];
  readonly eventLoopDelay: EventLoopDelay;
  /** Ticks of silence the recording writers filled for lost audio (all causes), since the thread started. */
  readonly gapTicksFilled: number;
  /** The thread's own V8 heap (a worker has an isolate of its own), in bytes: what the memory benchmark names. */
  readonly heap: { readonly usedBytes: number; readonly totalBytes: number; readonly externalBytes: number };
}

export const CAPTURE_STATS_INTERVAL_MS = 1000;

/** Capture thread -> main thread. */
export type CaptureEvent =
  /** Started; `adopted` are the calls of CaptureStart.resume whose recordings were reopened. */
  | { readonly type: 'ready'; readonly adopted: ReadonlyArray<{ readonly callId: string; readonly recordingId: string }>; readonly stats: CaptureStats }
  | { readonly type: 'history-add'; readonly id: number; readonly record: ContactRecord }
  | { readonly type: 'history-update'; readonly id: number; readonly callId: string; readonly startedAt: string; readonly patch: Partial<Omit<ContactRecord, 'callId' | 'startedAt'>> }
  | { readonly type: 'call'; readonly change: CallChange; /** The tracker's counters after the change. */ readonly tracker: CallTrackerStats }
  | { readonly type: 'link-up'; readonly info: LinkUpEvent }
  | { readonly type: 'link-down'; readonly reason: LinkDownReason }
  | { readonly type: 'bridge-restarted'; readonly previousBootId: number; readonly bootId: number }
  | { readonly type: 'stats'; readonly stats: CaptureStats }
  | { readonly type: 'alarm'; readonly code: string; readonly message: string; readonly fields: Record<string, string | number>; readonly options?: AlarmOptions }
  | { readonly type: 'alarm-clear'; readonly code: string; readonly key?: string }
  | { readonly type: 'log'; readonly level: LogLevel; readonly component: string; readonly msg: string; readonly fields: Record<string, string | number | boolean | null> }
  | { readonly type: 'stopped' };

/** Main thread -> capture thread. */
export type CaptureControl =
  | { readonly type: 'start-link' }
  | { readonly type: 'settings'; readonly settings: CaptureSettings }
  | { readonly type: 'history-done'; readonly id: number; readonly error: string | null }
  /** Ends the calls as service-stopped, seals their recordings, closes the link, then says 'stopped'. */
  | { readonly type: 'stop' };

/** The one side of a channel each end sees: a worker's parentPort, a Worker, or a MessagePort. */
export interface CapturePort<In, Out> {
  postMessage(message: Out): void;
  on(event: 'message', listener: (message: In) => void): unknown;
}
