/**
 * The research package as the institute receives it: extracted with tar, checked with
 * sha256sum -c, its WAVs as long as the recordings, no number, name or coefficient inside.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContactRecord } from '../../../src/history/contact-record.js';
import { buildResearchPackage } from '../../../src/disclosure/research-package.js';
import { sha256OfFile } from '../../../src/disclosure/file-digest.js';
import { sealedRecording, storeFixture, tempDir } from '../recording/helpers.js';


void t.test('when a research package is built, then it extracts, verifies and holds only anonymised data', async (t) => {
  const fixture = await storeFixture(t);
  const first = await sealedRecording(fixture, 150, 31); // 3 s
  const second = await sealedRecording(fixture, 260, 32); // 5.2 s
  const base = { endedAt: '2026-11-28T09:44:02.000Z', serviceNumber: '+358201234000', agentName: 'Aino Agentti', agentPhone: '+358501112223', channel: 3, endReason: 'completed', resumed: false } as const;
  const records: ContactRecord[] = [
    { ...base, callId: 'call-a', startedAt: '2026-11-28T09:41:17.000Z', callerNumber: '+358401234567', agentExtension: '2001', recordingId: first.id, recordingState: 'completed' },
    { ...base, callId: 'call-b', startedAt: '2026-11-28T09:50:00.000Z', callerNumber: '+358401234567', agentExtension: '2001', recordingId: null, recordingState: 'not-recorded' },
    { ...base, callId: 'call-c', startedAt: '2026-11-28T10:05:00.000Z', callerNumber: '+358409999999', agentExtension: '2002', recordingId: second.id, recordingState: 'interrupted' },
  ];
  const out = join(await tempDir(t), 'research.tar');
  const result = await buildResearchPackage({
    reference: 'TUTK-2026-7',
    records,
    alphaOf: (id) => (id === first.id ? 0.7123 : 0.8456),
    openReader: (id) => fixture.store.openReader(id),
    returnDue: '2027-06-30',
    outFile: out,
  });
  t.same(await readdir(join(out, '..')), ['research.tar'], 'no work files left beside the package');
  t.same({ calls: result.calls, audioFiles: result.audioFiles }, { calls: 3, audioFiles: 2 });
  t.same(await sha256OfFile(out), { sha256: result.sha256, bytes: result.bytes });
  const extracted = await tempDir(t);
  execFileSync('tar', ['-xf', out, '-C', extracted]);
  t.same((await readdir(extracted)).sort(), ['README.txt', 'SHA256SUMS', 'audio', 'contact-records.csv']);
  t.same((await readdir(join(extracted, 'audio'))).sort(), ['call-001.wav', 'call-003.wav']);
  execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: extracted });
  t.equal((await readFile(join(extracted, 'audio/call-001.wav'))).length, 44 + first.audio.length * 2, 'the duration of the first recording');
  t.equal((await readFile(join(extracted, 'audio/call-003.wav'))).length, 44 + second.audio.length * 2, 'the duration of the second recording');
  const text = (await readFile(join(extracted, 'contact-records.csv'), 'utf8')) + (await readFile(join(extracted, 'README.txt'), 'utf8'));
  for (const secret of ['358401234567', '358409999999', 'Aino', '2001', 'call-a', first.id, second.id, '0.7123', '0.8456', '09:41']) {
    t.notOk(text.includes(secret), `no ${secret}`);
  }
  t.match(text, /TUTK-2026-7/);
  t.match(text, /2027-06-30/);
  const lines = (await readFile(join(extracted, 'contact-records.csv'), 'utf8')).trim().split('\n');
  t.equal(lines.length, 4);
  t.match(lines[1], /^call-001,2026-11-28T09:00Z,2026-11-28T09:00Z,\+358201234000,caller-[0-9a-f]{12},agent-[0-9a-f]{12},yes,audio\/call-001\.wav$/);
  t.match(lines[2], /,no,$/);
  const listing = execFileSync('tar', ['-tvf', out], { encoding: 'utf8' });
  t.notMatch(listing, /root|tallennin/, 'no owner names of the box in the archive');
});
