/**
 * Dead-channel detection on recorded silence: the firmware's host build plays three calls whose
 * audio is only A-law digital silence (0xD5) on one channel and a call with speech on another,
 * through a real pseudo-terminal into the real service. The silent channel gets its DEAD_CHANNEL
 * alarm; the channel with speech does not; the calls are recorded all the same.
 */
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBridgeSim } from './support/bridge-sim.js';
import { startService } from './support/service-process.js';
import { createFixture, RECORDED_NUMBER } from './support/appliance-fixture.js';

t.test('when a channel carries only digital silence for three calls, then the service raises DEAD_CHANNEL for that channel only', async (t) => {
  const fixture = await createFixture(t);
  // One second of A-law digital silence: what a dead line port gives.
  await writeFile(join(fixture.dir, 'silence.alaw'), Buffer.alloc(8000, 0xd5));
  const scenario = await fixture.writeScenario([
    'channels 4',
    `call 200 3 0401234567 ${RECORDED_NUMBER} 2001 silence.alaw 1000`,
    `call 1400 3 0401234568 ${RECORDED_NUMBER} 2001 silence.alaw 1000`,
    `call 2600 3 0401234569 ${RECORDED_NUMBER} 2001 silence.alaw 1000`,
    `call 200 1 0501112233 ${RECORDED_NUMBER} 2002 yhteistyo.alaw 2000`,
  ]);
  const sim = startBridgeSim(['--scenario', scenario, '--link', fixture.linkPath, '--wait-hello']);
  t.teardown(() => sim.stop());
  await sim.waitFor('PTY ');
  const service = startService(fixture.configPath);
  t.teardown(() => service.stop());

  const alarm = await service.waitForLog((line) => line.alarm === 'DEAD_CHANNEL', 30_000);
  t.equal(alarm.channel, 3, 'the silent channel');
  t.equal(alarm.calls, 3, 'after three silent calls');
  await sim.waitFor('DONE', 30_000);
  await service.waitForLog((line) => line.msg === 'call ended' && line.channel === 1, 10_000);
  t.equal(await service.stop(), 0);
  t.notOk(service.logs.some((line) => line.alarm === 'DEAD_CHANNEL' && line.channel !== 3), 'no other channel is dead');
  const records = await (await fixture.history()).search();
  t.equal(records.filter((r) => r.channel === 3 && r.recordingState === 'completed').length, 3, 'the silent calls are recorded all the same');
});
