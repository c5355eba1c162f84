/**
 * The USB devices the box sees, read from sysfs (/sys/bus/usb/devices): one directory per device
 * with its vendor and product ids, and per interface (named `1-1:1.0`), which is skipped. Read
 * directly rather than through `lsusb`: the service's sandbox has no usbutils and may not spawn
 * it, and sysfs is readable there. `devnum` changes each time a device is enumerated, so a cable
 * pulled and put back between two looks is still a change.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const USB_DEVICES_ROOT = '/sys/bus/usb/devices';

export interface UsbDevice {
  /** The port path (`1-1.2`, `usb1` for a root hub). */
  readonly port: string;
  readonly vendorId: string;
  readonly productId: string;
  /** The kernel's enumeration number on its bus: a new one at every plug-in. */
  readonly devnum: string;
  /** The product string the device gives, if any (a model name, never personal data). */
  readonly product: string | null;
}

/** The devices now, sorted by port; null when the box cannot see its USB bus (no sysfs). */
export async function listUsbDevices(root = USB_DEVICES_ROOT): Promise<UsbDevice[] | null> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return null;
  }
  const devices: UsbDevice[] = [];
  for (const port of names.sort()) {
    if (port.includes(':')) continue;
    const vendorId = await attribute(root, port, 'idVendor');
    const productId = await attribute(root, port, 'idProduct');
    // A device unplugged while it was being read is simply not there.
    if (vendorId === null || productId === null) continue;
    devices.push({ port, vendorId, productId, devnum: (await attribute(root, port, 'devnum')) ?? '', product: await attribute(root, port, 'product') });
  }
  return devices;
}

async function attribute(root: string, port: string, name: string): Promise<string | null> {
  try {
    const text = (await readFile(join(root, port, name), 'utf8')).trim();
    // Printable only, bounded: the product string comes from the device itself.
    return text.replace(/[^\x20-\x7e]/g, '').slice(0, 64) || null;
  } catch {
    return null;
  }
}

/** How a device is named in an audit entry: port, ids and product. */
export function describeUsbDevice(device: UsbDevice): string {
  return `${device.port} ${device.vendorId}:${device.productId}${device.product === null ? '' : ` ${device.product}`}`;
}
