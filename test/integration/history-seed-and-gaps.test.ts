/**
 * The command as a newcomer runs it: `tallennin demo --seed-history DAYS:CALLS` starts on a
 * history already months old (honestly not recorded), and `recordings list --json` and
 * `recordings verify` say how much of each recording was filled with silence.
 */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH, runCli } from './support/service-process.js';
import { recordCall } from './support/record-calls.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { ContactHistory } from '../../src/history/contact-history.js';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-seed-gaps-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}


t.test('when a recording lost 10 ticks of audio, then list --json gives 200 filled-gap ms and verify prints them', async (t) => {
  const dataDir = await tempDir(t);
  const whole = await recordCall(dataDir, Date.now() - 60_000, 0);
  const gapped = await recordCall(dataDir, Date.now() - 60_000 + 1, 1, { lostTicks: new Set([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]) });
  const listed = await runCli(['recordings', 'list', '--json', '--data-dir', dataDir]);
  t.equal(listed.code, 0, listed.stderr);
  const rows = JSON.parse(listed.stdout) as Array<{ recordingId: string; filledGapMs: number | null }>;
  t.same(Object.fromEntries(rows.map((row) => [row.recordingId, row.filledGapMs])), { [whole]: 0, [gapped]: 200 });
  const verified = await runCli(['recordings', 'verify', '--all', '--data-dir', dataDir]);
  t.equal(verified.code, 0, verified.stdout + verified.stderr);
  t.match(verified.stdout, new RegExp(`ok    ${gapped}  filled gaps 200 ms`));
  t.match(verified.stdout, new RegExp(`ok    ${whole}  filled gaps 0 ms`));
});

t.test('when the demo starts with --seed-history 3:40, then the history holds 120 not-recorded calls over the 3 days before today, and verify --all is clean', async (t) => {
  const dataDir = await tempDir(t);
  const demo = spawn(process.execPath, [CLI_PATH, 'demo', '--seed-history', '3:40', '--port', '0', '--speed', '10', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
  });
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`the demo did not report the seeded history: ${stdout}`)), 90_000);
    demo.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Contact history seeded')) {
        clearTimeout(guard);
        resolve();
      }
    });
    demo.on('exit', () => reject(new Error(`the demo exited: ${stdout}`)));
  });
  t.match(stdout, /Contact history seeded: 120 synthetic records over 3 days/);
  demo.kill('SIGTERM');
  t.equal(await exited, 0);

  const storage = await openStorage({ dataDir, mode: 'demo', clock: new ManualClock(Date.now()), logger: silentLogger });
  const history = new ContactHistory(storage.documents);
  const today = new Date().toISOString().slice(0, 10);
  const seeded = (await history.search()).filter((record) => record.startedAt.slice(0, 10) < today);
  t.equal(seeded.length, 120);
  t.equal(new Set(seeded.map((r) => r.startedAt.slice(0, 10))).size, 3);
  t.ok(seeded.every((r) => r.recordingId === null && r.recordingState === 'not-recorded' && r.serviceNumber === '+358912345678'), 'calls to the switchboard, not recorded');
  t.ok(seeded.every((r) => ['2001', '2002', '2003', '2004'].includes(r.agentExtension) && r.agentName !== null), "answered by the demo's agents");
  const verified = await runCli(['recordings', 'verify', '--all', '--data-dir', dataDir]);
  t.equal(verified.code, 0, verified.stdout + verified.stderr);

  const bad = await runCli(['demo', '--seed-history', '90', '--data-dir', dataDir]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--seed-history takes DAYS:CALLS/);
});
