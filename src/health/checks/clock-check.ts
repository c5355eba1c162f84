/**
 * The clock: call times are evidence, so the box must keep true time. CLOCK_UNSYNCHRONISED when
 * `timedatectl show` says NTPSynchronized=no (systemd-timesyncd or chrony); CLOCK_OFFSET when the
 * time service reports an offset over 1 s (`timedatectl timesync-status`, or `chronyc tracking`),
 * or when the wall clock jumps against the monotonic clock by more than 1 s between two runs
 * (someone set the time by hand, an hour backwards for instance). The command runner is injected.
 */
import type { Clock } from '../../clock.js';
import type { AlarmControl, HealthCheck } from './health-check.js';

export const MAX_OFFSET_MS = 1000;

/** Runs a command and resolves with its standard output; rejects when it cannot run or fails. */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<string>;

export interface ClockCheckOptions {
  readonly run: CommandRunner;
  readonly alarms: AlarmControl;
  readonly clock: Clock;
  readonly monotonicMs?: () => number;
}

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000, min: 60_000 };

/** "Offset: -2.345s" (timesyncd) -> milliseconds; sums "1min 2.5s" pieces. */
export function parseTimesyncOffset(text: string): number | null {
  const line = /^\s*Offset:\s*([+-]?)(.+)$/m.exec(text);
  if (line === null) return null;
  let total = 0;
  let any = false;
  for (const [, value, unit] of (line[2] as string).matchAll(/([0-9.]+)\s*(min|ms|us|µs|s)\b/g)) {
    total += Number(value) * (UNIT_MS[unit as string] ?? 0);
    any = true;
  }
  return any ? (line[1] === '-' ? -total : total) : null;
}

/** "System time : 0.000012 seconds fast of NTP time" (chrony) -> milliseconds. */
export function parseChronyOffset(text: string): number | null {
  const match = /^System time\s*:\s*([0-9.]+) seconds (fast|slow)/m.exec(text);
  if (match === null) return null;
  const ms = Number(match[1]) * 1000;
  return match[2] === 'slow' ? -ms : ms;
}

export class ClockCheck implements HealthCheck {
  readonly name = 'clock';
  private last: { wallMs: number; monoMs: number } | undefined;
  private readonly monotonicMs: () => number;

  constructor(private readonly options: ClockCheckOptions) {
    this.monotonicMs = options.monotonicMs ?? (() => performance.now());
  }

  async run(): Promise<void> {
    const { alarms } = this.options;
    const show = await this.options.run('timedatectl', ['show']).catch(() => null);
    if (show !== null) {
      if (/^NTPSynchronized=no$/m.test(show)) alarms.raise('CLOCK_UNSYNCHRONISED', 'the clock is not synchronised with a time server', {});
      else if (/^NTPSynchronized=yes$/m.test(show)) alarms.clear('CLOCK_UNSYNCHRONISED');
    }
    const offsetMs = await this.offset();
    const jumpMs = this.jump();
    const worst = [offsetMs, jumpMs].filter((value): value is number => value !== null).sort((a, b) => Math.abs(b) - Math.abs(a))[0];
    if (worst !== undefined && Math.abs(worst) > MAX_OFFSET_MS) {
      const what = worst === jumpMs ? 'the clock jumped' : 'the clock is off';
      alarms.raise('CLOCK_OFFSET', `${what} by ${(worst / 1000).toFixed(1)} s`, { offsetMs: Math.round(worst) });
    } else if (offsetMs !== null) alarms.clear('CLOCK_OFFSET');
  }

  private async offset(): Promise<number | null> {
    const timesync = await this.options.run('timedatectl', ['timesync-status']).catch(() => null);
    const fromTimesync = timesync === null ? null : parseTimesyncOffset(timesync);
    if (fromTimesync !== null) return fromTimesync;
    const chrony = await this.options.run('chronyc', ['tracking']).catch(() => null);
    return chrony === null ? null : parseChronyOffset(chrony);
  }

  /** The wall clock's move since the last run minus the monotonic clock's: a jump, set by hand. */
  private jump(): number | null {
    const now = { wallMs: this.options.clock.now(), monoMs: this.monotonicMs() };
    const last = this.last;
    this.last = now;
    if (last === undefined) return null;
    return now.wallMs - last.wallMs - (now.monoMs - last.monoMs);
  }
}
