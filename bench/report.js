/** The results table (stdout and docs/benchmarks.md) and the method text of the docs. */
import { writeFile } from 'node:fs/promises';
import { audioShareOfWire } from './lib/setup.js';
import { readSections } from './lib/docs-section.js';

const fmt = (value, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (kb) => `${fmt(kb / 1024, 1)} MB`;
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

/** Targets of the issue. */
export const TARGETS = {
  realtimeCoreShare: 0.1,
  floodChannelEquivalents: 1000,
  cpuPerChannelHourVsAge: 2,
  peakRssMb: 150,
};

/** " (runs: a-b)" when the flood ran more than once. */
function range(flood, key, show) {
  const r = flood.ranges?.[key];
  if (r === undefined || flood.runs < 2) return '';
  return ` (${flood.runs} runs: ${show(r[0])}-${show(r[1])})`;
}

export function buildRows({ limit, flood, realtime, age, options }) {
  const n = options.channels;
  const ratio = flood.cpuSecondsPerChannelHour / age.cpuSecondsPerChannelHour;
  const realtimeRatio = realtime.cpuSecondsPerChannelHour / age.cpuSecondsPerChannelHour;
  return [
    ['Limit: pseudo-terminal raw throughput, flood into `cat > /dev/null`', `${fmt(limit.audioChannelEquivalents)} channel-equivalents (${fmt(limit.wireBytesPerSecond / 1e6, 1)} MB/s on the wire)`, 'reference', ''],
    [`Service, flood of ${n} channels: audio recorded / wall time (sustained ingest)`, `${fmt(flood.sustainedChannels)} channel-equivalents${range(flood, 'sustainedChannels', (x) => fmt(x))}`, `>= ${fmt(TARGETS.floodChannelEquivalents)}`, verdict(flood.sustainedChannels >= TARGETS.floodChannelEquivalents)],
    [`Service, flood of ${n} channels: rate the simulator could write into the service`, `${fmt(flood.flood.audioChannelEquivalents)} channel-equivalents`, 'reference', ''],
    ['Service, flood: channels sustained on one core (audio channel-seconds / CPU-seconds)', `${fmt(flood.channelsPerCore)} channels${range(flood, 'channelsPerCore', (x) => fmt(x))}`, 'reference', ''],
    ['Service, flood: CPU-seconds per channel-hour of audio', `${fmt(flood.cpuSecondsPerChannelHour, 2)} s${range(flood, 'cpuSecondsPerChannelHour', (x) => fmt(x, 2))}`, `<= 2x age = ${fmt(TARGETS.cpuPerChannelHourVsAge * age.cpuSecondsPerChannelHour, 2)} s`, verdict(ratio <= TARGETS.cpuPerChannelHourVsAge)],
    ['Peer: `age` from a pipe into a file, same audio bytes: CPU-seconds per channel-hour', `${fmt(age.cpuSecondsPerChannelHour, 2)} s`, 'reference', ''],
    ['Service / age, CPU per channel-hour (flood)', `${fmt(ratio, 1)}x`, '<= 2x', verdict(ratio <= TARGETS.cpuPerChannelHourVsAge)],
    [`Service, ${n} channels at real time: share of one core`, `${fmt(realtime.coreShare * 100, 1)} %`, `< ${fmt(TARGETS.realtimeCoreShare * 100)} %`, verdict(realtime.coreShare < TARGETS.realtimeCoreShare)],
    [`Service, ${n} channels at real time: CPU-seconds per channel-hour (${fmt(realtimeRatio, 1)}x age)`, `${fmt(realtime.cpuSecondsPerChannelHour, 2)} s`, 'reference', ''],
    ['Service, peak resident memory (VmHWM), flood run', `${mb(flood.peakRssKb)}${range(flood, 'peakRssKb', (x) => fmt(x / 1024, 1))}`, `< ${TARGETS.peakRssMb} MB`, verdict((flood.ranges?.peakRssKb?.[1] ?? flood.peakRssKb) / 1024 < TARGETS.peakRssMb)],
    ['Service, peak resident memory (VmHWM), real-time run', mb(realtime.peakRssKb), `< ${TARGETS.peakRssMb} MB`, verdict(realtime.peakRssKb / 1024 < TARGETS.peakRssMb)],
    [
      'Recordings checked (seal, content hash, every chunk) after the runs',
      `flood: ${flood.audio.sealed}/${flood.audio.recordings} sealed, ${fmt(flood.audio.verifiedChannelSeconds, 1)} channel-s match the simulator's samples, ${fmt(flood.audio.gapChannelSeconds, 1)} s gaps; real time: ${realtime.audio.sealed}/${realtime.audio.recordings} sealed, ${fmt(realtime.audio.recordedChannelSeconds, 1)} channel-s, ${fmt(realtime.audio.gapChannelSeconds, 1)} s gaps`,
      'every call sealed, no gaps',
      verdict(flood.audio.sealed === n && realtime.audio.sealed === n && flood.audio.unreadable === 0 && realtime.audio.unreadable === 0 && flood.audio.gapSamples === 0 && realtime.audio.gapSamples === 0),
    ],
  ];
}

export function markdownTable(rows) {
  const lines = ['| measurement | value | target | result |', '|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

export async function writeDocs(file, results, table) {
  const { startedAt, machine, subject, options, limit, flood, realtime, age } = results;
  const n = options.channels;
  const text = `# Benchmarks

\`npm run bench\` (\`npm run build && node bench/run.js\`; never part of \`npm test\`) measures
the ingest of the service against the limit of the link and against a peer, all in one run of
a few minutes on this machine only. This file is rewritten by every run; the figures below are
from the last one.

## Last run

- Date: ${startedAt.toISOString()}
- Machine: ${machine.cpus} CPU(s), ${machine.model}, Linux ${machine.kernel}, Node.js ${machine.node}, age ${age.version}
- Service measured: ${subject}; data directory on the machine's temporary directory (${'`'}os.tmpdir()${'`'})
- Flood: ${n} channels for ${options.floodSeconds} s, ${flood.runs ?? 1} runs (the table gives the run with the median CPU per channel-hour and the range over the runs); real time: ${n} calls, ${options.windowSeconds} s window after ${5} s

${table}

## Method

Every process runs on this machine; the service reads the firmware's host build
(\`firmware-bridge/build/host/tallennin-bridge-sim\`) over a pseudo-terminal, exactly as in the
integration tests. CPU time is utime + stime of the whole process (all threads, including
libuv's thread pool) from \`/proc/<pid>/stat\`, sampled every 100-200 ms; memory is \`VmHWM\`
from \`/proc/<pid>/status\`, read just before the service is stopped with SIGTERM (so it covers
start-up, the runs and the sealing). A missed target is a FAIL row; the run only fails when a
measurement could not be taken.

- **Limit.** \`tallennin-bridge-sim --flood ${n} --duration 5\` writes AUDIO frames as fast as the
  pseudo-terminal takes them, read by \`cat > /dev/null\`. Its \`FLOOD\` line gives the wire bytes
  per second; the table shows the audio part (${fmt(100 * audioShareOfWire(n), 1)} % of the wire bytes for ${n} channels:
  each 48-channel frame carries 19 bytes of framing and one channel byte per 160 samples) divided
  by 8,000 bytes/s. What limits it: the kernel's pty copy and the simulator's framing and CRCs,
  one core each for writer and reader.
- **Service, flood.** The simulator waits for the service's HELLO (\`--wait-hello\`), sends
  CALL_START on every channel (the called number ${'`'}+358800123456${'`'} is a recorded service
  number in the config, so every call is encrypted and written) and floods for
  ${options.floodSeconds} s; it writes only when the pty has room, so its rate is the rate the service
  reads at. When it exits the link drops and the service holds every call (its partial chunk
  flushed) waiting for the bridge to announce it again; the stop afterwards seals them as
  interrupted. CPU is counted from the service's "service started" log line (before the HELLO, so
  before any audio) until the last 100 ms sample in which it still used CPU after every call was
  held or ended.
  The audio counted is what the product's own reader finds in the sealed recordings afterwards
  (seal, content hash and every chunk's tag checked), tick by tick compared with the
  simulator's sample pattern: only audio that arrived intact counts, silence filled into gaps
  does not. Sustained channel-equivalents = those channel-seconds / wall seconds from "bridge link
  up" to the end of the sealing; channels on one core = channel-seconds / CPU-seconds; CPU per
  channel-hour = CPU-seconds / (channel-seconds / 3600). What limits it: the service's own CPU
  (decoding, per-call buffering, AES-256-GCM, a SHA-256 content hash, one fdatasync per second of
  audio per call) on one JavaScript thread.
- **Peer.** \`age -r <recipient> -o out.age\` (X25519 recipient, ChaCha20-Poly1305 in 64 KiB
  chunks) encrypts the same number of bytes as the service recorded in the flood
  (${fmt(age.bytes / 1e6, 1)} MB of the demo's Finnish speech in A-law, repeated) from a pipe into one file; its CPU
  is user + system from GNU time, the median of 3 runs (GNU time counts in 10 ms steps). The
  peer does much less than the service: one stream, one file, no per-call keys, no framing, no
  fsync, no seal; it is the cost of "just encrypt the bytes".
- **Service, real time.** A scenario of ${n} calls (one per channel, started within the first
  second, the demo's speech files repeated) at \`--speed 1\`; the service's CPU share of one core
  is measured over ${options.windowSeconds} s starting 5 s after "bridge link up", when every call is running
  and every recording is open. Fixed per-tick costs (50 AUDIO frames a second, timers, one
  fdatasync per call per second) dominate here, which the flood spreads over more audio.

- **Recordings checked.** After each service run every recording is opened with the product's
  reader (seal, content hash, every chunk's tag). Gaps are ticks the service filled with silence
  because their audio never reached the recording; they are reported, not counted as audio.

Reproduce: \`npm run bench\`. The options are listed at the top of \`bench/run.js\`
(\`--flood-seconds\`, \`--flood-runs\`, \`--window-seconds\`, \`--channels\`, \`--keep\`,
\`--no-docs\`, \`--cpu-prof DIR\` to profile the service).

Raw figures of the last run:

\`\`\`json
${JSON.stringify({ limit, flood: { ...flood, dataDir: undefined }, realtime: { ...realtime, dataDir: undefined }, age }, null, 2)}
\`\`\`
`;
  // The sections the other benchmarks write (bench:access, bench:history, bench:capture...): kept as they were.
  const kept = await readSections(file);
  await writeFile(file, [text.trimEnd(), ...kept].join('\n\n') + '\n');
}

export { fmt };
