/**
 * A USB device plugged into or pulled out of the box is a hands-on action (someone is at the
 * box): each change is handed to `onChange`, which main.ts audits as `box.usb-change` with who
 * was in the server room (doors/hands-on-actions.ts). The first look only learns what is there.
 * It runs with the other health checks and, because a hand at the box matters sooner than the
 * disk does, on a shorter timer of its own (main.ts).
 */
import type { HealthCheck } from './health-check.js';
import type { UsbDevice } from '../usb-devices.js';

export interface UsbChange {
  readonly added: readonly UsbDevice[];
  readonly removed: readonly UsbDevice[];
}

export class UsbChangeCheck implements HealthCheck {
  readonly name = 'usb-change';
  private known: Map<string, UsbDevice> | undefined;

  constructor(
    private readonly list: () => Promise<UsbDevice[] | null>,
    private readonly onChange: (change: UsbChange) => void,
  ) {}

  async run(): Promise<void> {
    const devices = await this.list();
    // A box that cannot see its bus (a container, no sysfs) has nothing to compare.
    if (devices === null) return;
    const now = new Map(devices.map((device) => [keyOf(device), device]));
    const before = this.known;
    this.known = now;
    if (before === undefined) return;
    const added = [...now].filter(([key]) => !before.has(key)).map(([, device]) => device);
    const removed = [...before].filter(([key]) => !now.has(key)).map(([, device]) => device);
    if (added.length > 0 || removed.length > 0) this.onChange({ added, removed });
  }
}

function keyOf(device: UsbDevice): string {
  return `${device.port}|${device.vendorId}:${device.productId}|${device.devnum}`;
}
