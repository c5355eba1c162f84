/**
 * A throwaway appliance: a data directory, a config, a scenario with Finnish speech, the
 * firmware's host build on a real pseudo-terminal, and the real service process.
 */
import type { Test } from 'tap';
import { mkdtemp, rm, copyFile, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeConfig } from './service-process.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { alawToPcm16le } from '../../../src/recording/alaw.js';
import { DocumentStore } from '../../../src/storage/document-store.js';
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { DEMO_MASTER_KEY_FILE, parseKey } from '../../../src/storage/master-key.js';
import { ContactHistory } from '../../../src/history/contact-history.js';
import { silentLogger } from '../../../src/log.js';
import { systemClock } from '../../../src/clock.js';
import { RecordingStore } from '../../../src/recording/recording-store.js';

export const SPEECH_DIR = fileURLToPath(new URL('../../../firmware-bridge/scenarios/demo/', import.meta.url));
export const SPEECH_FILES = ['jasenmaksu.alaw', 'ansiopaivaraha.alaw', 'maksupaiva.alaw', 'yhteistyo.alaw'] as const;

export const RECORDED_NUMBER = '0201234567';
export const RECORDED_NUMBER_E164 = '+358201234567';
export const UNRECORDED_NUMBER = '0912345678';

export interface Fixture {
  readonly dir: string;
  readonly dataDir: string;
  readonly linkPath: string;
  readonly configPath: string;
  writeScenario(lines: string[]): Promise<string>;
  /** The contact history, read with the data directory's demo key. */
  history(): Promise<ContactHistory>;
  /** The recordings, read with the data directory's demo key (after the service stopped). */
  recordings(): Promise<RecordingStore>;
}

export async function createFixture(t: Test, overrides: Partial<ConfigInput> = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-it-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const linkPath = join(dir, 'bridge-link');
  for (const file of SPEECH_FILES) await copyFile(join(SPEECH_DIR, file), join(dir, file));
  const configPath = await writeConfig(dir, {
    mode: 'demo',
    dataDir,
    bridge: { path: linkPath },
    http: { host: '127.0.0.1', port: 0 },
    recording: { recordedServiceNumbers: [RECORDED_NUMBER] },
    agents: [
      { extension: '2001', name: 'Aino Asiakaspalvelija', phone: '0501002001' },
      { extension: '2002', name: 'Eero Esimerkki', phone: '0501002002' },
      { extension: '2003', name: 'Liisa Laaksonen', phone: '0501002003' },
    ],
    log: { level: 'debug' },
    ...overrides,
  });
  return {
    dir,
    dataDir,
    linkPath,
    configPath,
    async writeScenario(lines) {
      const path = join(dir, 'test.scenario');
      await writeFile(path, lines.join('\n') + '\n');
      return path;
    },
    async history() {
      const keyPath = join(dataDir, DEMO_MASTER_KEY_FILE);
      const keys = createKeyHierarchy(parseKey(await readFile(keyPath), keyPath));
      return new ContactHistory(await DocumentStore.open({ dataDir, key: keys.documentKey, logger: silentLogger }));
    },
    async recordings() {
      const keyPath = join(dataDir, DEMO_MASTER_KEY_FILE);
      const keys = createKeyHierarchy(parseKey(await readFile(keyPath), keyPath));
      return RecordingStore.open({ dataDir, keys, clock: systemClock, logger: silentLogger });
    },
  };
}

/** The 16-bit PCM samples of an A-law file, as a WAV export should hold them. */
export async function speechPcm(file: string): Promise<Int16Array> {
  const pcm = alawToPcm16le(await readFile(join(SPEECH_DIR, file)));
  return new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
}

/** The samples of a 16-bit PCM mono WAV file (parses the RIFF chunks, finds "data"). */
export async function wavSamples(path: string): Promise<{ sampleRate: number; samples: Int16Array }> {
  const wav = await readFile(path);
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path} is not a WAV file`);
  let offset = 12;
  let sampleRate = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      if (wav.readUInt16LE(offset + 8) !== 1 || wav.readUInt16LE(offset + 10) !== 1 || wav.readUInt16LE(offset + 22) !== 16) throw new Error('not 16-bit PCM mono');
      sampleRate = wav.readUInt32LE(offset + 12);
    } else if (id === 'data') {
      const data = Buffer.from(wav.subarray(offset + 8, offset + 8 + size));
      return { sampleRate, samples: new Int16Array(data.buffer, data.byteOffset, data.length / 2) };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path} has no data chunk`);
}
