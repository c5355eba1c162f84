/**
 * Decrypted exports and byte-range playback as 16-bit PCM WAV, 8 kHz mono.
 *
 * The WAV is a fixed 44-byte header followed by 2 bytes per sample, so any byte range of the
 * file maps to a sample range: readWavRange() produces bytes [start, end] of the same WAV that
 * exportWav() writes, decrypting only the chunks under that range (HTTP Range playback).
 *
 * The samples are encoded by node-wav in blocks (a 60-minute call never sits in memory as floats);
 * the floats handed to it are chosen so that node-wav's float-to-int conversion gives back exactly
 * the decoded A-law value (negative values are exact in float32; positive ones get +0.5 so that
 * truncation lands on the integer).
 */
import wav from 'node-wav';
import { AppError } from '../errors.js';
import { DurableFileWriter } from '../storage/durable-file.js';
import { ALAW_TO_LINEAR, alawToPcm16le } from './alaw.js';
import { SAMPLE_RATE_HZ, SAMPLES_PER_CHUNK } from './recording-format.js';
import type { RecordingReader } from './recording-reader.js';

export const WAV_HEADER_BYTES = 44;
export const WAV_BYTES_PER_SAMPLE = 2;
/** Samples encoded per node-wav call during an export (ten chunks). */
const EXPORT_BLOCK_SAMPLES = 10 * SAMPLES_PER_CHUNK;

/** The part of a recording that reads need (RecordingReader satisfies it). */
export type WavSource = Pick<RecordingReader, 'sampleCount' | 'readAlaw' | 'alawParts' | 'recordingId'>;

/** Total size of the WAV of `sampleCount` samples. */
export function wavByteLength(sampleCount: number): number {
  return WAV_HEADER_BYTES + sampleCount * WAV_BYTES_PER_SAMPLE;
}

/** The 44-byte RIFF/WAVE header, byte for byte what node-wav writes for 16-bit mono 8 kHz. */
export function wavHeader(sampleCount: number): Buffer {
  const dataBytes = sampleCount * WAV_BYTES_PER_SAMPLE;
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(WAV_HEADER_BYTES - 8 + dataBytes, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE_HZ, 24);
  header.writeUInt32LE(SAMPLE_RATE_HZ * WAV_BYTES_PER_SAMPLE, 28);
  header.writeUInt16LE(WAV_BYTES_PER_SAMPLE, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** PCM data bytes of A-law samples, encoded through node-wav. */
export function encodePcmThroughNodeWav(alaw: Uint8Array): Buffer {
  const floats = new Float32Array(alaw.length);
  for (let i = 0; i < alaw.length; i += 1) {
    const sample = ALAW_TO_LINEAR[alaw[i] as number] as number;
    floats[i] = sample < 0 ? sample / 32768 : (sample + 0.5) / 32767;
  }
  const file = wav.encode([floats], { sampleRate: SAMPLE_RATE_HZ, bitDepth: 16 });
  return file.subarray(WAV_HEADER_BYTES);
}

/** Writes the whole recording as a WAV file, durably (temp, fsync, rename). Returns its size. */
export async function exportWav(reader: WavSource, outFile: string, mode?: number): Promise<number> {
  const writer = await DurableFileWriter.create(outFile, { mode });
  try {
    await writer.write(wavHeader(reader.sampleCount));
    for (let start = 0; start < reader.sampleCount; start += EXPORT_BLOCK_SAMPLES) {
      const end = Math.min(reader.sampleCount, start + EXPORT_BLOCK_SAMPLES);
      await writer.write(encodePcmThroughNodeWav(await reader.readAlaw(start, end)));
    }
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return wavByteLength(reader.sampleCount);
}

export interface WavByteRangePlan {
  /** Header bytes [headerFrom, headerTo) to send first (empty when the range starts in the data). */
  headerFrom: number;
  headerTo: number;
  /** Samples to decode: [sampleStart, sampleEnd). */
  sampleStart: number;
  sampleEnd: number;
  /** Bytes to drop from the start / keep of the decoded PCM of those samples. */
  pcmSkip: number;
  pcmBytes: number;
}

/**
 * Maps an inclusive byte range [startByte, endByte] of the WAV to the header slice and sample
 * range it needs. Throws AppError('RANGE_INVALID') when the range is empty or outside the file
 * (the HTTP layer answers 416).
 */
export function planWavByteRange(startByte: number, endByte: number, sampleCount: number): WavByteRangePlan {
  const total = wavByteLength(sampleCount);
  if (!Number.isSafeInteger(startByte) || !Number.isSafeInteger(endByte) || startByte < 0 || endByte < startByte || endByte >= total) {
    throw new AppError('RANGE_INVALID', `byte range ${startByte}-${endByte} outside a WAV of ${total} bytes`, {
      details: { startByte, endByte, totalBytes: total },
    });
  }
  const endExclusive = endByte + 1;
  const headerFrom = Math.min(startByte, WAV_HEADER_BYTES);
  const headerTo = Math.min(endExclusive, WAV_HEADER_BYTES);
  const dataFrom = Math.max(startByte, WAV_HEADER_BYTES) - WAV_HEADER_BYTES;
  const dataTo = Math.max(endExclusive, WAV_HEADER_BYTES) - WAV_HEADER_BYTES;
  const sampleStart = Math.floor(dataFrom / WAV_BYTES_PER_SAMPLE);
  const sampleEnd = Math.ceil(dataTo / WAV_BYTES_PER_SAMPLE);
  return {
    headerFrom,
    headerTo,
    sampleStart,
    sampleEnd: Math.max(sampleStart, sampleEnd),
    pcmSkip: dataFrom - sampleStart * WAV_BYTES_PER_SAMPLE,
    pcmBytes: Math.max(0, dataTo - dataFrom),
  };
}

/** Bytes [startByte, endByte] (inclusive, as in HTTP Range) of the recording's WAV export. */
export async function readWavRange(reader: WavSource, startByte: number, endByte: number): Promise<Buffer> {
  const parts = [...(await wavRangeParts(reader, startByte, endByte))];
  // A seek into the audio of one chunk is one part: sent as it is, not copied again.
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * The same bytes as readWavRange, in parts of at most one chunk of audio, each decrypted and
 * decoded only when the iteration reaches it: the first part can be sent while the rest waits.
 */
export async function wavRangeParts(reader: WavSource, startByte: number, endByte: number): Promise<Iterable<Buffer>> {
  const plan = planWavByteRange(startByte, endByte, reader.sampleCount);
  const header = plan.headerTo > plan.headerFrom ? wavHeader(reader.sampleCount).subarray(plan.headerFrom, plan.headerTo) : undefined;
  const alaw = plan.pcmBytes > 0 ? await reader.alawParts(plan.sampleStart, plan.sampleEnd) : [];
  return (function* parts(): Generator<Buffer> {
    if (header !== undefined) yield header;
    let skip = plan.pcmSkip;
    let remaining = plan.pcmBytes;
    for (const samples of alaw) {
      if (remaining === 0) break;
      const pcm = alawToPcm16le(samples);
      const part = pcm.subarray(skip, Math.min(pcm.length, skip + remaining));
      skip = 0;
      remaining -= part.length;
      yield part;
    }
  })();
}
