/**
 * The password-hashing process (started by hash-worker.ts, under SCHED_BATCH). It lowers its own
 * niceness before anything else runs: the threads that later compute argon2id (libuv's pool, and
 * the lane threads argon2 starts from it) inherit it, so a burst of sign-ins gets a smaller share
 * of a contended core than capture, playback and search, but always some. It talks to the
 * service over the fork IPC channel only.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import argon2 from 'argon2';
import type { HashRequest, HashResponse } from './hash-worker.js';

const niceness = Number(process.argv[2] ?? '5');
let priority: 'lowered' | string = 'lowered';
try {
  // Linux keeps the nice value per thread: every thread started so far (the module loader may
  // have started libuv's pool already) is lowered, and threads started later inherit it.
  for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), niceness);
} catch (err) {
  // A service sandbox may forbid it; hashing still works, only at normal priority.
  priority = (err as NodeJS.ErrnoException).code ?? 'failed';
}
send({ type: 'ready', priority });

process.on('message', (message: HashRequest) => {
  void answer(message).then(send);
});
// The service gone means the channel is gone: nothing is left to hash for.
process.on('disconnect', () => process.exit(0));

async function answer(request: HashRequest): Promise<HashResponse> {
  try {
    if (request.op === 'hash') {
      return { type: 'result', id: request.id, ok: true, value: await argon2.hash(request.password, { type: argon2.argon2id, ...request.params }) };
    }
    let matches = false;
    try {
      matches = await argon2.verify(request.hash, request.password);
    } catch {
      // A malformed hash never matches.
    }
    return { type: 'result', id: request.id, ok: true, value: matches };
  } catch (err) {
    return { type: 'result', id: request.id, ok: false, error: err instanceof Error ? err.name : 'unknown' };
  }
}

function send(message: HashResponse): void {
  process.send?.(message);
}
