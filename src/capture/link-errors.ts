/**
 * Link errors a person can see. The decoder and the client count every kind of damage on the
 * serial link under the names of PROTOCOL.md; this file gives the operator's view of them: a few
 * named counters (as zigbee-herdsman's ASH layer names its own), a log line at most once a
 * minute while errors keep coming, and the LINK_ERRORS alarm above a documented rate. A link that
 * loses frames loses audio (filled with silence, recorded as gaps): a person must hear of it.
 *
 * The counters and the log hold counts only, never frame contents (which carry phone numbers).
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { FrameDecoderStats } from './frame-decoder.js';

export interface LinkErrorCounters {
  /** Frames dropped for a wrong header or frame CRC (headerCrcErrors + frameCrcErrors). */
  rxCrcErrors: number;
  /** Bytes that were not part of a good frame (bytesSkipped): line noise, torn or damaged frames. */
  garbageBytes: number;
  /** Headers that claimed a payload above MAX_PAYLOAD (tooLong). */
  oversizeFrames: number;
  /** Exact repeats of the frame before (duplicates). */
  duplicateFrames: number;
  /** Frames lost on the way, from the gaps in the bridge's sequence numbers (seqGaps). */
  lostFrames: number;
  /** Good CRCs but unusable: a payload that does not parse, an unknown type or version. */
  malformedFrames: number;
  /** Times the frame boundaries were lost and found again. */
  resyncs: number;
}

/** The counters these are made of (a subset of BridgeClientStats). */
export type LinkErrorSources = FrameDecoderStats & { malformedPayload: number; unknownType: number; seqGaps: number; duplicates: number };

export function linkErrorCounters(stats: LinkErrorSources): LinkErrorCounters {
  return {
    rxCrcErrors: stats.headerCrcErrors + stats.frameCrcErrors,
    garbageBytes: stats.bytesSkipped,
    oversizeFrames: stats.tooLong,
    duplicateFrames: stats.duplicates,
    lostFrames: stats.seqGaps,
    malformedFrames: stats.malformedPayload + stats.unknownType + stats.unsupportedVersion,
    resyncs: stats.resyncs,
  };
}

/**
 * The alarm threshold: damaged, lost, repeated or unusable frames plus resynchronisations in the
 * last minute. A bridge sends 3000 AUDIO frames a minute (one per 20 ms tick), so this is 1 %:
 * above it a call loses audio often enough to be heard, and the cable, the USB port or the bridge
 * needs a look. Garbage bytes are not counted on their own: each stretch of them costs a resync.
 */
export const LINK_ERROR_ALARM_PER_MINUTE = 30;
/** At most one "link errors" log line in this time. */
export const LINK_ERROR_LOG_INTERVAL_MS = 60_000;
/** How often main.ts calls check(). */
export const LINK_ERROR_CHECK_INTERVAL_MS = 10_000;
const WINDOW_MS = 60_000;

const NAMES: ReadonlyArray<keyof LinkErrorCounters> = ['rxCrcErrors', 'garbageBytes', 'oversizeFrames', 'duplicateFrames', 'lostFrames', 'malformedFrames', 'resyncs'];

function errorEvents(c: LinkErrorCounters): number {
  return c.rxCrcErrors + c.oversizeFrames + c.duplicateFrames + c.lostFrames + c.malformedFrames + c.resyncs;
}

export interface LinkErrorMonitorOptions {
  readonly read: () => LinkErrorCounters;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly alarms: { raise(code: string, message: string, fields?: Record<string, string | number>): void; clear?(code: string): void };
}

export class LinkErrorMonitor {
  private loggedAt: { atMs: number; counters: LinkErrorCounters };
  /** (time, error events so far) of the checks of the last minute, oldest first. */
  private readonly history: Array<{ atMs: number; events: number }> = [];
  private alarmed = false;
  /** The first errors are told at once; later ones at most once per LINK_ERROR_LOG_INTERVAL_MS. */
  private loggedOnce = false;

  constructor(private readonly options: LinkErrorMonitorOptions) {
    this.loggedAt = { atMs: options.clock.now(), counters: options.read() };
    this.history.push({ atMs: this.loggedAt.atMs, events: errorEvents(this.loggedAt.counters) });
  }

  /** Called every LINK_ERROR_CHECK_INTERVAL_MS: logs (rate-limited) and raises the alarm. */
  check(): void {
    const now = this.options.clock.now();
    const counters = this.options.read();
    this.checkRate(now, errorEvents(counters));
    if (!this.loggedOnce || now - this.loggedAt.atMs >= LINK_ERROR_LOG_INTERVAL_MS) this.log(now, counters);
  }

  /** Logs what has not been told yet (at stop). */
  flush(): void {
    this.log(this.options.clock.now(), this.options.read());
  }

  private log(now: number, counters: LinkErrorCounters): void {
    const since = this.loggedAt.counters;
    const delta: Record<string, number> = {};
    let any = false;
    for (const name of NAMES) {
      delta[name] = counters[name] - since[name];
      if (delta[name] !== 0) any = true;
    }
    if (!any) return;
    this.options.logger.warn('link errors', { ...delta, periodSeconds: Math.round((now - this.loggedAt.atMs) / 1000) });
    this.loggedAt = { atMs: now, counters };
    this.loggedOnce = true;
  }

  private checkRate(now: number, events: number): void {
    this.history.push({ atMs: now, events });
    // Keep the newest check at or before the window's start as the base of the rate.
    while (this.history.length > 2 && (this.history[1] as { atMs: number }).atMs <= now - WINDOW_MS) this.history.shift();
    const perMinute = events - (this.history[0] as { events: number }).events;
    if (!this.alarmed && perMinute > LINK_ERROR_ALARM_PER_MINUTE) {
      this.alarmed = true;
      this.options.alarms.raise('LINK_ERRORS', 'the link to the firmware bridge damages or loses frames: check the cable and the bridge', {
        perMinute,
        thresholdPerMinute: LINK_ERROR_ALARM_PER_MINUTE,
      });
    } else if (this.alarmed && perMinute <= LINK_ERROR_ALARM_PER_MINUTE / 2) {
      this.alarmed = false;
      // The episode is over: the alarm closes, and the next episode is an alarm of its own.
      this.options.alarms.clear?.('LINK_ERRORS');
    }
  }
}
