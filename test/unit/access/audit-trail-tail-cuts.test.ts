/**
 * Cutting the end off the audit trail: whatever is cut, at a line boundary or inside a line, an
 * entry or a checkpoint, verification must notice. The trail here ran twice (a close, a restart,
 * more entries, a close), so its tail holds periodic checkpoints and closing ones.
 */
import t from 'tap';
import { mkdtemp, rm, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { AuditTrail } from '../../../src/access/audit-trail.js';
import { signedPosition } from '../../../src/access/audit-entry.js';
import { sign } from 'node:crypto';

const actor = '00000000-0000-4000-8000-00000000000a';
const TAIL_LINES = 12;

t.test('when the trail is cut at any line boundary or inside any of its last lines, then verify fails every time', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-audit-cuts-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
  const signingKey = createKeyHierarchy(Buffer.alloc(32, 7)).signingKey('audit-signing');
  const options = { dataDir, signingKey, clock, logger: silentLogger, checkpointEvery: 4 };
  for (const count of [9, 7]) {
    const trail = await AuditTrail.open(options);
    for (let i = 0; i < count; i++) {
      await trail.append({ action: 'calls.search', outcome: 'success', actorId: actor, details: { i } });
      clock.advance(1000);
    }
    await trail.close();
  }
  const [name] = (await readdir(join(dataDir, 'audit'))).filter((file) => file.endsWith('.jsonl'));
  const segment = join(dataDir, 'audit', name!);
  const whole = await readFile(segment, 'utf8');
  t.match(await AuditTrail.verifyDirectory(options), { ok: true, entries: 16, lastSeq: 16 });

  const lines = whole.split('\n').slice(0, -1);
  t.ok(lines.slice(-TAIL_LINES).filter((line) => line.startsWith('{"checkpoint"')).length >= 3, 'the tail holds several checkpoints');
  const cuts = new Set<number>();
  let offset = whole.length;
  for (const line of lines.slice(-TAIL_LINES).reverse()) {
    offset -= line.length + 1;
    for (let inside = 0; inside <= line.length; inside += Math.max(1, Math.floor(line.length / 7))) cuts.add(offset + inside);
    cuts.add(offset + line.length);
  }
  const missed: number[] = [];
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    await writeFile(segment, whole.slice(0, cut));
    const result = await AuditTrail.verifyDirectory(options);
    if (result.ok) missed.push(cut);
  }
  t.same(missed, [], `each of ${cuts.size} cuts of the last ${TAIL_LINES} lines is detected`);
  await writeFile(segment, whole);
  t.match(await AuditTrail.verifyDirectory(options), { ok: true, entries: 16 }, 'the whole trail still verifies');
});

t.test('when the trail ends in a closing checkpoint and only that line is cut, then verify names the checkpoint', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-audit-cuts-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
  const signingKey = createKeyHierarchy(Buffer.alloc(32, 7)).signingKey('audit-signing');
  const options = { dataDir, signingKey, clock, logger: silentLogger, checkpointEvery: 4 };
  const trail = await AuditTrail.open(options);
  // Entry 4 gets a periodic checkpoint, the close another one at the same entry.
  for (let i = 0; i < 4; i++) await trail.append({ action: 'calls.search', outcome: 'success', actorId: actor });
  await trail.close();
  const [name] = (await readdir(join(dataDir, 'audit'))).filter((file) => file.endsWith('.jsonl'));
  const segment = join(dataDir, 'audit', name!);
  const lines = (await readFile(segment, 'utf8')).split('\n').slice(0, -1);
  await writeFile(segment, lines.slice(0, -1).join('\n') + '\n');
  t.match(await AuditTrail.verifyDirectory(options), { ok: false, firstBadSeq: 4, problem: /checkpoint/ });
  // Reopening the trail (the service's next start) does not paper over the cut either.
  const reopened = await AuditTrail.open(options);
  t.match(await reopened.verify(), { ok: false, problem: /checkpoint/ });
  await reopened.close();
});

t.test('when there is no audit directory, then verify answers that the trail is empty', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-audit-cuts-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
  const signingKey = createKeyHierarchy(Buffer.alloc(32, 7)).signingKey('audit-signing');
  t.same(await AuditTrail.verifyDirectory({ dataDir, signingKey, clock, logger: silentLogger }), { ok: true, entries: 0, lastSeq: 0, empty: true });
});

t.test('when a trail was signed before checkpoints were counted, then it still verifies and goes on counted', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-audit-cuts-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
  const signingKey = createKeyHierarchy(Buffer.alloc(32, 7)).signingKey('audit-signing');
  const options = { dataDir, signingKey, clock, logger: silentLogger, checkpointEvery: 4 };
  const trail = await AuditTrail.open(options);
  for (let i = 0; i < 6; i++) await trail.append({ action: 'calls.search', outcome: 'success', actorId: actor });
  await trail.close();
  // Re-sign every position the way the first version did: no count, version 1 message.
  const legacy = (position: { seq: number; hash: string; time: string; keyId: string }) => ({
    seq: position.seq,
    hash: position.hash,
    time: position.time,
    keyId: position.keyId,
    signature: sign(null, signedPosition(position.seq, position.hash, position.time), signingKey.privateKey).toString('base64'),
  });
  const [name] = (await readdir(join(dataDir, 'audit'))).filter((file) => file.endsWith('.jsonl'));
  const segment = join(dataDir, 'audit', name!);
  const lines = (await readFile(segment, 'utf8')).split('\n').slice(0, -1);
  const rewritten = lines.map((line) => (line.startsWith('{"checkpoint"') ? JSON.stringify({ checkpoint: legacy((JSON.parse(line) as { checkpoint: { seq: number; hash: string; time: string; keyId: string } }).checkpoint) }) : line));
  await writeFile(segment, rewritten.join('\n') + '\n');
  const headFile = join(dataDir, 'audit', 'head.json');
  await writeFile(headFile, JSON.stringify(legacy(JSON.parse(await readFile(headFile, 'utf8')) as { seq: number; hash: string; time: string; keyId: string })));
  t.notMatch(await readFile(segment, 'utf8'), /"checkpoints"/);
  t.match(await AuditTrail.verifyDirectory(options), { ok: true, entries: 6 }, 'the old trail verifies');

  const next = await AuditTrail.open(options);
  for (let i = 0; i < 3; i++) await next.append({ action: 'calls.search', outcome: 'success', actorId: actor });
  await next.close();
  t.match(await AuditTrail.verifyDirectory(options), { ok: true, entries: 9 }, 'and goes on verified, now counted');
  const tail = (await readFile(segment, 'utf8')).split('\n').slice(0, -1);
  await writeFile(segment, tail.slice(0, -1).join('\n') + '\n');
  t.match(await AuditTrail.verifyDirectory(options), { ok: false, problem: /checkpoint .* cut off/ }, 'a counted checkpoint cut off is found');
});
