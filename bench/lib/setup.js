/** Paths, the simulator build, the wire arithmetic and the service under test. */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { startChild } from './children.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIRMWARE_DIR = resolve(REPO_ROOT, 'firmware-bridge');
export const BRIDGE_SIM = resolve(FIRMWARE_DIR, 'build/host/tallennin-bridge-sim');
export const DEMO_AUDIO_DIR = resolve(FIRMWARE_DIR, 'scenarios/demo');
export const DEMO_AUDIO_FILES = ['jasenmaksu.alaw', 'ansiopaivaraha.alaw', 'maksupaiva.alaw', 'yhteistyo.alaw'].map((name) => join(DEMO_AUDIO_DIR, name));

/** The called number of every flood CALL_START (firmware-bridge/ports/host/main.c, run_flood). */
export const FLOOD_CALLED_NUMBER = '+358800123456';

/** Wire layout (firmware-bridge/PROTOCOL.md, include/bridge_protocol.h). */
const FRAME_OVERHEAD_BYTES = 10 + 4;
const AUDIO_HEADER_BYTES = 5;
const AUDIO_ENTRY_BYTES = 1 + 160;
const AUDIO_CHANNELS_PER_FRAME = 48;
export const ALAW_BYTES_PER_SECOND = 8000;

/** Share of the wire bytes of one flood tick that are audio samples (the rest is framing). */
export function audioShareOfWire(channels) {
  const frames = Math.ceil(channels / AUDIO_CHANNELS_PER_FRAME);
  const wire = frames * (FRAME_OVERHEAD_BYTES + AUDIO_HEADER_BYTES) + channels * AUDIO_ENTRY_BYTES;
  return (channels * 160) / wire;
}

/** Parses the simulator's `FLOOD frames=.. bytes=.. seconds=.. channel_equivalents=..` line. */
export function parseFloodLine(line) {
  if (!line.startsWith('FLOOD ')) return undefined;
  const fields = Object.fromEntries(line.slice(6).split(' ').map((kv) => kv.split('=')));
  return { frames: Number(fields.frames), bytes: Number(fields.bytes), seconds: Number(fields.seconds), channelEquivalents: Number(fields.channel_equivalents) };
}

/** Builds the simulator (make host) when it is missing; throws when that fails. */
export function ensureSimulator() {
  if (existsSync(BRIDGE_SIM)) return;
  process.stderr.write('bench: building the firmware host build (make -s -C firmware-bridge host)\n');
  const build = spawnSync('make', ['-s', '-C', FIRMWARE_DIR, 'host'], { stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(BRIDGE_SIM)) {
    throw new Error(`the bridge simulator ${BRIDGE_SIM} is not built and \`make -C firmware-bridge host\` failed`);
  }
}

export function ensureTool(command, debianPackage) {
  const probe = spawnSync(command, ['--version'], { stdio: 'ignore' });
  if (probe.error !== undefined) throw new Error(`${command} is not installed (Debian package ${debianPackage})`);
}

const tempDirs = new Set();

/** A new directory under os.tmpdir(); removeTempDirs() removes what is left at exit. */
export async function makeTempDir(prefix) {
  const dir = await mkdtemp(join(tmpdir(), `tallennin-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

/** Removes the temporary directories not kept on purpose (`keep`: paths to leave). */
export function removeTempDirs(keep = new Set()) {
  for (const dir of tempDirs) if (!keep.has(dir)) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/**
 * Writes a demo-mode config into `dir` (data directory `dir/data`, bridge at `dir/bridge.link`,
 * web UI on a loopback port chosen by the kernel) and starts the service under test:
 * `tallennin start --config FILE`.
 */
export async function startService(dir, { recordedNumbers, extraNodeArgs = [], env }) {
  const config = {
    mode: 'demo',
    dataDir: join(dir, 'data'),
    bridge: { path: join(dir, 'bridge.link') },
    phone: { defaultRegion: 'FI' },
    recording: { recordedServiceNumbers: recordedNumbers },
    agents: [{ extension: '2001', name: 'Bench Agent', phone: '050 100 2001' }],
    http: { host: '127.0.0.1', port: 0 },
    log: { level: 'info' },
  };
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const entry = [resolve(REPO_ROOT, 'bin/tallennin.js'), 'start', '--config', configFile];
  const service = startChild(process.execPath, [...extraNodeArgs, ...entry], { cwd: dir, ...(env === undefined ? {} : { env }) });
  return { service, config, configFile };
}

/** Parses a JSON log line of the service; undefined for anything else. */
export function logLine(line) {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** A scenario of one call on every channel, `callMs` long, the starts spread over the first second. */
export function oneCallPerChannel(channels, callMs) {
  const lines = [`channels ${channels}`];
  for (let channel = 0; channel < channels; channel++) {
    lines.push(`call ${Math.floor((channel * 1000) / channels)} ${channel} 0401234567 ${FLOOD_CALLED_NUMBER} 2001 ${DEMO_AUDIO_FILES[channel % DEMO_AUDIO_FILES.length]} ${callMs}`);
  }
  return lines.join('\n') + '\n';
}
