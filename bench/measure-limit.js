/**
 * The limit: the bridge simulator's flood into its pseudo-terminal, read by `cat > /dev/null`
 * (a reader that does nothing). No service can ingest faster than this on this machine.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startChild, stopChild } from './lib/children.js';
import { BRIDGE_SIM, audioShareOfWire, makeTempDir, parseFloodLine, ALAW_BYTES_PER_SECOND } from './lib/setup.js';

export async function measureLimit({ channels, seconds }) {
  const dir = await makeTempDir('limit');
  const link = join(dir, 'bridge.link');
  const sim = startChild(BRIDGE_SIM, ['--flood', String(channels), '--duration', String(seconds), '--link', link, '--quiet']);
  let reader;
  try {
    await sim.waitForLine('stdout', (line) => line.startsWith('PTY '), 10_000, 'its PTY line');
    // The flood starts once the slave is open; `cat` holds it open and throws the bytes away.
    reader = startChild('sh', ['-c', 'exec cat "$0" > /dev/null', link], { stdio: ['ignore', 'ignore', 'pipe'] });
    const { result: flood } = await sim.waitForLine('stdout', parseFloodLine, (seconds + 30) * 1000, 'the FLOOD line');
    const wireBytesPerSecond = flood.bytes / flood.seconds;
    const audioBytesPerSecond = wireBytesPerSecond * audioShareOfWire(channels);
    return {
      channels,
      seconds: flood.seconds,
      wireBytesPerSecond,
      audioBytesPerSecond,
      simChannelEquivalents: flood.channelEquivalents,
      audioChannelEquivalents: audioBytesPerSecond / ALAW_BYTES_PER_SECOND,
    };
  } finally {
    await stopChild(sim, 5000);
    if (reader !== undefined) await stopChild(reader, 2000);
    await rm(dir, { recursive: true, force: true });
  }
}
