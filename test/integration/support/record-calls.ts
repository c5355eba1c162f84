/**
 * Writes calls into a data directory through the real call tracker and stores, at a chosen
 * time: for tests of offline commands (purge, verify) that need data of a given age.
 */
import type { Test } from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { openStorage } from '../../../src/storage/open-storage.js';
import { ContactHistory } from '../../../src/history/contact-history.js';
import { CallTracker } from '../../../src/calls/call-tracker.js';
import { RecordingRules } from '../../../src/calls/recording-rules.js';
import { AgentDirectory } from '../../../src/calls/agent-directory.js';
import { AlarmLog } from '../../../src/health/alarms.js';

/**
 * Records one 1.2 s call on `channel` at `atMs` (demo key of the data directory), the ticks in
 * `lostTicks` never arriving (they become a filled gap); returns its recording id.
 */
export async function recordCall(dataDir: string, atMs: number, channel: number, options: { lostTicks?: ReadonlySet<number> } = {}): Promise<string> {
  const clock = new ManualClock(atMs);
  const storage = await openStorage({ dataDir, mode: 'demo', clock, logger: silentLogger });
  const history = new ContactHistory(storage.documents);
  const tracker = new CallTracker({
    history,
    recordings: storage.recordings,
    rules: new RecordingRules(['0201234567'], 'FI'),
    agents: new AgentDirectory([], 'FI'),
    clock,
    logger: silentLogger,
    alarms: new AlarmLog(clock, silentLogger),
    defaultRegion: 'FI',
  });
  tracker.onCallStart({ bootId: 1, channel, callRef: channel + 1, tick: 0, caller: '0401234567', called: '0201234567', agentExtension: '2001', resumed: false });
  for (let tick = 0; tick < 60; tick++) {
    if (options.lostTicks?.has(tick) !== true) tracker.onAudio({ tick, channels: [{ channel, samples: Buffer.alloc(160, (0x55 + tick) & 0xff) }] });
  }
  tracker.onCallEnd({ bootId: 1, channel, callRef: channel + 1, tick: 60, cause: 'normal' });
  await tracker.drain();
  const records = await history.search({ predicate: (record) => record.channel === channel && Date.parse(record.startedAt) === atMs });
  const recordingId = records[0]?.recordingId;
  if (recordingId == null) throw new Error('the call was not recorded');
  return recordingId;
}

/** A data directory of its own (removed after the test) with `count` recorded calls, a minute old. */
export async function dataWithRecordings(t: Test, count: number): Promise<{ dataDir: string; ids: string[] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-cli-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const ids: string[] = [];
  for (let channel = 0; channel < count; channel++) ids.push(await recordCall(dataDir, Date.now() - 60_000 + channel, channel));
  return { dataDir, ids };
}

/** Where a recording's file lies in a data directory. */
export const recordingFile = (dataDir: string, id: string): string => join(dataDir, 'recordings', `${id}.tlr`);
