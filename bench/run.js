#!/usr/bin/env node
/**
 * `npm run bench`: ingest of the bridge's flood and of 120 real-time channels by the service,
 * side by side with the pseudo-terminal's raw throughput (the limit) and with `age` encrypting
 * the same audio bytes (the peer). Every figure is measured in this run. Prints one markdown
 * table and writes it, with the machine and the method, to docs/benchmarks.md.
 *
 * Options:
 *   --channels N        channels of the flood and of the real-time run (default 120)
 *   --flood-seconds S   length of the service flood (default 10)
 *   --flood-runs N      service flood runs; the table gives the median and the range (default 3)
 *   --window-seconds S  steady window of the real-time run (default 15)
 *   --no-docs           do not write docs/benchmarks.md
 *   --keep              keep the data directories of the service runs (paths printed)
 *   --cpu-prof DIR      run the service under `node --cpu-prof --cpu-prof-dir DIR` (profiles
 *                       are written when it stops; slows it down, so the numbers are not kept)
 *
 * Exit: 0 when every measurement was taken (a missed target is a FAIL row, not an error),
 * 1 when a measurement could not be taken, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { killAll } from './lib/children.js';
import { machineInfo } from './lib/proc.js';
import { ensureSimulator, ensureTool, removeTempDirs, REPO_ROOT } from './lib/setup.js';
import { measureLimit } from './measure-limit.js';
import { measureServiceFlood, measureServiceRealtime } from './measure-service.js';
import { measureAge } from './measure-age.js';
import { buildRows, markdownTable, writeDocs } from './report.js';

const LIMIT_SECONDS = 5;
const REALTIME_WARMUP_SECONDS = 5;

function options() {
  try {
    const { values } = parseArgs({
      options: {
        channels: { type: 'string', default: '120' },
        'flood-seconds': { type: 'string', default: '10' },
        'flood-runs': { type: 'string', default: '3' },
        'window-seconds': { type: 'string', default: '15' },
        'no-docs': { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        'cpu-prof': { type: 'string' },
      },
      strict: true,
    });
    const channels = Number(values.channels);
    const floodSeconds = Number(values['flood-seconds']);
    const windowSeconds = Number(values['window-seconds']);
    const floodRuns = Number(values['flood-runs']);
    if (!Number.isInteger(floodRuns) || floodRuns < 1 || floodRuns > 9) throw new Error('--flood-runs must be 1..9');
    if (!Number.isInteger(channels) || channels < 1 || channels > 128) throw new Error('--channels must be 1..128');
    if (!(floodSeconds > 0 && floodSeconds <= 120)) throw new Error('--flood-seconds must be in (0, 120]');
    if (!(windowSeconds >= 5 && windowSeconds <= 120)) throw new Error('--window-seconds must be in [5, 120]');
    return { ...values, channels, floodSeconds, floodRuns, windowSeconds };
  } catch (err) {
    process.stderr.write(`bench: ${err.message}\n`);
    process.exit(2);
  }
}

/** { key: [min, max] } over the runs. */
function ranges(runs, keys) {
  return Object.fromEntries(keys.map((key) => [key, [Math.min(...runs.map((r) => r[key])), Math.max(...runs.map((r) => r[key]))]]));
}

function step(text) {
  process.stderr.write(`bench: ${text}\n`);
}

async function main() {
  const opts = options();
  ensureSimulator();
  ensureTool('age', 'age');
  ensureTool('/usr/bin/time', 'time');
  const serviceNodeArgs = opts['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', resolve(opts['cpu-prof'])];
  const subject = '`tallennin start`';
  const startedAt = new Date();

  step(`limit: flood of ${opts.channels} channels for ${LIMIT_SECONDS} s into cat > /dev/null`);
  const limit = await measureLimit({ channels: opts.channels, seconds: LIMIT_SECONDS });

  const floods = [];
  for (let run = 1; run <= opts.floodRuns; run++) {
    step(`service flood ${run}/${opts.floodRuns}: ${opts.channels} channels for ${opts.floodSeconds} s into ${subject}`);
    const flood = await measureServiceFlood({ channels: opts.channels, seconds: opts.floodSeconds, keepDir: opts.keep, serviceNodeArgs });
    if (flood.dataDir !== undefined) {
      keptDirs.add(flood.dataDir);
      step(`flood data kept in ${flood.dataDir}`);
    }
    if (flood.audio.patternTicks === 0) throw new Error(`the service recorded no flood audio (${flood.audio.recordings} recordings; ${flood.audio.problems.join('; ')})`);
    floods.push(flood);
  }
  // The run with the median CPU per channel-hour stands for the flood; the others give ranges.
  const flood = [...floods].sort((a, b) => a.cpuSecondsPerChannelHour - b.cpuSecondsPerChannelHour)[Math.floor(floods.length / 2)];
  flood.ranges = ranges(floods, ['sustainedChannels', 'channelsPerCore', 'cpuSecondsPerChannelHour', 'peakRssKb']);
  flood.runs = floods.length;

  step(`service real time: ${opts.channels} calls, ${opts.windowSeconds} s window`);
  const realtime = await measureServiceRealtime({ channels: opts.channels, warmupSeconds: REALTIME_WARMUP_SECONDS, windowSeconds: opts.windowSeconds, keepDir: opts.keep, serviceNodeArgs });
  if (realtime.dataDir !== undefined) {
    keptDirs.add(realtime.dataDir);
    step(`real-time data kept in ${realtime.dataDir}`);
  }

  const ageBytes = Math.round(flood.audio.verifiedChannelSeconds * 8000);
  step(`peer: age over the flood's ${(ageBytes / 1e6).toFixed(1)} MB of audio, 3 runs`);
  const age = await measureAge({ bytes: ageBytes });

  const results = { startedAt, machine: machineInfo(), subject, options: opts, limit, flood, realtime, age };
  const rows = buildRows(results);
  const table = markdownTable(rows);
  process.stdout.write(`\n${table}\n`);
  process.stdout.write(`\nDetails: ${JSON.stringify({ limit, flood: { ...flood, dataDir: undefined }, realtime: { ...realtime, dataDir: undefined }, age }, null, 1)}\n`);
  if (opts['cpu-prof'] !== undefined) {
    step(`profiles in ${resolve(opts['cpu-prof'])}; docs not written (profiling slows the service)`);
  } else if (!opts['no-docs']) {
    const file = resolve(REPO_ROOT, 'docs/benchmarks.md');
    await writeDocs(file, results, table);
    step(`wrote ${file}`);
  }
}

const cleanUp = () => {
  killAll();
  removeTempDirs(keptDirs);
};
const keptDirs = new Set();
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp();
    process.exit(1);
  });
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (err) => {
    process.stderr.write(`bench: a measurement could not be taken: ${err.stack ?? err}\n`);
    cleanUp();
    process.exitCode = 1;
  },
);
