/**
 * The data disk: its used share (DISK_USAGE, a warning from 85 %, critical from 95 %) and a
 * forecast of the days until it is full at the rate of the last 7 days (DISK_FORECAST under 30
 * days). At the critical share the retention purge runs at once, so the oldest recordings past
 * retention go first; recording never stops silently: the alarm says so while it lasts.
 *
 * The forecast is a least-squares line through the samples (one an hour at most, kept 8 days in
 * the document `health/disk-usage`, so a restart does not forget them).
 */
import type { Low } from 'lowdb';
import type { Clock } from '../../clock.js';
import type { AlarmControl, HealthCheck } from './health-check.js';

export const DISK_WARN_PERCENT = 85;
export const DISK_CRITICAL_PERCENT = 95;
export const FORECAST_WARN_DAYS = 30;
const FORECAST_WINDOW_MS = 7 * 24 * 3600_000;
const SAMPLE_EVERY_MS = 3600_000;
const KEEP_MS = 8 * 24 * 3600_000;
/** Fewer than this span of samples says nothing about a rate. */
const MIN_FORECAST_SPAN_MS = 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

export interface DiskSample {
  readonly atMs: number;
  readonly usedBytes: number;
}

export interface DiskUsage {
  readonly sizeBytes: number;
  readonly usedBytes: number;
}

export interface DiskCheckOptions {
  readonly usage: () => Promise<DiskUsage | null>;
  readonly alarms: AlarmControl;
  readonly clock: Clock;
  /** Where the samples are kept; in memory only without it. */
  readonly samples?: Low<{ samples: DiskSample[] }>;
  /** Runs the retention purge now (the oldest recordings past retention go first). */
  readonly purge: () => Promise<unknown>;
}

/** Days until `size` is reached at the samples' rate; null when the disk is not filling up. */
export function daysUntilFull(samples: readonly DiskSample[], sizeBytes: number): number | null {
  if (samples.length < 2) return null;
  const first = samples[0] as DiskSample;
  const last = samples[samples.length - 1] as DiskSample;
  if (last.atMs - first.atMs < MIN_FORECAST_SPAN_MS) return null;
  const n = samples.length;
  const meanX = samples.reduce((sum, s) => sum + (s.atMs - first.atMs), 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.usedBytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    const dx = s.atMs - first.atMs - meanX;
    num += dx * (s.usedBytes - meanY);
    den += dx * dx;
  }
  const bytesPerMs = den === 0 ? 0 : num / den;
  if (bytesPerMs <= 0) return null;
  return Math.max(0, (sizeBytes - last.usedBytes) / bytesPerMs / DAY_MS);
}

export class DiskCheck implements HealthCheck {
  readonly name = 'disk';
  private memory: DiskSample[] = [];

  constructor(private readonly options: DiskCheckOptions) {}

  async run(): Promise<void> {
    const { alarms, clock } = this.options;
    const usage = await this.options.usage();
    if (usage === null || usage.sizeBytes <= 0) return;
    const now = clock.now();
    const percent = (usage.usedBytes / usage.sizeBytes) * 100;
    const fields = { usedPercent: Math.round(percent * 10) / 10, freeBytes: usage.sizeBytes - usage.usedBytes };
    if (percent >= DISK_CRITICAL_PERCENT) {
      alarms.raise('DISK_USAGE', `the data disk is ${fields.usedPercent} % full: the oldest recordings past retention are purged now`, fields, { severity: 'critical' });
      await this.options.purge();
    } else if (percent >= DISK_WARN_PERCENT) {
      alarms.raise('DISK_USAGE', `the data disk is ${fields.usedPercent} % full`, fields, { severity: 'warning' });
    } else alarms.clear('DISK_USAGE');

    const samples = await this.record(now, usage.usedBytes);
    const days = daysUntilFull(samples.filter((s) => s.atMs >= now - FORECAST_WINDOW_MS), usage.sizeBytes);
    if (days !== null && days < FORECAST_WARN_DAYS) {
      alarms.raise('DISK_FORECAST', `at the last 7 days' rate the data disk is full in ${Math.floor(days)} days`, { days: Math.floor(days) });
    } else alarms.clear('DISK_FORECAST');
  }

  private async record(now: number, usedBytes: number): Promise<DiskSample[]> {
    const doc = this.options.samples;
    const samples = doc === undefined ? this.memory : doc.data.samples;
    const last = samples.at(-1);
    if (last !== undefined && now - last.atMs < SAMPLE_EVERY_MS) return samples;
    const kept = [...samples.filter((s) => s.atMs >= now - KEEP_MS && s.atMs < now), { atMs: now, usedBytes }];
    if (doc === undefined) this.memory = kept;
    else {
      doc.data.samples = kept;
      await doc.write();
    }
    return kept;
  }
}
