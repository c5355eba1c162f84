/** CPU time and memory of a process from /proc, and a description of this machine. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';

/** Clock ticks per second of the utime/stime fields (getconf CLK_TCK; 100 on Linux). */
export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of every thread of the process so far, in seconds; undefined once it is gone. */
export function cpuSeconds(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/**
 * CPU seconds of the process's main thread (JavaScript) and of its other threads (libuv's pool:
 * file system and crypto work; V8's compiler and GC helpers), grouped by thread name and split
 * into user and system time; threads that have ended are not listed.
 */
export function cpuByThread(pid) {
  const out = {};
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const name = tid === String(pid) ? 'main thread' : `other threads (${comm})`;
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const entry = (out[name] ??= { threads: 0, user: 0, system: 0 });
      entry.threads++;
      entry.user = round(entry.user + Number(fields[11]) / CLK_TCK);
      entry.system = round(entry.system + Number(fields[12]) / CLK_TCK);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

const round = (x) => Math.round(x * 1000) / 1000;

/** { rssKb, hwmKb } (VmRSS, VmHWM = peak resident set) of the process; undefined once it is gone. */
export function memoryKb(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

/**
 * Samples a process every intervalMs: CPU seconds, wall time and memory. `last()` is the latest
 * sample, `busyUntil()` the wall time of the last sample whose CPU grew by more than a tick.
 */
export function sampleProcess(pid, intervalMs = 100) {
  const samples = [];
  let peakHwmKb = 0;
  const take = () => {
    const cpu = cpuSeconds(pid);
    const mem = memoryKb(pid);
    if (cpu === undefined || mem === undefined) return undefined;
    peakHwmKb = Math.max(peakHwmKb, mem.hwmKb);
    const sample = { atMs: performance.now(), cpu, rssKb: mem.rssKb };
    samples.push(sample);
    return sample;
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    take,
    samples,
    stop: () => clearInterval(timer),
    peakHwmKb: () => peakHwmKb,
    /** Wall time of the last sample that used more than `minCpu` seconds since the one before. */
    lastBusyAfter(fromMs, minCpu = 1.5 / CLK_TCK) {
      let busy;
      for (let i = 1; i < samples.length; i++) {
        if (samples[i].atMs >= fromMs && samples[i].cpu - samples[i - 1].cpu > minCpu) busy = samples[i];
      }
      return busy;
    },
    /** True when the last `count` intervals together used at most `maxCpu` seconds. */
    quietFor(count, maxCpu = 2 / CLK_TCK) {
      if (samples.length <= count) return false;
      return samples[samples.length - 1].cpu - samples[samples.length - 1 - count].cpu <= maxCpu;
    },
  };
}

/** What the numbers were measured on. */
export function machineInfo() {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    model = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // keep os.cpus()'s answer
  }
  let kernel = '';
  try {
    kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    // not Linux: the benchmark needs /proc anyway
  }
  return { cpus: cpus().length, model, node: process.version, kernel };
}

/** The process's child processes (the service's password hasher), from /proc; [] when it is gone. */
export function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
