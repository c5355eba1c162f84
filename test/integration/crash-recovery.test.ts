/**
 * kill -9 of the service in the middle of a recorded call, then a restart: the recording keeps
 * the audio up to within about a second of the kill, is sealed as interrupted and verifies; the
 * contact record is closed; no document is corrupt; and the call, still going on at the card, is
 * picked up again after the restart (RESUMED).
 */
import t from 'tap';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBridgeSim } from './support/bridge-sim.js';
import { runCli, startService } from './support/service-process.js';
import { createFixture, RECORDED_NUMBER, speechPcm, wavSamples } from './support/appliance-fixture.js';

t.test('when the service is killed with SIGKILL mid-call and restarted, then the recording survives up to the kill, interrupted and verified', async (t) => {
  const fixture = await createFixture(t);
  const scenario = await fixture.writeScenario(['channels 4', `call 300 2 0401234567 ${RECORDED_NUMBER} 2001 ansiopaivaraha.alaw 9000`]);
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
  // The card never stopped: after the new HELLO the bridge announces the call again (RESUMED).
  await second.waitForLog((line) => line.msg === 'call started' && line.resumed === true);
  await sim.waitFor('DONE', 30_000);
  await second.waitForLog((line) => line.msg === 'call ended' && line.reason === 'completed', 10_000);
  t.equal(await second.stop(), 0);

  const records = await (await fixture.history()).search();
  t.equal(records.length, 2, 'the interrupted call and its resumed continuation');
  const interrupted = records.find((record) => !record.resumed);
  const resumed = records.find((record) => record.resumed);
  t.match(interrupted, { resumed: false, endReason: 'service-stopped', recordingState: 'interrupted' });
  t.match(resumed, { resumed: true, endReason: 'completed', recordingState: 'completed' });

  const out = join(fixture.dir, 'interrupted.wav');
  const exported = await runCli(['recordings', 'export-wav', interrupted!.recordingId!, '--out', out, '--config', fixture.configPath]);
  t.equal(exported.code, 0, exported.stderr);
  t.match(exported.stdout, /outcome interrupted/);
  const { samples } = await wavSamples(out);
  const keptMs = samples.length / 8;
  t.ok(keptMs >= heardMs - 1300, `kept ${keptMs} ms of the ${heardMs} ms heard before the kill (at most ~1 s lost)`);
  t.ok(keptMs <= heardMs + 200, `kept no more than was heard (${keptMs} <= ${heardMs})`);
  const source = await speechPcm('ansiopaivaraha.alaw');
  t.same(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength), Buffer.from(source.buffer, source.byteOffset, samples.byteLength), 'the kept audio is the start of the call');
  t.equal(Date.parse(interrupted!.endedAt!) - Date.parse(interrupted!.startedAt), Math.round(keptMs), 'the record ends where the recording does');

  const verified = await runCli(['recordings', 'verify', '--all', '--config', fixture.configPath]);
  t.equal(verified.code, 0, verified.stdout);
  t.match(verified.stdout, /2 ok, 0 failed/);
  const quarantine = await readdir(join(fixture.dataDir, 'quarantine')).catch(() => []);
  t.same(quarantine, [], 'no document or recording was quarantined');
});
