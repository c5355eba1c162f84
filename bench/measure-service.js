/**
 * The service under test, fed by the bridge simulator over its pseudo-terminal:
 * - measureServiceFlood: the flood mode (CALL_START on every channel, then AUDIO as fast as the
 *   service reads it); CPU seconds of the service process from just before the link comes up
 *   until it has sealed the last recording, against the audio it really recorded.
 * - measureServiceRealtime: a scenario of calls on every channel at real time; the service's
 *   share of one core over a steady window while every call is running.
 * Both read the peak resident set (VmHWM) just before stopping the service with SIGTERM.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sleep, startChild, stopChild } from './lib/children.js';
import { cpuByThread, sampleProcess } from './lib/proc.js';
import { readRecordedAudio, SAMPLE_RATE_HZ, SAMPLES_PER_TICK } from './lib/recordings.js';
import {
  ALAW_BYTES_PER_SECOND,
  BRIDGE_SIM,
  DEMO_AUDIO_FILES,
  FLOOD_CALLED_NUMBER,
  audioShareOfWire,
  logLine,
  makeTempDir,
  parseFloodLine,
  startService,
} from './lib/setup.js';

const SERVICE_START_TIMEOUT_MS = 60_000;
const LINK_UP_TIMEOUT_MS = 30_000;
/** The service counts as done when 1 s of samples used at most two clock ticks of CPU. */
const QUIET_SAMPLES = 10;
const DRAIN_TIMEOUT_MS = 120_000;

/** Warnings every run causes on purpose: demo mode, and the link dropping when the simulator exits. */
const EXPECTED_LOG = /^(DEMO MODE|alarm: the link to the firmware bridge was lost|bridge link down|call held)/;

/** Counts the service's "call started" / "call ended" / "call held" log lines. */
function watchCalls(service) {
  const calls = { started: 0, recorded: 0, ended: 0, held: 0, problems: [] };
  service.onLine('stderr', (line) => {
    const entry = logLine(line);
    if (entry === undefined) return;
    if (entry.msg === 'call started') {
      calls.started++;
      if (entry.recorded === true) calls.recorded++;
    } else if (entry.msg === 'call ended') {
      calls.ended++;
    } else if (entry.msg === 'call held') {
      calls.held++;
    }
    if (entry.msg === 'call held') {
      // expected: the flood ends with the link
    } else if ((entry.level === 'error' || entry.level === 'warn') && !EXPECTED_LOG.test(entry.msg)) {
      if (calls.problems.length < 10) calls.problems.push(`${entry.level}: ${entry.msg}${entry.code === undefined ? '' : ` (${entry.code})`}`);
    }
  });
  return calls;
}

async function untilQuiet(sampler, condition, what) {
  const giveUp = performance.now() + DRAIN_TIMEOUT_MS;
  while (!(condition() && sampler.quietFor(QUIET_SAMPLES))) {
    if (performance.now() > giveUp) throw new Error(`the service did not finish ${what} within ${DRAIN_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

async function stopService(service) {
  const status = await stopChild(service, 30_000);
  if (status.killed || status.code !== 0) {
    throw new Error(`the service did not stop cleanly on SIGTERM (code ${status.code}, signal ${status.signal})\n${service.stderrTail()}`);
  }
}

function startedLine(line) {
  const entry = logLine(line);
  return entry?.msg === 'service started';
}

function linkUpLine(line) {
  const entry = logLine(line);
  return entry?.msg === 'bridge link up';
}

export async function measureServiceFlood({ channels, seconds, keepDir, serviceNodeArgs }) {
  const dir = await makeTempDir('flood');
  const sim = startChild(BRIDGE_SIM, ['--flood', String(channels), '--duration', String(seconds), '--link', join(dir, 'bridge.link'), '--wait-hello', '--quiet']);
  let service;
  let sampler;
  try {
    await sim.waitForLine('stdout', (line) => line.startsWith('PTY '), 10_000, 'its PTY line');
    const floodLine = sim.waitForLine('stdout', parseFloodLine, SERVICE_START_TIMEOUT_MS + LINK_UP_TIMEOUT_MS + (seconds + 30) * 1000, 'the FLOOD line');
    floodLine.catch(() => undefined);
    const started = await startService(dir, { recordedNumbers: [FLOOD_CALLED_NUMBER], extraNodeArgs: serviceNodeArgs });
    service = started.service;
    const calls = watchCalls(service);
    const linkUp = service.waitForLine('stderr', linkUpLine, SERVICE_START_TIMEOUT_MS + LINK_UP_TIMEOUT_MS, '"bridge link up"');
    linkUp.catch(() => undefined);
    await service.waitForLine('stderr', startedLine, SERVICE_START_TIMEOUT_MS, '"service started"');
    // Before the first HELLO: the simulator waits for it, so no audio has been sent yet.
    sampler = sampleProcess(service.child.pid);
    const before = sampler.take();
    const { atMs: linkUpAtMs } = await linkUp;
    const { result: flood, atMs: floodEndAtMs } = await floodLine;
    await sim.exited;
    // The simulator exits after the flood: the link drops and the service holds every call (its
    // partial chunk flushed) waiting for the bridge; the stop below seals them. Done = all calls
    // held or ended and the CPU is idle.
    await untilQuiet(sampler, () => calls.ended + calls.held >= calls.started && calls.started > 0, 'flushing the flood recordings');
    const lastBusy = sampler.lastBusyAfter(before.atMs) ?? sampler.take();
    const end = sampler.take();
    const threads = cpuByThread(service.child.pid);
    sampler.stop();
    const peakRssKb = sampler.peakHwmKb();
    await stopService(service);
    const audio = await readRecordedAudio(started.config.dataDir, { checkFloodPattern: true });
    const verifiedChannelSeconds = (audio.patternTicks * SAMPLES_PER_TICK) / SAMPLE_RATE_HZ;
    const cpuSeconds = end.cpu - before.cpu;
    const wallSeconds = (lastBusy.atMs - linkUpAtMs) / 1000;
    return {
      channels,
      calls,
      flood: {
        ...flood,
        audioChannelEquivalents: (flood.bytes * audioShareOfWire(channels)) / flood.seconds / ALAW_BYTES_PER_SECOND,
        endToSealedSeconds: (lastBusy.atMs - floodEndAtMs) / 1000,
      },
      audio: {
        ...audio,
        recordedChannelSeconds: audio.samples / SAMPLE_RATE_HZ,
        gapChannelSeconds: audio.gapSamples / SAMPLE_RATE_HZ,
        verifiedChannelSeconds,
      },
      cpuSeconds,
      cpuByThreadAtEnd: threads,
      wallSeconds,
      sustainedChannels: verifiedChannelSeconds / wallSeconds,
      channelsPerCore: verifiedChannelSeconds / cpuSeconds,
      cpuSecondsPerChannelHour: cpuSeconds / (verifiedChannelSeconds / 3600),
      peakRssKb,
      dataDir: keepDir ? dir : undefined,
    };
  } finally {
    sampler?.stop();
    if (service !== undefined) await stopChild(service, 5000);
    await stopChild(sim, 5000);
    if (!keepDir) await rm(dir, { recursive: true, force: true });
  }
}

function threadDelta(from, to) {
  const out = {};
  for (const [name, t] of Object.entries(to)) {
    const f = from[name] ?? { user: 0, system: 0 };
    out[name] = { threads: t.threads, user: Math.round((t.user - f.user) * 1000) / 1000, system: Math.round((t.system - f.system) * 1000) / 1000 };
  }
  return out;
}

/** A scenario with one call on every channel, `callMs` long, starts spread over the first second. */
function realtimeScenario(channels, callMs) {
  const lines = ['# bench/measure-service.js: one call on every channel, at real time', `channels ${channels}`];
  const startSpreadMs = 1000;
  for (let channel = 0; channel < channels; channel++) {
    const startMs = Math.floor((channel * startSpreadMs) / channels);
    const file = DEMO_AUDIO_FILES[channel % DEMO_AUDIO_FILES.length];
    lines.push(`call ${startMs} ${channel} 0401234567 ${FLOOD_CALLED_NUMBER} 2001 ${file} ${callMs}`);
  }
  return lines.join('\n') + '\n';
}

export async function measureServiceRealtime({ channels, warmupSeconds, windowSeconds, keepDir, serviceNodeArgs }) {
  const dir = await makeTempDir('realtime');
  const callMs = (warmupSeconds + windowSeconds + 3) * 1000;
  const scenarioFile = join(dir, 'realtime.scenario');
  await writeFile(scenarioFile, realtimeScenario(channels, callMs));
  const sim = startChild(BRIDGE_SIM, ['--scenario', scenarioFile, '--link', join(dir, 'bridge.link'), '--wait-hello', '--speed', '1', '--quiet']);
  let service;
  let sampler;
  try {
    await sim.waitForLine('stdout', (line) => line.startsWith('PTY '), 10_000, 'its PTY line');
    const done = sim.waitForLine('stdout', (line) => line === 'DONE', SERVICE_START_TIMEOUT_MS + LINK_UP_TIMEOUT_MS + callMs + 30_000, 'DONE');
    done.catch(() => undefined);
    const started = await startService(dir, { recordedNumbers: [FLOOD_CALLED_NUMBER], extraNodeArgs: serviceNodeArgs });
    service = started.service;
    const calls = watchCalls(service);
    const linkUp = service.waitForLine('stderr', linkUpLine, SERVICE_START_TIMEOUT_MS + LINK_UP_TIMEOUT_MS, '"bridge link up"');
    linkUp.catch(() => undefined);
    await service.waitForLine('stderr', startedLine, SERVICE_START_TIMEOUT_MS, '"service started"');
    sampler = sampleProcess(service.child.pid, 200);
    const { atMs: linkUpAtMs } = await linkUp;
    // The scenario clock starts at the service's HELLO: all calls run from ~1 s on.
    await sleep(Math.max(0, linkUpAtMs + warmupSeconds * 1000 - performance.now()));
    const from = sampler.take();
    const threadsFrom = cpuByThread(service.child.pid);
    const callsAtWindowStart = calls.started - calls.ended;
    await sleep(windowSeconds * 1000);
    const to = sampler.take();
    const threadsTo = cpuByThread(service.child.pid);
    const callsAtWindowEnd = calls.started - calls.ended;
    await done;
    await untilQuiet(sampler, () => calls.ended >= calls.started && calls.started >= channels, 'sealing the calls');
    sampler.stop();
    const peakRssKb = sampler.peakHwmKb();
    await stopService(service);
    const audio = await readRecordedAudio(started.config.dataDir);
    const windowCpuSeconds = to.cpu - from.cpu;
    const windowWallSeconds = (to.atMs - from.atMs) / 1000;
    return {
      channels,
      calls,
      callsInWindow: Math.min(callsAtWindowStart, callsAtWindowEnd),
      windowCpuSeconds,
      windowWallSeconds,
      windowCpuByThread: threadDelta(threadsFrom, threadsTo),
      coreShare: windowCpuSeconds / windowWallSeconds,
      cpuSecondsPerChannelHour: windowCpuSeconds / ((channels * windowWallSeconds) / 3600),
      audio: { ...audio, recordedChannelSeconds: audio.samples / SAMPLE_RATE_HZ, gapChannelSeconds: audio.gapSamples / SAMPLE_RATE_HZ },
      peakRssKb,
      dataDir: keepDir ? dir : undefined,
    };
  } finally {
    sampler?.stop();
    if (service !== undefined) await stopChild(service, 5000);
    await stopChild(sim, 5000);
    if (!keepDir) await rm(dir, { recursive: true, force: true });
  }
}
