/**
 * Faults on the link between the bridge and the service, played by the firmware's host build on
 * a real pseudo-terminal: the pty closed and reopened mid-call, and corrupted, dropped and
 * duplicated frames. The service never crashes; a call in progress stays one call with one
 * recording, the outage marked as a link-lost gap; new calls record; corruption costs at most the
 * frames it hits.
 */
import t from 'tap';
import { startBridgeSim } from './support/bridge-sim.js';
import { runCli, startService } from './support/service-process.js';
import { createFixture, RECORDED_NUMBER } from './support/appliance-fixture.js';

t.test('when the bridge closes and reopens its pseudo-terminal mid-call, then that call stays one call with one recording, the outage a link-lost gap, and new calls record', async (t) => {
  const fixture = await createFixture(t);
  const scenario = await fixture.writeScenario([
    'channels 4',
    `call 200 0 0401234567 ${RECORDED_NUMBER} 2001 maksupaiva.alaw 5000`,
    'fault 2000 disconnect 1500',
    `call 2300 2 0451234567 ${RECORDED_NUMBER} 2003 jasenmaksu.alaw 800`,
    `call 4200 1 0501112233 ${RECORDED_NUMBER} 2002 yhteistyo.alaw 2000`,
  ]);
  const sim = startBridgeSim(['--scenario', scenario, '--link', fixture.linkPath, '--wait-hello']);
  t.teardown(() => sim.stop());
  await sim.waitFor('PTY ');
  const service = startService(fixture.configPath);
  t.teardown(() => service.stop());

  await sim.waitFor('DISCONNECT', 15_000);
  await service.waitForLog((line) => line.msg === 'call held', 5_000);
  await sim.waitFor('RECONNECT', 15_000);
  await service.waitForLog((line) => line.msg === 'call resumed' && line.channel === 0, 15_000);
  await sim.waitFor('DONE', 30_000);
  await service.waitForLog((line) => line.msg === 'call ended' && line.channel === 1, 10_000);
  await service.waitForLog((line) => line.msg === 'call ended' && line.channel === 0, 10_000);
  await service.waitForLog((line) => line.msg === 'call ended' && line.channel === 2, 10_000);
  t.equal(service.process.exitCode, null, 'the service is still running');
  t.equal(await service.stop(), 0);
  t.notOk(service.logs.some((line) => line.msg === 'call ended' && line.reason === 'link-lost'), 'no call was ended by the outage');

  const records = await (await fixture.history()).search();
  t.equal(records.filter((r) => r.channel === 0).length, 1, 'the call across the outage is one call');
  const across = records.find((r) => r.channel === 0);
  const fresh = records.find((r) => r.channel === 1);
  t.match(across, { endReason: 'completed', recordingState: 'completed', resumed: false });
  t.match(fresh, { endReason: 'completed', recordingState: 'completed', resumed: false }, 'a call after the reconnect records normally');
  const unheard = records.find((r) => r.channel === 2);
  t.match(unheard, { endReason: 'completed', recordingState: 'no-audio', recordingId: null }, 'a call wholly within the outage says it has no audio, not "completed"');

  const recordings = await fixture.recordings();
  t.equal((await recordings.list()).length, 2, 'one recording per call');
  const reader = await recordings.openReader(across!.recordingId!);
  t.teardown(() => reader.close());
  t.ok(Math.abs(reader.durationMs - 5000) <= 20, `the recording spans the whole call (${reader.durationMs} ms)`);
  const outage = (await reader.gaps()).filter((gap) => gap.cause === 'link-lost');
  t.equal(outage.length, 1, 'the outage is one gap marked link-lost');
  const lostMs = (outage[0]!.endSample - outage[0]!.startSample) / 8;
  t.ok(lostMs >= 1500, `the gap is at least the time the link was down (${lostMs} ms)`);
  t.ok(outage[0]!.startSample / 8 >= 1700 && outage[0]!.startSample / 8 <= 1900, `the gap begins where the link went (${outage[0]!.startSample / 8} ms)`);

  const verified = await runCli(['recordings', 'verify', '--all', '--config', fixture.configPath]);
  t.equal(verified.code, 0, verified.stdout);
  t.match(verified.stdout, /2 ok, 0 failed/);
});

t.test('when frames are corrupted, dropped and duplicated, then the call still records completely, with lost audio as silence gaps', async (t) => {
  const fixture = await createFixture(t);
  const scenario = await fixture.writeScenario([
    'channels 4',
    `call 200 3 0401234567 ${RECORDED_NUMBER} 2003 jasenmaksu.alaw 4000`,
    'fault 1000 garbage 300',
    'fault 1500 badcrc 3',
    'fault 2000 drop 4',
    'fault 2500 dup 5',
    'fault 4200 drop 1',
  ]);
  const sim = startBridgeSim(['--scenario', scenario, '--link', fixture.linkPath, '--wait-hello', '--speed', '2']);
  t.teardown(() => sim.stop());
  await sim.waitFor('PTY ');
  const service = startService(fixture.configPath);
  t.teardown(() => service.stop());
  await sim.waitFor('DONE', 30_000);
  await service.waitForLog((line) => line.msg === 'call ended', 10_000);
  t.equal(await service.stop(), 0);

  const [record] = await (await fixture.history()).search();
  t.match(record, { endReason: 'completed', recordingState: 'completed', callerNumber: '+358401234567' }, 'the end signal got through (resent after the drop at 4.2 s)');
  const listed = JSON.parse((await runCli(['recordings', 'list', '--json', '--config', fixture.configPath])).stdout) as Array<{ durationMs: number }>;
  t.equal(listed.length, 1);
  t.equal(listed[0]?.durationMs, 4000, 'time stays true: lost frames are filled, the duration is the call’s');
  const verified = await runCli(['recordings', 'verify', '--all', '--config', fixture.configPath]);
  t.equal(verified.code, 0, verified.stdout);
  const faultLines = sim.lines.filter((line) => line.startsWith('FAULT'));
  t.equal(faultLines.length, 5, 'every fault was injected');

  // The damage is told to a person: a log line (counts only) with the named link error counters.
  const told = service.logs.filter((line) => line.msg === 'link errors');
  t.ok(told.length >= 1, 'the link errors were logged');
  const sum = (name: string): number => told.reduce((total, line) => total + Number(line[name] ?? 0), 0);
  t.ok(sum('rxCrcErrors') >= 3, `CRC errors counted (${sum('rxCrcErrors')})`);
  t.ok(sum('garbageBytes') >= 300, `garbage bytes counted (${sum('garbageBytes')})`);
  t.ok(sum('duplicateFrames') >= 5, `duplicate frames counted (${sum('duplicateFrames')})`);
  t.ok(sum('lostFrames') >= 5, `lost frames counted (${sum('lostFrames')})`);
  t.notMatch(JSON.stringify(told), /358401234567|0401234567/, 'no phone number in the log line');
});
