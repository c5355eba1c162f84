/**
 * The waveform picture of a recording: the peak level of each of N equal slices of the call,
 * computed from the decrypted audio a block at a time (an hour of audio never sits in memory).
 */
import { ALAW_TO_LINEAR } from './alaw.js';
import type { RecordingReader } from './recording-reader.js';

/** Samples decrypted per step: ten seconds. */
const BLOCK_SAMPLES = 80_000;

/** Peaks 0..255 (of full scale) of `buckets` slices of the recording. */
export async function waveformPeaks(reader: Pick<RecordingReader, 'sampleCount' | 'readAlaw'>, buckets: number): Promise<number[]> {
  const total = reader.sampleCount;
  const count = Math.max(1, Math.min(buckets, total));
  const peaks = new Array<number>(count).fill(0);
  for (let start = 0; start < total; start += BLOCK_SAMPLES) {
    const block = await reader.readAlaw(start, Math.min(total, start + BLOCK_SAMPLES));
    for (let i = 0; i < block.length; i++) {
      const bucket = Math.min(count - 1, Math.floor(((start + i) * count) / total));
      const level = Math.abs(ALAW_TO_LINEAR[block[i]!]!);
      if (level > peaks[bucket]!) peaks[bucket] = level;
    }
  }
  return peaks.map((peak) => Math.round((peak / 32768) * 255));
}

interface WaveformDocument {
  version: 1;
  peaks: number[] | null;
}

interface WaveformDocuments {
  openDocument<T>(name: string, defaultData: T): Promise<{ data: T; write(): Promise<void> }>;
  remove(name: string): Promise<unknown>;
}

/**
 * Waveforms are computed once per recording and kept encrypted (a document per recording),
 * so a call opened again draws at once; the purge removes a waveform with its recording.
 */
export class WaveformStore {
  constructor(private readonly documents: WaveformDocuments, private readonly buckets = 600) {}

  async peaks(reader: Pick<RecordingReader, 'recordingId' | 'sampleCount' | 'readAlaw'>): Promise<number[]> {
    const doc = await this.documents.openDocument<WaveformDocument>(`waveforms/${reader.recordingId}`, { version: 1, peaks: null });
    if (doc.data.peaks === null) {
      doc.data.peaks = await waveformPeaks(reader, this.buckets);
      await doc.write();
    }
    return doc.data.peaks;
  }

  async remove(recordingId: string): Promise<void> {
    await this.documents.remove(`waveforms/${recordingId}`);
  }
}
