/**
 * `tallennin demo` as a newcomer runs it (the real command, the firmware's host build on a real
 * pseudo-terminal, sped up): the scenario plays again and again on one steady link, so the box
 * looks healthy (no lost link, no alarm) pass after pass; `--faults` is the named way to see the
 * link's faults reported, and the calls go on through them.
 */
import t, { type Test } from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCommand, type LogLine } from './support/service-process.js';

/** Calls in one pass of the demo scenario (firmware-bridge/scenarios/demo/demo.scenario). */
const CALLS_PER_PASS = 5;
const ended = (logs: LogLine[]): number => logs.filter((line) => line.msg === 'call ended').length;

async function demo(t: Test, extra: string[]): Promise<ReturnType<typeof startCommand>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-demo-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const service = startCommand(['demo', '--data-dir', dataDir, '--port', '0', '--speed', '20', ...extra]);
  t.teardown(() => service.stop());
  return service;
}

t.test('when the demo runs, then pass after pass of its calls keep one link up and raise no alarm', async (t) => {
  const service = await demo(t, []);
  // Three passes: the old demo restarted the card after each one, losing the link every time.
  await service.waitForLog(() => ended(service.logs) >= 3 * CALLS_PER_PASS, 90_000);
  const alarms = service.logs.filter((line) => typeof line.alarm === 'string');
  t.same(alarms.map((line) => line.alarm), [], 'no alarm: the box looks as healthy as it is');
  t.notOk(service.logs.some((line) => line.reason === 'link-lost' || line.msg === 'call held'), 'no call lost or held by the link');
  t.equal(await service.stop(), 0, 'a clean stop');
});

t.test('when the demo runs with --faults, then the link faults are reported and the calls go on', async (t) => {
  const service = await demo(t, ['--faults']);
  const down = await service.waitForLog((line) => line.alarm === 'BRIDGE_LINK_DOWN', 90_000);
  t.ok(down, 'the outage raises the lost-link alarm');
  const before = ended(service.logs);
  await service.waitForLog(() => ended(service.logs) >= before + CALLS_PER_PASS, 90_000);
  t.pass('calls end normally after the outage');
  t.equal(await service.stop(), 0, 'a clean stop');
});
