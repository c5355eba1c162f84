/**
 * Leftovers of crashes and lost files are cleaned at start, and only what recovery proves
 * orphaned: a key whose contact record is gone with the purge, a key of a call closed without a
 * recording, a temp file of an interrupted key write, a purge's shredding cut short. A key
 * whose file was lost while its record still says "recorded" stays (a backup may bring the
 * file back), and a recording being written is never touched.
 */
import t from 'tap';
import { mkdtemp, rm, readdir, writeFile, copyFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/clock.js';
import { silentLogger, createLogger } from '../../src/log.js';
import { parseConfig } from '../../src/config/load-config.js';
import { startAppliance } from '../../src/main.js';
import { PasswordHasher } from '../../src/access/password-hasher.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { ContactHistory } from '../../src/history/contact-history.js';
import { wrapDataKey } from '../../src/recording/recording-keys.js';
import { recordCall } from './support/record-calls.js';

t.test('when leftovers are planted, then start removes those proven orphaned, keeps the rest, logs and audits it', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-leftovers-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const now = Date.UTC(2026, 10, 28, 8, 0, 0);
  const intact = await recordCall(dataDir, now - 3600_000, 0);
  const fileLost = await recordCall(dataDir, now - 3500_000, 1);
  const shredCutShort = await recordCall(dataDir, now - 3400_000, 2);

  const storage = await openStorage({ dataDir, mode: 'demo', clock: new ManualClock(now), logger: silentLogger });
  const keyFile = (id: string): string => join(dataDir, 'keys', `${id}.key`);
  const sealedFile = (id: string): string => join(dataDir, 'recordings', `${id}.tlr`);
  // A recording file lost while its record says completed: its key must stay.
  await rm(sealedFile(fileLost));
  // The purge shredded a key and the service died before the file went.
  await copyFile(sealedFile(shredCutShort), join(dataDir, 'copy.tlr'));
  await storage.recordings.destroy(shredCutShort);
  await copyFile(join(dataDir, 'copy.tlr'), sealedFile(shredCutShort));
  await writeFile(join(dataDir, 'keys', `${shredCutShort}.shredded`), '{}');
  // The key of a recording whose contact record the purge has already removed.
  const purgedRecord = randomUUID();
  await writeFile(keyFile(purgedRecord), wrapDataKey(randomBytes(32), purgedRecord, storage.keys.recordingWrapKey));
  // A crash between writing a call's key and creating its recording file: the record is open.
  const neverWritten = randomUUID();
  await writeFile(keyFile(neverWritten), wrapDataKey(randomBytes(32), neverWritten, storage.keys.recordingWrapKey));
  await new ContactHistory(storage.documents).add({
    callId: randomUUID(),
    startedAt: new Date(now - 600_000).toISOString(),
    endedAt: null,
    callerNumber: '+358401234567',
    serviceNumber: '+358201234567',
    agentExtension: '2001',
    agentName: null,
    agentPhone: null,
    channel: 3,
    recordingId: neverWritten,
    recordingState: 'recording',
    endReason: null,
    resumed: false,
  });
  // A key write interrupted by a crash.
  await writeFile(join(dataDir, 'keys', `.${randomUUID()}.key.0123456789ab.tmp`), 'partial');

  const logLines: string[] = [];
  const logger = createLogger({ level: 'info', sink: { write: (line: string) => logLines.push(line) } });
  const clock = new ManualClock(now);
  const config = parseConfig({
    mode: 'demo',
    dataDir,
    bridge: { path: join(dataDir, 'no-bridge') },
    http: { host: '127.0.0.1', port: 0 },
    recording: { recordedServiceNumbers: ['0201234567'] },
  });
  const appliance = await startAppliance(config, { clock, logger, capture: 'inline', hasher: new PasswordHasher({ params: { memoryCost: 19456, timeCost: 2, parallelism: 1 } }) });
  t.teardown(() => appliance.stop());

  const keys = (await readdir(join(dataDir, 'keys'))).sort();
  t.same(keys, [`${fileLost}.key`, `${intact}.key`].sort(), 'only the intact key and the key of the lost file are left');
  t.same((await readdir(join(dataDir, 'recordings'))).sort(), [`${intact}.tlr`], 'the shredded recording’s file went with it');
  const log = logLines.join('\n');
  t.match(log, /leftovers of earlier runs removed/);
  t.match(log, new RegExp(purgedRecord));
  t.match(log, /data keys without a recording file kept/);
  t.match(appliance.alarms.list(), [{ code: 'RECORDING_FILE_MISSING' }], 'and the maintainer sees an alarm');
  t.notMatch(log, /358401234567|0401234567/, 'no phone number in the log');
  const audited = await appliance.audit.search({ action: 'recording.leftovers' });
  t.equal(audited.total, 1, 'the clean-up is in the audit trail');
  t.match(audited.records[0], { outcome: 'success', actorId: null, details: { shreddedKeys: 2, finishedShreds: 1, tempKeyFiles: 1, keptKeys: 1 } });
  t.match(String(audited.records[0]!.details!.recordingIds), new RegExp(neverWritten));

  // A call being recorded now: however sure a later clean-up is, its key stays.
  appliance.capture.inlineTracker.onHeartbeat({ uptimeMs: 1000, tick: 50, activeChannels: [] });
  appliance.capture.inlineTracker.onCallStart({ bootId: 1, channel: 5, callRef: 9, tick: 50, caller: '0401234567', called: '0201234567', agentExtension: '2001', resumed: false });
  for (let i = 0; i < 60; i++) appliance.capture.inlineTracker.onAudio({ tick: 50 + i, channels: [{ channel: 5, samples: Buffer.alloc(160, 0x55) }] });
  await appliance.capture.inlineTracker.drain();
  // The capture path writes it (in its own thread in production): its contact record names it.
  const [record] = await appliance.history.search({ openOnly: true });
  const live = record?.recordingId ?? undefined;
  t.ok(live !== undefined, 'a recording is being written');
  const again = await appliance.storage.recordings.shredLeftovers(async (ids) => new Set(ids));
  t.notOk(again.shreddedKeys.includes(live!));
  await access(keyFile(live!));
});
