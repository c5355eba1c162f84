/**
 * Hands-on actions on the box and who was in the server room: the firmware's host build on a
 * real pseudo-terminal is the bridge; killing it is the bridge's cable pulled out. The audit
 * entry of the lost link records who was badged in, and BOX_TOUCHED_UNATTENDED is raised only
 * when nobody was.
 */
import t, { type Test } from 'tap';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridgeSim } from './support/bridge-sim.js';
import { SPEECH_DIR } from './support/appliance-fixture.js';
import { firstAdministrator, PASSWORD, startApiAppliance, type ApiFixture } from './support/api-appliance.js';
import { doorEvent, postDoorEvents, putDoorSettings, WEBHOOK_SECRET, WEBHOOK_SOURCE } from './support/door-controller.js';
import type { AuditRecord } from '../../src/access/audit-entry.js';
import type { ApiClient } from './support/https-client.js';

/** Polls a condition of the running appliance; a hang guard only, never a timing assertion. */
async function until<T>(what: string | (() => string), probe: () => Promise<T | undefined> | T | undefined, guardMs = 60_000): Promise<T> {
  const deadline = Date.now() + guardMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`hang guard: ${typeof what === "string" ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function boxWithBridge(t: Test, options: { usbDevicesRoot?: string } = {}): Promise<{ fixture: ApiFixture; admin: ApiClient; unplug: () => Promise<void>; badge: (card: string, direction: 'in' | 'out') => Promise<void>; adminId: string; enrol: (card: string) => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-hands-on-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await copyFile(join(SPEECH_DIR, 'jasenmaksu.alaw'), join(dir, 'jasenmaksu.alaw'));
  const scenario = join(dir, 'long-call.scenario');
  // One long call keeps the bridge running until the test pulls its cable.
  await writeFile(scenario, 'channels 4\ncall 200 0 0401234567 0201234567 2001 jasenmaksu.alaw 600000\n');
  const linkPath = join(dir, 'bridge-link');
  const sim = startBridgeSim(['--scenario', scenario, '--link', linkPath, '--wait-hello']);
  t.teardown(() => sim.stop());
  await sim.waitFor('PTY ');
  const fixture = await startApiAppliance(t, { config: { bridge: { path: linkPath } }, ...options });
  const { admin } = await firstAdministrator(fixture);
  const adminId = (await admin.get('/api/v1/me')).json<{ id: string }>().id;
  await putDoorSettings(admin, { sources: [WEBHOOK_SOURCE], serverRoomDoors: ['Palvelinhuone'] });
  await until('the bridge link is up', () => (fixture.appliance.capture.isLinkUp ? true : undefined));
  const ca = await readFile(join(fixture.dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  let n = 0;
  return {
    fixture,
    admin,
    adminId,
    unplug: () => sim.stop(),
    enrol: async (card) => {
      const res = await admin.send('PUT', `/api/v1/users/${adminId}/door-card`, { body: { card } });
      if (res.status !== 200) throw new Error(`enrol: ${res.status}`);
    },
    badge: async (card, direction) => {
      const res = await postDoorEvents(fixture.appliance.web.address.port, ca, { source: WEBHOOK_SOURCE.id, secret: WEBHOOK_SECRET, body: JSON.stringify({ events: [doorEvent(`h-${++n}`, fixture.clock.now(), { card, direction })] }), timestamp: Math.floor(fixture.clock.now() / 1000) });
      if (res.status !== 200) throw new Error(`badge: ${res.status}`);
    },
  };
}

async function linkLostEntry(fixture: ApiFixture): Promise<AuditRecord> {
  return until(() => `the lost link is audited (alarms: ${fixture.appliance.alarms.list().map((alarm) => `${alarm.code} ${JSON.stringify(alarm.fields)}`).join('; ')}; link up: ${String(fixture.appliance.capture.isLinkUp)})`, async () => (await fixture.appliance.audit.search({ action: 'box.bridge-link-lost' })).records[0]);
}

const unattended = (fixture: ApiFixture, action: string): boolean => fixture.appliance.alarms.list().some((alarm) => alarm.code === 'BOX_TOUCHED_UNATTENDED' && alarm.fields.action === action);

t.test('when the bridge is unplugged with nobody in the server room, then the entry says so and BOX_TOUCHED_UNATTENDED is raised', async (t) => {
  const { fixture, unplug } = await boxWithBridge(t);
  await unplug();
  const entry = await linkLostEntry(fixture);
  t.match(entry.details, { presentUsers: '', presentVisitors: 0 });
  t.ok(unattended(fixture, 'box.bridge-link-lost'), 'BOX_TOUCHED_UNATTENDED raised');
  t.ok(fixture.appliance.alarms.list().some((alarm) => alarm.code === 'BRIDGE_LINK_DOWN'), 'and the lost link itself');

  // A sign-in at the box's own console (127.0.0.1) is hands-on too; one from a workstation is not.
  await fixture.client({ localAddress: '127.0.0.2' }).login('yllapitaja', PASSWORD);
  t.notOk(unattended(fixture, 'auth.login'), 'a sign-in from a workstation is not handling the box');
  await fixture.client().login('yllapitaja', PASSWORD);
  t.ok(unattended(fixture, 'auth.login'), 'a sign-in at the console with nobody in the room');
  const consoleEntry = (await fixture.appliance.audit.search({ action: 'auth.login' })).records[0];
  t.match(consoleEntry?.details, { presentUsers: '', presentVisitors: 0 }, 'its entry records who was present');
});

t.test('when the bridge is unplugged by someone badged into the server room, then the entry names them and no BOX_TOUCHED_UNATTENDED is raised', async (t) => {
  const { fixture, admin, unplug, badge, enrol, adminId } = await boxWithBridge(t);
  await enrol('7777');
  await badge('7777', 'in');
  await unplug();
  const entry = await linkLostEntry(fixture);
  t.match(entry.details, { presentUsers: adminId, presentVisitors: 0, presenceUnknown: 0 });
  t.notOk(unattended(fixture, 'box.bridge-link-lost'), 'no BOX_TOUCHED_UNATTENDED for the unplug');
  // The box's events beside the door events, for the Server room view.
  const timeline = (await admin.get('/api/v1/doors/timeline')).json<{ doorEvents: Array<{ userId: string | null }>; boxEvents: Array<{ action: string; presentUsers: string[] }> }>();
  t.match(timeline.boxEvents.find((event) => event.action === 'box.bridge-link-lost'), { presentUsers: [adminId] });
  t.equal(timeline.doorEvents[0]!.userId, adminId, 'the badge, by the enrolled user');
});

t.test('when a USB device is plugged into the box, then the change is audited with who was in the server room, and BOX_TOUCHED_UNATTENDED is raised only with nobody there', async (t) => {
  // The box's USB bus as sysfs lays it out, in a directory of the test's own.
  const usb = await mkdtemp(join(tmpdir(), 'tallennin-usb-'));
  t.teardown(() => rm(usb, { recursive: true, force: true }));
  const plug = async (port: string, ids: string, devnum: number, product: string): Promise<void> => {
    await mkdir(join(usb, port));
    const [vendor, productId] = ids.split(':');
    await writeFile(join(usb, port, 'idVendor'), `${vendor}\n`);
    await writeFile(join(usb, port, 'idProduct'), `${productId}\n`);
    await writeFile(join(usb, port, 'devnum'), `${devnum}\n`);
    await writeFile(join(usb, port, 'product'), `${product}\n`);
  };
  await plug('1-1', '1209:7a11', 4, 'Tallennin bridge');
  const { fixture, badge, enrol, adminId } = await boxWithBridge(t, { usbDevicesRoot: usb });
  const usbEntries = async (): Promise<AuditRecord[]> => (await fixture.appliance.audit.search({ action: 'box.usb-change' })).records;
  await fixture.appliance.healthChecks.runAll();
  t.same(await usbEntries(), [], 'what was plugged in at start is no change');

  await plug('1-2', '0781:5581', 7, 'Ultra');
  await fixture.appliance.healthChecks.runAll();
  const alone = await usbEntries();
  t.equal(alone.length, 1, 'a memory stick plugged in is audited');
  t.match(alone[0]!.details, { added: '1-2 0781:5581 Ultra', removed: '', presentUsers: '', presentVisitors: 0 });
  t.ok(unattended(fixture, 'box.usb-change'), 'BOX_TOUCHED_UNATTENDED with nobody in the room');

  const raisedTimes = (): number => fixture.appliance.alarms.records().filter((alarm) => alarm.code === 'BOX_TOUCHED_UNATTENDED' && alarm.fields.action === 'box.usb-change').reduce((sum, alarm) => sum + alarm.count, 0);
  const before = raisedTimes();
  await enrol('8888');
  await badge('8888', 'in');
  await rm(join(usb, '1-2'), { recursive: true });
  await fixture.appliance.healthChecks.runAll();
  const present = await usbEntries();
  t.equal(present.length, 2, 'the stick pulled out is audited too');
  t.match(present[0]!.details, { added: '', removed: '1-2 0781:5581 Ultra', presentUsers: adminId, presentVisitors: 0 });
  t.equal(raisedTimes(), before, 'no BOX_TOUCHED_UNATTENDED with someone in the room');
});
