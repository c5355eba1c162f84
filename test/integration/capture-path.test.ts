/**
 * The capture path end to end: the firmware's host build plays calls with Finnish speech on
 * several channels at once over a real pseudo-terminal; the real service records them. Each
 * recorded call's WAV export must equal its A-law source sample for sample, and every call must
 * have a contact record with P3's fields; a call to an unrecorded number has no recording.
 */
import t from 'tap';
import { join } from 'node:path';
import { startBridgeSim } from './support/bridge-sim.js';
import { runCli, startService } from './support/service-process.js';
import { createFixture, RECORDED_NUMBER, RECORDED_NUMBER_E164, speechPcm, UNRECORDED_NUMBER, wavSamples } from './support/appliance-fixture.js';

t.test('when several calls with speech run at once, then each recording equals its source and every call has its contact record', async (t) => {
  const fixture = await createFixture(t);
  const scenario = await fixture.writeScenario([
    'channels 8',
    `call 200 0 0401234567 ${RECORDED_NUMBER} 2001 jasenmaksu.alaw`,
    `call 300 1 +358501112233 ${RECORDED_NUMBER} 2002 ansiopaivaraha.alaw`,
    `call 400 5 - ${RECORDED_NUMBER} 2003 maksupaiva.alaw`,
    `call 500 6 0451234567 ${UNRECORDED_NUMBER} 2001 yhteistyo.alaw`,
  ]);
  const sim = startBridgeSim(['--scenario', scenario, '--link', fixture.linkPath, '--wait-hello', '--speed', '4']);
  t.teardown(() => sim.stop());
  await sim.waitFor('PTY ');
  const service = startService(fixture.configPath);
  t.teardown(() => service.stop());
  await service.waitForLog((line) => line.msg === 'bridge link up');
  await sim.waitFor('DONE', 60_000);
  await service.waitForLog((line) => line.msg === 'call ended' && line.channel === 1, 10_000);
  t.equal(await service.stop(), 0, 'the service stops cleanly on SIGTERM');

  const history = await fixture.history();
  const records = await history.search();
  t.equal(records.length, 4, 'one contact record per call');
  const byChannel = new Map(records.map((record) => [record.channel, record]));

  const expected = [
    { channel: 0, extension: '2001', caller: '+358401234567', agent: 'Aino Asiakaspalvelija', agentPhone: '+358501002001', file: 'jasenmaksu.alaw' },
    { channel: 1, extension: '2002', caller: '+358501112233', agent: 'Eero Esimerkki', agentPhone: '+358501002002', file: 'ansiopaivaraha.alaw' },
    { channel: 5, extension: '2003', caller: null, agent: 'Liisa Laaksonen', agentPhone: '+358501002003', file: 'maksupaiva.alaw' },
  ];
  const listed = await runCli(['recordings', 'list', '--json', '--config', fixture.configPath]);
  t.equal(listed.code, 0, listed.stderr);
  const recordings = JSON.parse(listed.stdout) as Array<{ recordingId: string }>;
  t.equal(recordings.length, 3, 'three recorded calls');

  for (const call of expected) {
    const record = byChannel.get(call.channel);
    if (record === undefined) {
      t.fail(`no contact record for channel ${call.channel}`);
      continue;
    }
    // P3: start and end time, caller, service number, the agent's name and phone number.
    t.match(record, {
      callerNumber: call.caller,
      serviceNumber: RECORDED_NUMBER_E164,
      agentExtension: call.extension,
      agentName: call.agent,
      agentPhone: call.agentPhone,
      endReason: 'completed',
      recordingState: 'completed',
    });
    t.ok(record.endedAt !== null && Date.parse(record.endedAt) > Date.parse(record.startedAt), 'end after start');
    t.ok(record.recordingId !== null && recordings.some((r) => r.recordingId === record.recordingId), 'its recording is listed');

    const out = join(fixture.dir, `${call.channel}.wav`);
    const exported = await runCli(['recordings', 'export-wav', record.recordingId!, '--out', out, '--config', fixture.configPath]);
    t.equal(exported.code, 0, exported.stderr);
    const { sampleRate, samples } = await wavSamples(out);
    const source = await speechPcm(call.file);
    t.equal(sampleRate, 8000);
    t.ok(Math.abs(samples.length - source.length) < 160, `length within one tick of the source (${samples.length} vs ${source.length})`);
    const n = Math.min(samples.length, source.length);
    let firstDifference = -1;
    for (let i = 0; i < n; i++) {
      if (samples[i] !== source[i]) {
        firstDifference = i;
        break;
      }
    }
    t.equal(firstDifference, -1, `channel ${call.channel}: exported audio equals the A-law source sample for sample`);
  }

  const unrecorded = byChannel.get(6);
  t.match(unrecorded, { serviceNumber: '+358912345678', recordingId: null, recordingState: 'not-recorded', endReason: 'completed' });

  const verified = await runCli(['recordings', 'verify', '--all', '--config', fixture.configPath]);
  t.equal(verified.code, 0, verified.stdout + verified.stderr);
});

t.test('when the service is stopped (SIGTERM) mid-call, then the call is sealed as service-stopped and no link alarm is raised', async (t) => {
  const fixture = await createFixture(t);
  const scenario = await fixture.writeScenario(['channels 4', `call 200 2 0401234567 ${RECORDED_NUMBER} 2001 ansiopaivaraha.alaw 20000`]);
  const sim = startBridgeSim(['--scenario', scenario, '--link', fixture.linkPath, '--wait-hello']);
  t.teardown(() => sim.stop());
  await sim.waitFor('PTY ');
  const service = startService(fixture.configPath);
  t.teardown(() => service.stop());
  await service.waitForLog((line) => line.msg === 'call started');
  t.equal(await service.stop(), 0, 'the service stops cleanly on SIGTERM');

  const [record] = await (await fixture.history()).search();
  t.match(record, { endReason: 'service-stopped', recordingState: 'interrupted' }, 'a normal stop is told as a stop, not as a lost link');
  t.notOk(service.logs.some((line) => line.alarm === 'BRIDGE_LINK_DOWN'), 'no BRIDGE_LINK_DOWN alarm at a normal stop');
  const ended = service.logs.filter((line) => line.msg === 'call ended');
  t.same(ended.map((line) => line.reason), ['service-stopped']);
  const verified = await runCli(['recordings', 'verify', '--all', '--config', fixture.configPath]);
  t.equal(verified.code, 0, verified.stdout + verified.stderr);
});
