/** The small health checks: dead channels, bridge heartbeat, certificate expiry, machine figures, the clock's parsers. */
import t from 'tap';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { AlarmLog } from '../../../src/health/alarms.js';
import { DEAD_CALLS, DeadChannelCheck } from '../../../src/health/checks/dead-channel-check.js';
import { BridgeCheck } from '../../../src/health/checks/bridge-check.js';
import { CertificateCheck } from '../../../src/health/checks/certificate-check.js';
import { MachineCheck } from '../../../src/health/checks/machine-check.js';
import { HealthChecks } from '../../../src/health/checks/health-checks.js';
import { parseChronyOffset, parseTimesyncOffset } from '../../../src/health/checks/clock-check.js';
import { loadTlsMaterial } from '../../../src/http/tls-certificate.js';

const ALAW_SILENCE = 0xd5;

t.test('when a channel carries only digital silence for three calls, then DEAD_CHANNEL opens for it; a call with audio closes it', async (t) => {
  const clock = new ManualClock(0);
  const alarms = new AlarmLog(clock, silentLogger);
  const check = new DeadChannelCheck(alarms, clock);
  const call = (channel: number, frame: (i: number) => Buffer): void => {
    check.onCallStart(channel);
    for (let i = 0; i < 50; i++) check.onAudio(channel, frame(i));
    check.onCallEnd(channel);
  };
  for (let n = 1; n < DEAD_CALLS; n++) call(3, () => Buffer.alloc(160, ALAW_SILENCE));
  t.notOk(alarms.isOpen('DEAD_CHANNEL', '3'), 'not yet');
  call(2, (i) => Buffer.alloc(160, i & 0xff));
  call(3, () => Buffer.alloc(160, ALAW_SILENCE));
  t.ok(alarms.isOpen('DEAD_CHANNEL', '3'), 'three silent calls in a row');
  t.notOk(alarms.isOpen('DEAD_CHANNEL', '2'), 'another channel with audio is fine');
  call(5, () => Buffer.alloc(160, 0x2a));
  check.onCallStart(5);
  check.onCallEnd(5);
  t.notOk(alarms.isOpen('DEAD_CHANNEL', '5'), 'one stuck call and one without audio are not enough');
  clock.advance(24 * 3600_000);
  await check.run();
  t.ok(alarms.isOpen('DEAD_CHANNEL', '5'), 'a channel silent for 24 hours');
  call(3, (i) => Buffer.from([i, i + 1, i + 2]));
  t.notOk(alarms.isOpen('DEAD_CHANNEL', '3'), 'real audio clears it');
});

t.test('when the link is up and no heartbeat comes for over 10 s, then BRIDGE_HEARTBEAT_LOST opens, and the next heartbeat closes it', async (t) => {
  const clock = new ManualClock(0);
  const alarms = new AlarmLog(clock, silentLogger);
  let up = true;
  const check = new BridgeCheck(() => up, alarms, clock);
  await check.run();
  t.notOk(alarms.isOpen('BRIDGE_HEARTBEAT_LOST'), 'nothing heard yet is no loss');
  check.onLinkUp();
  clock.advance(5000);
  await check.run();
  t.notOk(alarms.isOpen('BRIDGE_HEARTBEAT_LOST'));
  clock.advance(6000);
  await check.run();
  t.ok(alarms.isOpen('BRIDGE_HEARTBEAT_LOST'));
  check.onHeartbeat();
  t.notOk(alarms.isOpen('BRIDGE_HEARTBEAT_LOST'));
  up = false;
  clock.advance(60_000);
  await check.run();
  t.notOk(alarms.isOpen('BRIDGE_HEARTBEAT_LOST'), 'a link that is down has its own alarm');
});

t.test('when the TLS certificate has under 30 days left, then TLS_CERTIFICATE_EXPIRING opens, critical in its last week', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-cert-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const tls = await loadTlsMaterial({ dataDir: dir, clock, logger: silentLogger });
  const validTo = Date.parse(new (await import('node:crypto')).X509Certificate(await readFile(join(dir, 'tls', 'self-signed-cert.pem'))).validTo);
  const alarms = new AlarmLog(clock, silentLogger);
  const check = new CertificateCheck(tls.cert, alarms, clock);
  await check.run();
  t.notOk(alarms.isOpen('TLS_CERTIFICATE_EXPIRING'));
  clock.set(validTo - 20 * 24 * 3600_000);
  await check.run();
  t.match(alarms.records()[0], { code: 'TLS_CERTIFICATE_EXPIRING', severity: 'warning', fields: { days: 20 } });
  clock.set(validTo - 3 * 24 * 3600_000);
  await check.run();
  t.match(alarms.records()[0], { severity: 'critical' });
});

t.test('when the box runs hot or short of memory, then an alarm; figures the hardware lacks are no alarm', async (t) => {
  const alarms = new AlarmLog(new ManualClock(0), silentLogger);
  let figures = { temperatureC: 80 as number | null, memory: { totalBytes: 100, availableBytes: 5 } as { totalBytes: number; availableBytes: number } | null };
  const check = new MachineCheck(() => Promise.resolve(figures), alarms);
  await check.run();
  t.ok(alarms.isOpen('TEMPERATURE_HIGH'));
  t.ok(alarms.isOpen('MEMORY_LOW'));
  figures = { temperatureC: 50, memory: { totalBytes: 100, availableBytes: 50 } };
  await check.run();
  t.notOk(alarms.isOpen('TEMPERATURE_HIGH'));
  t.notOk(alarms.isOpen('MEMORY_LOW'));
  figures = { temperatureC: null, memory: null };
  await check.run();
  t.same(alarms.records().filter((alarm) => alarm.state === 'open'), []);
});

t.test('when one check throws, then the others still run', async (t) => {
  const ran: string[] = [];
  const checks = new HealthChecks([{ name: 'broken', run: () => Promise.reject(new Error('x')) }, { name: 'fine', run: () => (ran.push('fine'), Promise.resolve()) }], silentLogger);
  await checks.runAll();
  t.same(ran, ['fine']);
});

t.test('when the time services answer, then their offsets are read in milliseconds', async (t) => {
  t.equal(parseTimesyncOffset('  Offset: +2.512s\n'), 2512);
  t.equal(parseTimesyncOffset('  Offset: -312us\n'), -0.312);
  t.equal(parseTimesyncOffset('  Offset: +1min 2.5s\n'), 62_500);
  t.equal(parseTimesyncOffset('Server: x\n'), null);
  t.equal(parseChronyOffset('System time     : 1.500000000 seconds slow of NTP time\n'), -1500);
  t.equal(parseChronyOffset('Reference ID    : 0\n'), null);
});
