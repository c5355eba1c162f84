/**
 * kill -9 of the service in the middle of a recorded call, then a restart: the call, still going
 * on at the card, is announced again by the bridge (RESUMED) and goes on in the SAME recording;
 * the time the service was away is a gap marked 'service-restart', the audio before it keeps up
 * to within about a second of the kill, the audio after it sits at its true time (never silence
 * back-filled from the call's start), and everything verifies; no document is corrupt.
 */
import t from 'tap';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBridgeSim } from './support/bridge-sim.js';
import { runCli, startService } from './support/service-process.js';
import { createFixture, RECORDED_NUMBER, speechPcm, wavSamples } from './support/appliance-fixture.js';

t.test('when the service is killed with SIGKILL mid-call and restarted, then the call stays one recording with a service-restart gap, and verifies', async (t) => {
  const fixture = await createFixture(t);
  const scenario = await fixture.writeScenario(['channels 4', `call 300 2 0401234567 ${RECORDED_NUMBER} 2001 ansiopaivaraha.alaw 11000`]);
  const sim = startBridgeSim(['--scenario', scenario, '--link', fixture.linkPath, '--wait-hello']);
  t.teardown(() => sim.stop());
  await sim.waitFor('PTY ');

  const first = startService(fixture.configPath);
  t.teardown(() => first.stop());
  const started = await first.waitForLog((line) => line.msg === 'call started');
  const callStartedMs = Date.parse(String(started.time));
  await sleep(3500);
  const killedMs = Date.now();
  first.process.kill('SIGKILL');
  t.equal((await first.exited).signal, 'SIGKILL');
  const heardMs = killedMs - callStartedMs;

  const second = startService(fixture.configPath);
  t.teardown(() => second.stop());
  await second.waitForLog((line) => line.msg === 'recovered from an unclean stop');
  // The card never stopped: after the new HELLO the bridge announces the call again (RESUMED) and
  // it goes on; on a machine so busy that the restart outlasts the call, the bridge's resent end
  // signal ends it instead. Either way it is one call, one recording, one service-restart gap.
  await sim.waitFor('DONE', 60_000);
  await second.waitForLog((line) => line.msg === 'call ended' && line.reason === 'completed', 10_000);
  t.equal(await second.stop(), 0);
  const resumed = second.logs.some((line) => line.msg === 'call resumed' && line.cause === 'service-restart');
  t.comment(resumed ? 'the call went on after the restart' : 'the call ended before the service was back');
  t.ok(second.logs.some((line) => line.msg === 'call held' && line.cause === 'service-restart'), 'the restarted service took the call over');

  const records = await (await fixture.history()).search();
  t.equal(records.length, 1, 'one call, one contact record');
  const [record] = records;
  t.match(record, { resumed: false, endReason: 'completed', recordingState: 'completed' });
  const listed = JSON.parse((await runCli(['recordings', 'list', '--json', '--config', fixture.configPath])).stdout) as unknown[];
  t.equal(listed.length, 1, 'one recording');

  const recordings = await fixture.recordings();
  const reader = await recordings.openReader(record!.recordingId!);
  const gaps = await reader.gaps();
  await reader.close();
  const restart = gaps.filter((gap) => gap.cause === 'service-restart');
  t.equal(restart.length, 1, 'the time the service was away is one service-restart gap');
  const keptMs = restart[0]!.startSample / 8;
  t.ok(keptMs >= heardMs - 1300, `kept ${keptMs} ms of the ${heardMs} ms heard before the kill (at most ~1 s lost)`);
  t.ok(keptMs <= heardMs + 200, `kept no more than was heard (${keptMs} <= ${heardMs})`);

  const out = join(fixture.dir, 'call.wav');
  const exported = await runCli(['recordings', 'export-wav', record!.recordingId!, '--out', out, '--config', fixture.configPath]);
  t.equal(exported.code, 0, exported.stderr);
  const { samples } = await wavSamples(out);
  const source = await speechPcm('ansiopaivaraha.alaw');
  t.equal(samples.length / 8, 11000, 'the recording spans the whole call, start to end');
  const same = (from: number, to: number): boolean => Buffer.from(samples.buffer, samples.byteOffset + 2 * from, 2 * (to - from)).equals(Buffer.from(source.buffer, source.byteOffset + 2 * from, 2 * (to - from)));
  t.ok(same(0, restart[0]!.startSample), 'before the gap: the start of the call');
  t.ok(same(restart[0]!.endSample, samples.length), 'after the gap: the call at its true time, not shifted, not back-filled');
  t.equal(Date.parse(record!.endedAt!) - Date.parse(record!.startedAt) > 10_000, true, 'the record ends with the call');

  const verified = await runCli(['recordings', 'verify', '--all', '--config', fixture.configPath]);
  t.equal(verified.code, 0, verified.stdout);
  t.match(verified.stdout, /1 ok, 0 failed/);
  const quarantine = await readdir(join(fixture.dataDir, 'quarantine')).catch(() => []);
  t.same(quarantine, [], 'no document or recording was quarantined');
});
