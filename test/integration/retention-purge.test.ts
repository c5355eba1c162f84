/**
 * P7: contact-history identification data are kept at most 3 months. Calls recorded three months
 * and a day ago are written through the real call tracker and stores (with the clock set back),
 * then the real `tallennin purge` runs with the real clock: nothing older than the limit
 * remains, and the recordings' wrapped keys are gone (crypto-shredding).
 */
import t from 'tap';
import { mkdtemp, rm, readdir, access, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { ContactHistory } from '../../src/history/contact-history.js';
import { retentionCutoffMs } from '../../src/retention/retention-purge.js';
import { WaveformStore } from '../../src/recording/waveform.js';
import { runCli } from './support/service-process.js';
import { AuditTrail } from '../../src/access/audit-trail.js';
import { parseConfig } from '../../src/config/load-config.js';
import { startAppliance } from '../../src/main.js';
import { PasswordHasher } from '../../src/access/password-hasher.js';
import type { AuditRecord } from '../../src/access/audit-entry.js';
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
  const dryList = await runCli(['purge', '--dry-run', '--list', '--data-dir', dataDir]);
  t.equal(dryList.code, 0, dryList.stderr);
  const expiredDayText = new Date(expiredAt).toISOString().slice(0, 10);
  t.match(dryList.stdout, new RegExp(`${expiredDayText}: 2 contact records, 2 recordings`), 'the day that would go, with its counts');
  t.match(dryList.stdout, new RegExp(`recording ${expiredRecording} \\(call [0-9a-f-]{36}\\)`), 'each recording that would go');
  t.notMatch(dryList.stdout, /\+358|401234567|201234567/, 'no phone numbers');
  t.equal((await readdir(join(dataDir, 'keys'))).length, 3, 'a listing destroys nothing');
  const listedJson = JSON.parse((await runCli(['purge', '--dry-run', '--list', '--json', '--data-dir', dataDir])).stdout) as { days: string[]; recordingIds: string[] };
  t.same(listedJson.days, [expiredDayText]);
  t.ok(listedJson.recordingIds.includes(expiredRecording));

  // While another process (the running service) holds the audit trail, the command refuses.
  const held = await AuditTrail.open({ dataDir, signingKey: before.keys.signingKey('audit-signing'), clock: new ManualClock(now), logger: silentLogger });
  const refused = await runCli(['purge', '--data-dir', dataDir]);
  t.equal(refused.code, 4, refused.stdout + refused.stderr);
  t.match(refused.stderr, /AUDIT_LOCKED/);
  t.equal((await readdir(join(dataDir, 'keys'))).length, 3, 'a refused purge destroys nothing');
  await held.close();

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

  // P7 provable: each run is in the audit trail, with days, counts and ids, and the trail verifies.
  const verified = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(verified.code, 0, verified.stdout);
  const entries = (await auditEntries(dataDir)).filter((entry) => entry.action === 'retention.purge');
  t.equal(entries.length, 2, 'both runs are audited');
  t.match(entries[0], { outcome: 'success', actorId: null, details: { trigger: 'command', contactRecords: 2, recordings: 2, keys: 2, historyDays: 1, days: expiredDayText, failures: 0 } });
  t.match(String(entries[0]!.details!.recordingIds), new RegExp(expiredRecording));
  t.match(entries[1], { details: { contactRecords: 0, recordings: 0, days: '' } });
  t.notMatch(JSON.stringify(entries), /\+358|401234567/, 'no phone numbers in the trail');
});

t.test('when the service starts with records past the limit, then its purge is audited', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-purge-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const now = Date.now();
  const expiredAt = retentionCutoffMs(now, 3) - 2 * DAY_MS;
  const expiredRecording = await recordCall(dataDir, expiredAt, 0);
  const config = parseConfig({ mode: 'demo', dataDir, bridge: { path: join(dataDir, 'no-bridge') }, http: { host: '127.0.0.1', port: 0 }, recording: { recordedServiceNumbers: ['0201234567'] } });
  const appliance = await startAppliance(config, { clock: new ManualClock(now), logger: silentLogger, hasher: new PasswordHasher({ params: { memoryCost: 19456, timeCost: 2, parallelism: 1 } }) });
  t.teardown(() => appliance.stop());
  await appliance.retention.idle();
  const found = await appliance.audit.search({ action: 'retention.purge' });
  t.equal(found.total, 1);
  t.match(found.records[0], { actorId: null, details: { trigger: 'scheduled', contactRecords: 1, recordings: 1, keys: 1, days: new Date(expiredAt).toISOString().slice(0, 10), recordingIds: expiredRecording } });
});

async function auditEntries(dataDir: string): Promise<AuditRecord[]> {
  const entries: AuditRecord[] = [];
  for (const name of (await readdir(join(dataDir, 'audit'))).filter((file) => file.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(join(dataDir, 'audit', name), 'utf8')).split('\n')) {
      if (line !== '' && !line.startsWith('{"checkpoint"')) entries.push(JSON.parse(line) as AuditRecord);
    }
  }
  return entries;
}
