/**
 * `tallennin audit verify` where the trail has gaps a hash chain alone cannot show: a checkpoint
 * line cut off the end or out of the middle, a data directory without a trail, and a trail
 * removed while the accounts whose creation it recorded remain.
 */
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { runCli } from './support/service-process.js';
import { entryLines, isEntry, trailWithEntries } from './support/audit-trail-on-disk.js';
import { firstAdministrator, startApiAppliance } from './support/api-appliance.js';

t.test('when the closing checkpoint line is cut off the end, then audit verify fails naming it', async (t) => {
  // Every cut of the tail is tried in test/unit/access/audit-trail-tail-cuts.test.ts; this is the
  // one that went unnoticed, through the command a user runs.
  const { dataDir, segment } = await trailWithEntries(t, 10);
  const lines = await entryLines(segment);
  t.ok(!isEntry(lines.at(-1)!), 'the trail ends with the closing checkpoint');
  await writeFile(segment, lines.slice(0, -1).join('\n') + '\n');
  const result = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(result.code, 1, result.stdout + result.stderr);
  t.match(result.stdout, /FAILED at entry 10: .*checkpoint/);
});

t.test('when a checkpoint line in the middle is removed, then audit verify names it', async (t) => {
  const { dataDir, segment } = await trailWithEntries(t, 10);
  const lines = await entryLines(segment);
  const index = lines.findIndex((line) => !isEntry(line));
  lines.splice(index, 1);
  await writeFile(segment, lines.join('\n') + '\n');
  const result = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(result.code, 1, result.stdout + result.stderr);
  t.match(result.stdout, /checkpoint/);
});

t.test('when the data directory has no audit trail yet, then audit verify says it is empty', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-audit-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  await openStorage({ dataDir, mode: 'demo', clock: new ManualClock(Date.UTC(2026, 10, 28)), logger: silentLogger });
  const result = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(result.code, 0, result.stdout + result.stderr);
  t.match(result.stdout, /the audit trail is empty: no entries yet/);
  t.notMatch(result.stderr, /unexpected failure/);
});

t.test('when accounts exist but the whole audit folder was removed, then audit verify fails', async (t) => {
  const fixture = await startApiAppliance(t);
  await firstAdministrator(fixture);
  await fixture.appliance.stop();
  await rm(join(fixture.dataDir, 'audit'), { recursive: true, force: true });
  const result = await runCli(['audit', 'verify', '--data-dir', fixture.dataDir]);
  t.equal(result.code, 1, result.stdout + result.stderr);
  t.match(result.stdout, /audit trail FAILED: it is empty, but 1 accounts exist/);
});
