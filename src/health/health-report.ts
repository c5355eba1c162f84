/**
 * The health view of the box for maintainers: the bridge link and its error counters, calls in
 * progress per channel, alarms, and the machine (disk, memory, load, temperature) through
 * systeminformation. It holds ids and counts only, never phone numbers or names.
 */
import si from 'systeminformation';
import type { AlarmLog } from './alarms.js';
import type { LinkUpEvent } from '../capture/bridge-events.js';
import type { CaptureThreadHealth } from '../capture-thread/capture-thread.js';
import { TICK_MS } from '../calls/call-tracker.js';

export interface HealthSources {
  readonly dataDir: string;
  readonly bridge: { isLinkUp: boolean; bridgeInfo: LinkUpEvent | null; stats(): object; linkErrors(): object };
  /** Link errors a minute above which LINK_ERRORS is raised (capture/link-errors.ts). */
  readonly linkErrorAlarmPerMinute: number;
  readonly tracker: { activeCalls(): ReadonlyArray<{ channel: number; callId: string; startedAt: string; recording: boolean }>; stats(): object };
  /** The capture thread: its event-loop delay, restarts and the silence its writers filled. */
  readonly capture: { health(): CaptureThreadHealth };
  readonly alarms: AlarmLog;
  readonly startedAtMs: number;
  readonly now: () => number;
}

export type HealthReport = Awaited<ReturnType<typeof healthReport>>;

/** A counters object as plain numbers (the link's and the tracker's stats are all counts). */
function numbersOf(stats: object): Record<string, number> {
  return Object.fromEntries(Object.entries(stats).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

/** systeminformation answers NaN where a figure is unknown; the report says null. */
function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

// The return type is inferred: http/api-responses.ts describes it, and reply() checks the two agree.
export async function healthReport(sources: HealthSources) {
  const [disks, memory, load, temperature] = await Promise.all([
    si.fsSize().catch(() => []),
    si.mem().catch(() => null),
    si.currentLoad().catch(() => null),
    si.cpuTemperature().catch(() => null),
  ]);
  const dataDisk = disks
    .filter((disk) => sources.dataDir.startsWith(disk.mount))
    .sort((a, b) => b.mount.length - a.mount.length)[0];
  const capture = sources.capture.health();
  return {
    time: new Date(sources.now()).toISOString(),
    uptimeSeconds: Math.round((sources.now() - sources.startedAtMs) / 1000),
    capture: {
      running: capture.running,
      restarts: capture.restarts,
      eventLoopDelay: capture.eventLoopDelay,
      eventLoopDelayAlarmMs: capture.eventLoopDelayAlarmMs,
      gapSecondsFilled: (capture.gapTicksFilled * TICK_MS) / 1000,
    },
    bridge: {
      linkUp: sources.bridge.isLinkUp,
      info: sources.bridge.bridgeInfo ?? null,
      // The named errors of the link (CRC, garbage, lost and duplicate frames...) for the System view.
      linkErrors: numbersOf(sources.bridge.linkErrors()),
      linkErrorAlarmPerMinute: sources.linkErrorAlarmPerMinute,
      counters: numbersOf(sources.bridge.stats()),
    },
    calls: { active: [...sources.tracker.activeCalls()], counters: numbersOf(sources.tracker.stats()) },
    alarms: { total: sources.alarms.count, recent: sources.alarms.list() },
    system: {
      disk: dataDisk === undefined ? null : { mount: dataDisk.mount, sizeBytes: dataDisk.size, usedBytes: dataDisk.used, usePercent: finiteOrNull(dataDisk.use) },
      memory: memory === null ? null : { totalBytes: memory.total, availableBytes: memory.available },
      load: load === null ? null : { currentPercent: finiteOrNull(Math.round(load.currentLoad * 10) / 10) },
      temperatureC: finiteOrNull(temperature?.main),
      processRssBytes: process.memoryUsage().rss,
    },
  };
}
