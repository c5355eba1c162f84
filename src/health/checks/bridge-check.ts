/**
 * The bridge: while the link is up, a HEARTBEAT comes every second (PROTOCOL.md); none for
 * 10 s is BRIDGE_HEARTBEAT_LOST, cleared by the next one. Link loss and CRC/resync rates have
 * their own alarms (BRIDGE_LINK_DOWN in main.ts, LINK_ERRORS in capture/link-errors.ts).
 */
import type { Clock } from '../../clock.js';
import type { AlarmControl, HealthCheck } from './health-check.js';

export const HEARTBEAT_LOST_MS = 10_000;

export class BridgeCheck implements HealthCheck {
  readonly name = 'bridge';
  private lastHeartbeatMs: number | undefined;

  constructor(private readonly isLinkUp: () => boolean, private readonly alarms: AlarmControl, private readonly clock: Clock) {}

  onHeartbeat(): void {
    this.lastHeartbeatMs = this.clock.now();
    this.alarms.clear('BRIDGE_HEARTBEAT_LOST');
  }

  /** A link that went down is another alarm; the heartbeat is watched again from the next link-up. */
  onLinkUp(): void {
    this.lastHeartbeatMs = this.clock.now();
  }

  run(): Promise<void> {
    if (this.isLinkUp() && this.lastHeartbeatMs !== undefined) {
      const silentMs = this.clock.now() - this.lastHeartbeatMs;
      if (silentMs > HEARTBEAT_LOST_MS) this.alarms.raise('BRIDGE_HEARTBEAT_LOST', `no heartbeat from the bridge for ${Math.round(silentMs / 1000)} s`, { silentSeconds: Math.round(silentMs / 1000) });
    }
    return Promise.resolve();
  }
}
