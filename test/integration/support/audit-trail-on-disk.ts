/**
 * A real audit trail on disk for the `tallennin audit verify` tests: `count` entries written one
 * second apart through the trail itself (checkpoint every 4), closed, and its segment's path for
 * the tests that damage it.
 */
import type { Test } from 'tap';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { openStorage } from '../../../src/storage/open-storage.js';
import { AuditTrail } from '../../../src/access/audit-trail.js';

export async function trailWithEntries(t: Test, count: number): Promise<{ dataDir: string; segment: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-audit-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
  const storage = await openStorage({ dataDir, mode: 'demo', clock, logger: silentLogger });
  const trail = await AuditTrail.open({ dataDir, signingKey: storage.keys.signingKey('audit-signing'), clock, logger: silentLogger, checkpointEvery: 4 });
  for (let i = 0; i < count; i++) {
    await trail.append({ action: i % 2 === 0 ? 'calls.search' : 'recording.play', outcome: 'success', actorId: '00000000-0000-4000-8000-000000000001', details: { n: i } });
    clock.advance(1000);
  }
  await trail.close();
  const [segment] = (await readdir(join(dataDir, 'audit'))).filter((name) => name.endsWith('.jsonl'));
  return { dataDir, segment: join(dataDir, 'audit', segment!) };
}

/** The segment's lines, entries and checkpoints alike. */
export async function entryLines(segment: string): Promise<string[]> {
  return (await readFile(segment, 'utf8')).split('\n').filter((line) => line !== '');
}

export const isEntry = (line: string): boolean => !line.startsWith('{"checkpoint"');
