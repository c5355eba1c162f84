/**
 * The peer: `age` (Debian package age) encrypting the same number of A-law bytes from a pipe
 * into a file, the way a "pipe the card's audio into an encryption tool" recorder would. Its
 * CPU (user + system) is read by GNU time (/usr/bin/time, Debian package time); the bytes are
 * the demo's Finnish speech, repeated, written into age's stdin by this process (whose CPU is
 * not counted).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { Buffer } from 'node:buffer';
import { startChild } from './lib/children.js';
import { DEMO_AUDIO_FILES, makeTempDir } from './lib/setup.js';

const TIME = '/usr/bin/time';

/** Runs age once over `bytes` bytes; returns { cpuSeconds, wallSeconds, peakRssKb, outBytes }. */
async function encryptOnce(dir, recipient, audio, bytes, run) {
  const timeFile = join(dir, `time-${run}.txt`);
  const outFile = join(dir, `out-${run}.age`);
  const age = startChild(TIME, ['-f', '%e %U %S %M', '-o', timeFile, 'age', '-r', recipient, '-o', outFile], { stdio: ['pipe', 'ignore', 'pipe'] });
  const stdin = age.child.stdin;
  let left = bytes;
  while (left > 0) {
    const piece = left >= audio.length ? audio : audio.subarray(0, left);
    left -= piece.length;
    if (!stdin.write(piece)) await once(stdin, 'drain');
  }
  stdin.end();
  const status = await age.exited;
  if (status.code !== 0) throw new Error(`age failed (code ${status.code}): ${age.stderrTail()}`);
  const [wall, user, system, maxRssKb] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop().split(' ').map(Number);
  const outBytes = (await stat(outFile)).size;
  await rm(outFile);
  if (outBytes < bytes) throw new Error(`age wrote ${outBytes} bytes for ${bytes} bytes of input`);
  return { cpuSeconds: user + system, wallSeconds: wall, peakRssKb: maxRssKb, outBytes };
}

/** Median of `runs` runs of age over `bytes` bytes of A-law speech. */
export async function measureAge({ bytes, runs = 3 }) {
  const dir = await makeTempDir('age');
  try {
    const keyFile = join(dir, 'identity.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    const audio = Buffer.concat(DEMO_AUDIO_FILES.map((file) => readFileSync(file)));
    const results = [];
    for (let run = 0; run < runs; run++) results.push(await encryptOnce(dir, recipient, audio, bytes, run));
    results.sort((a, b) => a.cpuSeconds - b.cpuSeconds);
    const median = results[Math.floor(results.length / 2)];
    const channelSeconds = bytes / 8000;
    return {
      bytes,
      channelSeconds,
      runs: results.map((r) => r.cpuSeconds),
      ...median,
      cpuSecondsPerChannelHour: median.cpuSeconds / (channelSeconds / 3600),
      version: execFileSync('age', ['--version'], { encoding: 'utf8' }).trim(),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
