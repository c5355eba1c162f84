/**
 * What a run really recorded: every recording of a data directory is opened with the product's
 * own reader (which checks the seal, the content hash and every chunk's GCM tag) and its audio
 * is counted. For the flood, every 20 ms tick is also compared with the bridge simulator's
 * deterministic sample pattern, so only audio that arrived intact counts.
 */
import { systemClock } from '../../dist/clock.js';
import { createLogger } from '../../dist/log.js';
import { openStorage } from '../../dist/storage/open-storage.js';

export const SAMPLES_PER_TICK = 160;
export const SAMPLE_RATE_HZ = 8000;

/** The flood mode's sample pattern (firmware-bridge/ports/host/main.c, run_flood). */
export function floodSample(tick, channel, i) {
  return (tick * 7 + channel * 13 + i) & 0xff;
}

/**
 * Returns { recordings, sealed, unreadable, samples, gapSamples, patternTicks, patternMismatchTicks }.
 * `patternTicks` (flood only): ticks whose 160 bytes equal the simulator's pattern.
 */
export async function readRecordedAudio(dataDir, { checkFloodPattern = false } = {}) {
  const storage = await openStorage({ dataDir, mode: 'demo', clock: systemClock, logger: createLogger({ level: 'error' }) });
  const entries = await storage.recordings.list();
  const result = { recordings: entries.length, sealed: 0, unreadable: 0, samples: 0, gapSamples: 0, patternTicks: 0, patternMismatchTicks: 0, problems: [] };
  for (const entry of entries) {
    if (!entry.sealed) {
      result.problems.push(`${entry.recordingId}: not sealed`);
      continue;
    }
    let reader;
    try {
      reader = await storage.recordings.openReader(entry.recordingId);
    } catch (err) {
      result.unreadable++;
      result.problems.push(`${entry.recordingId}: ${err.code ?? err.message}`);
      continue;
    }
    try {
      result.sealed++;
      result.samples += reader.sampleCount;
      for (const gap of await reader.gaps()) result.gapSamples += gap.endSample - gap.startSample;
      if (checkFloodPattern) {
        const step = SAMPLE_RATE_HZ * 10; // read 10 s at a time
        for (let from = 0; from < reader.sampleCount; from += step) {
          const to = Math.min(reader.sampleCount, from + step);
          const alaw = await reader.readAlaw(from, to);
          for (let at = 0; at + SAMPLES_PER_TICK <= alaw.length; at += SAMPLES_PER_TICK) {
            const tick = reader.startTick + (from + at) / SAMPLES_PER_TICK;
            let ok = true;
            for (let i = 0; i < SAMPLES_PER_TICK; i++) {
              if (alaw[at + i] !== floodSample(tick, reader.channel, i)) {
                ok = false;
                break;
              }
            }
            if (ok) result.patternTicks++;
            else result.patternMismatchTicks++;
          }
        }
      }
    } finally {
      await reader.close();
    }
  }
  return result;
}
