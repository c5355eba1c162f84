/**
 * Dead channels: a channel whose calls carry only digital silence (one byte repeated: A-law
 * silence is 0xD5, a stuck line any other constant) has a broken line or card port, and its
 * recordings are worthless. DEAD_CHANNEL (keyed by the channel) is raised when DEAD_CALLS calls
 * in a row were dead, or the channel's calls have been dead for DEAD_HOURS; a call with real
 * audio clears it. Fed with the audio events the recorder gets (one byte scan per frame).
 */
import type { Clock } from '../../clock.js';
import type { AlarmControl, HealthCheck } from './health-check.js';

export const DEAD_CALLS = 3;
export const DEAD_HOURS = 24;

interface CallAudio {
  /** The first byte heard, and whether every byte since was the same. */
  firstByte: number | undefined;
  constant: boolean;
}

interface Streak {
  calls: number;
  sinceMs: number;
}

export class DeadChannelCheck implements HealthCheck {
  readonly name = 'dead-channel';
  private readonly calls = new Map<number, CallAudio>();
  private readonly streaks = new Map<number, Streak>();

  constructor(private readonly alarms: AlarmControl, private readonly clock: Clock) {}

  onCallStart(channel: number): void {
    this.calls.set(channel, { firstByte: undefined, constant: true });
  }

  onAudio(channel: number, samples: Buffer): void {
    const call = this.calls.get(channel);
    if (call === undefined || !call.constant || samples.length === 0) return;
    const first = call.firstByte ?? (samples[0] as number);
    call.firstByte = first;
    for (let i = 0; i < samples.length; i++) {
      if (samples[i] !== first) {
        call.constant = false;
        return;
      }
    }
  }

  onCallEnd(channel: number): void {
    const call = this.calls.get(channel);
    this.calls.delete(channel);
    // A call with no audio at all says nothing about the line.
    if (call === undefined || call.firstByte === undefined) return;
    if (!call.constant) {
      this.streaks.delete(channel);
      this.alarms.clear('DEAD_CHANNEL', String(channel));
      return;
    }
    const streak = this.streaks.get(channel) ?? { calls: 0, sinceMs: this.clock.now() };
    streak.calls++;
    this.streaks.set(channel, streak);
    this.evaluate(channel, streak);
  }

  run(): Promise<void> {
    for (const [channel, streak] of this.streaks) this.evaluate(channel, streak);
    return Promise.resolve();
  }

  private evaluate(channel: number, streak: Streak): void {
    const hours = (this.clock.now() - streak.sinceMs) / 3600_000;
    if (streak.calls >= DEAD_CALLS || hours >= DEAD_HOURS) {
      this.alarms.raise('DEAD_CHANNEL', `channel ${channel} carried only silence in its last ${streak.calls} calls`, { channel, calls: streak.calls, hours: Math.floor(hours) }, { key: String(channel) });
    }
  }
}
