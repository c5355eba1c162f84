/**
 * The machine, through systeminformation: TEMPERATURE_HIGH from 75 °C (critical from 85 °C) and
 * MEMORY_LOW under 10 % available. A figure the hardware does not give is no alarm.
 */
import type { AlarmControl, HealthCheck } from './health-check.js';

export const TEMPERATURE_WARN_C = 75;
export const TEMPERATURE_CRITICAL_C = 85;
export const MEMORY_LOW_SHARE = 0.1;

export interface MachineFigures {
  readonly temperatureC: number | null;
  readonly memory: { totalBytes: number; availableBytes: number } | null;
}

export class MachineCheck implements HealthCheck {
  readonly name = 'machine';

  constructor(private readonly read: () => Promise<MachineFigures>, private readonly alarms: AlarmControl) {}

  async run(): Promise<void> {
    const { temperatureC, memory } = await this.read();
    if (temperatureC !== null) {
      if (temperatureC >= TEMPERATURE_WARN_C) this.alarms.raise('TEMPERATURE_HIGH', `the box is at ${temperatureC} °C`, { temperatureC }, { severity: temperatureC >= TEMPERATURE_CRITICAL_C ? 'critical' : 'warning' });
      else this.alarms.clear('TEMPERATURE_HIGH');
    }
    if (memory !== null && memory.totalBytes > 0) {
      const share = memory.availableBytes / memory.totalBytes;
      if (share < MEMORY_LOW_SHARE) this.alarms.raise('MEMORY_LOW', `only ${Math.round(share * 100)} % of memory is available`, { availablePercent: Math.round(share * 100) });
      else this.alarms.clear('MEMORY_LOW');
    }
  }
}
