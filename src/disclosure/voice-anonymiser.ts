/**
 * A recording's audio through the McAdams voice anonymiser (mcadams-method.ts, run in a worker
 * thread by voice-anonymiser-thread.ts) into a new WAV for a research package. The recording is
 * only read, a block of ten chunks at a time, so a long call never sits in memory.
 */
import { alawToLinear } from '../recording/alaw.js';
import { SAMPLES_PER_CHUNK } from '../recording/recording-format.js';
import { wavHeader, type WavSource } from '../recording/wav-export.js';
import { DurableFileWriter } from '../storage/durable-file.js';
import type { AnonymiserThread } from './voice-anonymiser-thread.js';

const READ_BLOCK_SAMPLES = 10 * SAMPLES_PER_CHUNK;

async function* recordingSamples(reader: WavSource): AsyncGenerator<Int16Array> {
  for (let start = 0; start < reader.sampleCount; start += READ_BLOCK_SAMPLES) {
    yield alawToLinear(await reader.readAlaw(start, Math.min(reader.sampleCount, start + READ_BLOCK_SAMPLES)));
  }
}

/**
 * Writes the recording's audio, anonymised with `alpha` in `thread`, as a new 16-bit 8 kHz WAV at
 * `outFile` (durably: it appears whole or not at all). The recording itself is only read.
 */
export async function writeAnonymisedWav(reader: WavSource, alpha: number, outFile: string, thread: AnonymiserThread): Promise<number> {
  const writer = await DurableFileWriter.create(outFile);
  let samples = 0;
  try {
    await writer.write(wavHeader(reader.sampleCount));
    for await (const block of thread.anonymise(recordingSamples(reader), alpha)) {
      samples += block.length;
      await writer.write(Buffer.from(block.buffer, block.byteOffset, block.byteLength));
    }
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return samples;
}
