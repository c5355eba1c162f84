/**
 * Child processes of a benchmark run: every one is tracked, killed (SIGTERM, then SIGKILL) when
 * the run ends or fails, and its output can be awaited line by line with a timeout.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

const running = new Set();

/**
 * Spawns a tracked child. Returns { child, lines(stream), exited } where `exited` resolves with
 * { code, signal } and `stderrTail()` gives its last stderr lines for error messages.
 */
export function startChild(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  running.add(child);
  const tail = [];
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      running.delete(child);
      tail.push(`spawn failed: ${err.message}`);
      resolve({ code: null, signal: null, error: err });
    });
  });
  const listeners = { stdout: [], stderr: [] };
  for (const name of ['stdout', 'stderr']) {
    const stream = child[name];
    if (stream === null) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (name === 'stderr') {
        tail.push(line);
        if (tail.length > 30) tail.shift();
      }
      for (const listener of [...listeners[name]]) listener(line);
    });
  }
  return {
    child,
    exited,
    /** Calls `listener(line)` for every later line of stdout or stderr. */
    onLine(stream, listener) {
      listeners[stream].push(listener);
    },
    /** Resolves with the first later line of `stream` that `match` accepts; rejects after timeoutMs or at exit. */
    waitForLine(stream, match, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const done = (fn, value) => {
          clearTimeout(timer);
          listeners[stream] = listeners[stream].filter((l) => l !== listener);
          fn(value);
        };
        const listener = (line) => {
          const result = match(line);
          if (result) done(resolve, { line, result, atMs: performance.now() });
        };
        const timer = setTimeout(() => done(reject, new Error(`timed out after ${timeoutMs} ms waiting for ${what} from ${command}\n${tail.join('\n')}`)), timeoutMs);
        listeners[stream].push(listener);
        void exited.then(({ code, signal }) => done(reject, new Error(`${command} exited (code ${code}, signal ${signal}) before ${what}\n${tail.join('\n')}`)));
      });
    },
    stderrTail: () => tail.join('\n'),
  };
}

/** Sends SIGTERM, and SIGKILL after graceMs; resolves with the exit status. */
export async function stopChild(handle, graceMs = 20_000) {
  const { child, exited } = handle;
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const status = await exited;
  clearTimeout(timer);
  return { ...status, killed: status.signal === 'SIGKILL' };
}

/** Kills every child still running (at exit or after a failure). */
export function killAll() {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
