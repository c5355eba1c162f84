/**
 * The USB bus as sysfs shows it, in a directory laid out the same way, and the check that turns
 * a difference between two looks into a hands-on action.
 */
import t, { type Test } from 'tap';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeUsbDevice, listUsbDevices } from '../../../src/health/usb-devices.js';
import { UsbChangeCheck, type UsbChange } from '../../../src/health/checks/usb-change-check.js';

async function sysfs(t: Test): Promise<{ root: string; plug: (port: string, ids: string, devnum: number, product?: string) => Promise<void>; unplug: (port: string) => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'tallennin-usb-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  return {
    root,
    plug: async (port, ids, devnum, product) => {
      const [vendor, productId] = ids.split(':');
      await mkdir(join(root, port), { recursive: true });
      await writeFile(join(root, port, 'idVendor'), `${vendor}\n`);
      await writeFile(join(root, port, 'idProduct'), `${productId}\n`);
      await writeFile(join(root, port, 'devnum'), `${devnum}\n`);
      if (product !== undefined) await writeFile(join(root, port, 'product'), `${product}\n`);
      // Each device has interfaces beside it, which are not devices.
      await mkdir(join(root, `${port}:1.0`), { recursive: true });
    },
    unplug: (port) => rm(join(root, port), { recursive: true, force: true }),
  };
}

t.test('when sysfs lists devices and their interfaces, then the devices are read with their ids, number and product', async (t) => {
  const bus = await sysfs(t);
  await bus.plug('usb1', '1d6b:0002', 1, 'xHCI Host Controller');
  await bus.plug('1-1', '1209:7a11', 4, 'Tallennin bridge\u0007');
  await mkdir(join(bus.root, '1-2'));
  const devices = await listUsbDevices(bus.root);
  t.same(devices, [
    { port: '1-1', vendorId: '1209', productId: '7a11', devnum: '4', product: 'Tallennin bridge' },
    { port: 'usb1', vendorId: '1d6b', productId: '0002', devnum: '1', product: 'xHCI Host Controller' },
  ], 'a directory without ids (a device going away) is skipped, control characters dropped');
  t.equal(describeUsbDevice(devices![0]!), '1-1 1209:7a11 Tallennin bridge');
  t.equal(await listUsbDevices(join(bus.root, 'missing')), null, 'no sysfs: the bus cannot be seen');
});

t.test('when a device is plugged in, pulled out, or pulled and put back between two looks, then each is one change; the first look only learns', async (t) => {
  const bus = await sysfs(t);
  await bus.plug('usb1', '1d6b:0002', 1);
  await bus.plug('1-1', '1209:7a11', 4, 'Tallennin bridge');
  const changes: UsbChange[] = [];
  const check = new UsbChangeCheck(() => listUsbDevices(bus.root), (change) => changes.push(change));
  await check.run();
  t.same(changes, [], 'what was there at start is no change');

  await bus.plug('1-2', '0781:5581', 7, 'Ultra');
  await check.run();
  t.same(changes.map((change) => [change.added.map(describeUsbDevice), change.removed.map(describeUsbDevice)]), [[['1-2 0781:5581 Ultra'], []]], 'a memory stick plugged in');

  await check.run();
  t.equal(changes.length, 1, 'nothing new, nothing reported');

  await bus.unplug('1-2');
  await bus.unplug('1-1');
  await bus.plug('1-1', '1209:7a11', 5, 'Tallennin bridge');
  await check.run();
  t.same(changes[1]!.removed.map(describeUsbDevice).sort(), ['1-1 1209:7a11 Tallennin bridge', '1-2 0781:5581 Ultra'], 'the stick pulled out, the bridge pulled out...');
  t.same(changes[1]!.added.map(describeUsbDevice), ['1-1 1209:7a11 Tallennin bridge'], '...and put back (a new devnum)');
});

t.test('when the bus cannot be seen, then nothing is reported and nothing is learnt', async (t) => {
  const changes: UsbChange[] = [];
  let devices: Awaited<ReturnType<typeof listUsbDevices>> = null;
  const check = new UsbChangeCheck(async () => devices, (change) => changes.push(change));
  await check.run();
  devices = [{ port: '1-1', vendorId: '1209', productId: '7a11', devnum: '4', product: null }];
  await check.run();
  t.same(changes, [], 'the first look that sees the bus only learns');
});
