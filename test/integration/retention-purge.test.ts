/**
 * P7: contact-history identification data are kept at most 3 months. Calls recorded three months
 * and a day ago are written through the real call tracker and stores (with the clock set back),
 * then the real `tallennin purge` runs with the real clock: nothing older than the limit
 * remains, and the recordings' wrapped keys are gone (crypto-shredding).
 */
import t from 'tap';
import { mkdtemp, rm, readdir, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { ContactHistory } from '../../src/history/contact-history.js';
import { retentionCutoffMs } from '../../src/retention/retention-purge.js';
import { WaveformStore } from '../../src/recording/waveform.js';
import { runCli } from './support/service-process.js';
import { recordCall } from './support/record-calls.js';

const DAY_MS = 24 * 3600 * 1000;

t.test('when purge runs 3 months and a day after calls, then their records, recordings and keys are gone and newer calls stay', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-purge-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const now = Date.now();
  // A day past the limit, at 01:00 UTC so that both expired calls fall on one UTC day.
  const expiredDay = Math.floor((retentionCutoffMs(now, 3) - DAY_MS) / DAY_MS) * DAY_MS;
  const expiredAt = expiredDay + 3600_000;
  const expiredRecording = await recordCall(dataDir, expiredAt, 0);
  await recordCall(dataDir, expiredAt + 3600_000, 1);
  await recordCall(dataDir, now - DAY_MS, 2);
  t.equal((await readdir(join(dataDir, 'keys'))).length, 3);
  // A waveform was drawn for the expired call: derived from it, it must go with it.
  const before = await openStorage({ dataDir, mode: 'demo', clock: new ManualClock(now), logger: silentLogger });
  const reader = await before.recordings.openReader(expiredRecording);
  await new WaveformStore(before.documents).peaks(reader);
  await reader.close();
  const waveformFile = join(dataDir, 'documents', 'waveforms', `${expiredRecording}.tdoc`);
  await access(waveformFile);

  const dry = await runCli(['purge', '--dry-run', '--json', '--data-dir', dataDir]);
  t.equal(dry.code, 0, dry.stderr);
  t.match(JSON.parse(dry.stdout), { dryRun: true, contactRecords: 2, recordings: 2 });
  t.equal((await readdir(join(dataDir, 'keys'))).length, 3, 'a dry run destroys nothing');

  const purged = await runCli(['purge', '--data-dir', dataDir]);
  t.equal(purged.code, 0, purged.stderr);
  t.match(purged.stdout, /removed 2 contact records \(1 whole days\) and 2 recordings/);

  const storage = await openStorage({ dataDir, mode: 'demo', clock: new ManualClock(now), logger: silentLogger });
  const remaining = await new ContactHistory(storage.documents).search();
  t.same(remaining.map((record) => record.channel), [2], 'only the call within the limit remains');
  const listed = await storage.recordings.list();
  t.same(listed.map((entry) => entry.recordingId), [remaining[0]!.recordingId]);
  t.same(await readdir(join(dataDir, 'keys')), [`${remaining[0]!.recordingId}.key`], 'the expired recordings’ keys are gone');
  await t.rejects(access(waveformFile), 'the waveform went with its recording');
  await t.rejects(access(join(dataDir, 'documents', 'history', new Date(expiredAt).toISOString().slice(0, 10) + '.tdoc')));

  const again = await runCli(['purge', '--json', '--data-dir', dataDir]);
  t.match(JSON.parse(again.stdout), { contactRecords: 0, recordings: 0 }, 'a second purge finds nothing');
});
