import t from 'tap';
import { osdpSourceConfigSchema } from '../../../../src/doors/osdp/osdp-source-config.js';
import { createOsdpSource } from '../../../../src/doors/osdp/osdp-source.js';
import { openPtyPair } from '../../../../src/doors/osdp/pty-pair.js';
import { systemClock } from '../../../../src/clock.js';
import { silentLogger } from '../../../../src/log.js';

const base = { id: 'server-room-reader', name: 'Server room reader', devicePath: '/dev/serial/by-id/usb-rs485', doors: ['server-room'] };
const SCBK = '00112233445566778899aabbccddeeff';

void t.test('when a reader is configured with its SCBK, then the defaults are 9600 baud, address 0, Secure Channel on, 8 x 200 ms', async (t) => {
  const config = osdpSourceConfigSchema.parse({ ...base, scbk: SCBK });
  t.match(config, { kind: 'osdp', baudRate: 9600, address: 0, secureChannel: true, installMode: false, replyTimeoutMs: 200, offlineAfterMissedReplies: 8 });
});

void t.test('when the Secure Channel has no key, or install mode is on without it, then the settings say which field is wrong', async (t) => {
  const noKey = osdpSourceConfigSchema.safeParse(base);
  t.notOk(noKey.success);
  t.same(noKey.error?.issues.map((issue) => issue.path.join('.')), ['scbk']);
  const installWithoutChannel = osdpSourceConfigSchema.safeParse({ ...base, secureChannel: false, installMode: true });
  t.same(installWithoutChannel.error?.issues.map((issue) => issue.path.join('.')), ['installMode']);
  t.ok(osdpSourceConfigSchema.safeParse({ ...base, secureChannel: false }).success, 'a reader without the Secure Channel, if the maintainer says so');
  t.ok(osdpSourceConfigSchema.safeParse({ ...base, installMode: true }).success);
  const bad = osdpSourceConfigSchema.safeParse({ ...base, scbk: 'xyz', address: 127, baudRate: 1200, doors: [], id: 'Bad Id' });
  t.same(bad.error?.issues.map((issue) => issue.path.join('.')).sort(), ['address', 'baudRate', 'doors', 'id', 'scbk']);
  t.throws(() => createOsdpSource({ ...base }, { clock: systemClock, logger: silentLogger }));
});

void t.test('when a source is made and never started, then its health says stopped with no counters yet', async (t) => {
  const source = createOsdpSource({ ...base, secureChannel: false }, { clock: systemClock, logger: silentLogger });
  t.match(source.health(), { id: 'server-room-reader', kind: 'osdp', state: 'stopped', lastHeardAt: null });
  await source.stop();
});

void t.test('when socat is not there, then making a pty pair fails with a clear code', async (t) => {
  await t.rejects(openPtyPair('/tmp/none-a', '/tmp/none-b', '/nonexistent/socat'), { code: 'OSDP_PTY_UNAVAILABLE' });
  await t.rejects(openPtyPair('/nonexistent-dir/a', '/nonexistent-dir/b'), { code: 'OSDP_PTY_UNAVAILABLE' });
});

void t.test('when the adapter is not there at start, then the source is down and counts the failed opens', async (t) => {
  const source = createOsdpSource({ ...base, devicePath: '/nonexistent/ttyUSB-osdp', scbk: SCBK }, { clock: systemClock, logger: silentLogger });
  await source.start(async () => undefined);
  t.teardown(() => source.stop());
  const guard = Date.now() + 30_000; // a hang guard only
  while (source.health().state !== 'down' && Date.now() < guard) await new Promise((resolve) => setTimeout(resolve, 10));
  t.equal(source.health().state, 'down');
  t.ok((source.health().counters.lineOpenFailures ?? 0) >= 1);
  await source.stop();
  t.equal(source.health().state, 'stopped');
});
