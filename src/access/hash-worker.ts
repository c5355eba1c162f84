/**
 * argon2id in a separate process at a lowered CPU priority (hash-worker-process.ts). A hash
 * keeps a core busy for a fifth of a second; in the service's own process it would compete on
 * equal terms with the event loop that takes in audio, serves playback and answers searches.
 *
 * The worker is started under SCHED_BATCH (util-linux `chrt --batch`) and lowers its niceness
 * to 5. Under the kernel's fair scheduler that is a weight of 335 against the service's 1024: when
 * they want the same core the service gets three quarters of it, so a login flood slows
 * sign-ins, not the recorder; SCHED_BATCH also keeps a waking hash from preempting the service.
 * But the worker always gets its share. SCHED_IDLE (used before) gets CPU only when nothing else
 * wants it, so a box whose cores were kept busy by anything refused every sign-in with AUTH_BUSY.
 * If chrt is refused, the niceness alone does the same.
 *
 * Requests are matched to answers by id. If the worker dies, the requests it held fail with
 * AUTH_BUSY (the client may try again) and a new worker is started for the next one. A check
 * that gets no answer within the deadline fails with AUTH_BUSY too, so that a sign-in never
 * hangs (a stopped or wedged worker); a worker that answered nothing for a whole deadline while
 * checks waited is taken as stuck and replaced.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Argon2Params, Argon2Runner } from './password-hasher.js';

export type HashRequest =
  | { readonly op: 'hash'; readonly id: number; readonly password: string; readonly params: Argon2Params }
  | { readonly op: 'verify'; readonly id: number; readonly hash: string; readonly password: string };

export type HashResponse =
  | { readonly type: 'ready'; readonly priority: string }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: string | boolean }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: string };

/**
 * Niceness of the worker: below the service (weight 335 against 1024), yet each nice-0 process
 * that keeps its core busy only stretches a check by about three times its own length: with one
 * per core a 0.2 s check takes under a second, far within the deadline.
 */
export const DEFAULT_HASH_WORKER_NICENESS = 5;
/** A check is given up after this long: a hash takes a fifth of a second, a full queue a few seconds. */
export const DEFAULT_HASH_DEADLINE_MS = 20_000;
/** util-linux's chrt, part of every Debian system. */
const CHRT = '/usr/bin/chrt';

// The worker file sits next to this one: .js when built, .ts when the tests run the sources.
const WORKER_ENTRY = fileURLToPath(new URL(`./hash-worker-process${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

interface Waiting {
  readonly resolve: (value: string | boolean) => void;
  readonly reject: (err: Error) => void;
  readonly deadline: NodeJS.Timeout;
  /** When the check was asked for (performance.now(): finer than a millisecond). */
  readonly since: number;
  /** The worker the request went to (null while one starts): only its end fails the request. */
  child: ChildProcess | null;
}

/** How long close() lets the worker finish before it is killed. */
const CLOSE_GRACE_MS = 2000;

export class HashWorker implements Argon2Runner {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private closed = false;
  /** How the last worker runs: 'batch' (SCHED_BATCH and niceness), 'lowered' (niceness only), or why neither. */
  priority = 'unknown';
  private batchScheduling: boolean;
  /** When the worker last sent anything, and when one was last killed as stuck: tell a stuck worker from a busy or a new one. */
  private lastAnswerAt = 0;
  private replacedAt = 0;

  private readonly chrt: string;
  private readonly deadlineMs: number;

  constructor(
    private readonly options: {
      readonly logger: Logger;
      readonly niceness?: number;
      /** false: niceness only. */
      readonly batchScheduling?: boolean;
      /** The chrt program (tests give one that fails, to check the fallback). */
      readonly chrt?: string;
      /** How long one check may wait for its answer (default 20 s). */
      readonly deadlineMs?: number;
    },
  ) {
    this.chrt = options.chrt ?? CHRT;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_HASH_DEADLINE_MS;
    this.batchScheduling = options.batchScheduling !== false && existsSync(this.chrt);
  }

  async hash(password: string, params: Argon2Params): Promise<string> {
    return (await this.request((id) => ({ op: 'hash', id, password, params }))) as string;
  }

  async verify(hash: string, password: string): Promise<boolean> {
    return (await this.request((id) => ({ op: 'verify', id, hash, password }))) as boolean;
  }

  /** The running worker's process id (for health and tests); undefined before the first hash. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Refuses new checks, fails the waiting ones, and stops the worker (killed if it does not stop). */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.waiting.keys()]) this.settle(id, new AppError('AUTH_BUSY', 'the service is stopping'));
    const child = this.child;
    if (child === null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.connected) child.disconnect();
    // A stopped or starved worker never gets round to exiting on its own.
    const kill = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(kill);
  }

  /** The deadline runs from the call, so that a worker that never gets ready cannot hold a sign-in either. */
  private request(make: (id: number) => HashRequest): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new AppError('AUTH_BUSY', 'the service is stopping'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => this.giveUp(id), this.deadlineMs);
      this.waiting.set(id, { resolve, reject, deadline, since: performance.now(), child: null });
      this.start().then(
        () => {
          const waiting = this.waiting.get(id);
          if (waiting === undefined) return;
          const child = this.child;
          if (child === null) {
            this.settle(id, new AppError('AUTH_BUSY', 'the password check was interrupted: try again'));
            return;
          }
          waiting.child = child;
          child.send(make(id), (err) => {
            if (err !== null && err !== undefined) this.settle(id, new AppError('AUTH_BUSY', 'the password check could not be started: try again', { cause: err }));
          });
        },
        (err: unknown) => this.settle(id, err instanceof Error ? err : new AppError('AUTH_BUSY', 'the password-hashing worker could not be started')),
      );
    });
  }

  private start(): Promise<void> {
    if (this.ready !== null) return this.ready;
    const ready: Promise<void> = this.launch(this.batchScheduling)
      .catch((err: unknown) => {
        // A start given up on (its worker killed as stuck) says nothing about chrt.
        if (!this.batchScheduling || this.closed || this.ready !== ready) throw err;
        // chrt refused (a sandbox without sched_setscheduler): the niceness alone must do.
        this.batchScheduling = false;
        this.options.logger.warn('password hashing cannot run under SCHED_BATCH; it runs at lowered niceness');
        return this.launch(false);
      })
      .catch((err: unknown) => {
        // Only this start's own promise: a worker given up on may already have a successor.
        if (this.ready === ready) this.ready = null;
        throw err;
      });
    this.ready = ready;
    return ready;
  }

  private launch(batch: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const node = [...process.execArgv, WORKER_ENTRY, String(this.options.niceness ?? DEFAULT_HASH_WORKER_NICENESS)];
      const child = batch ? spawn(this.chrt, ['--batch', '0', process.execPath, ...node], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }) : spawn(process.execPath, node, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let started = false;
      this.child = child;
      child.on('message', (message: HashResponse) => {
        this.lastAnswerAt = performance.now();
        if (message.type === 'ready') {
          started = true;
          this.priority = batch && message.priority === 'lowered' ? 'batch' : message.priority;
          if (this.priority !== 'batch' && this.priority !== 'lowered') this.options.logger.warn('password hashing runs at normal priority', { reason: message.priority });
          resolve();
        } else if (message.ok) this.settle(message.id, null, message.value);
        else this.settle(message.id, new AppError('AUTH_BUSY', 'the password check failed: try again', { details: { error: message.error } }));
      });
      child.once('error', (err) => reject(new AppError('AUTH_BUSY', 'the password-hashing worker could not be started', { cause: err })));
      child.once('exit', (code, signal) => {
        // A worker given up on is already replaced: its end must not touch the new one.
        const current = this.child === child;
        if (current) this.child = null;
        if (!started) {
          reject(new AppError('AUTH_BUSY', 'the password-hashing worker stopped before it was ready', { details: { code, signal } }));
          return;
        }
        if (current) this.ready = null;
        const held = [...this.waiting].filter(([, waiting]) => waiting.child === child).map(([id]) => id);
        if (this.closed && held.length === 0) return;
        if (current) this.options.logger.error('password-hashing worker stopped: its checks are refused, the next one starts a new worker', { code, signal });
        for (const id of held) this.settle(id, new AppError('AUTH_BUSY', 'the password check was interrupted: try again'));
      });
    });
  }

  /**
   * A check past its deadline fails. The worker it went to (or the one starting for it) is
   * replaced if it was there for the whole wait and sent nothing in it: busy with other checks
   * is not stuck, and a worker started meanwhile has not had its chance.
   */
  private giveUp(id: number): void {
    const waiting = this.waiting.get(id);
    if (waiting === undefined) return;
    this.settle(id, new AppError('AUTH_BUSY', 'the password check took too long: try again'));
    const child = this.child;
    if (child === null || (waiting.child !== null && waiting.child !== child) || this.replacedAt >= waiting.since || this.lastAnswerAt > waiting.since) return;
    this.options.logger.error('password-hashing worker answered nothing for the whole deadline: replacing it', { deadlineMs: this.deadlineMs });
    this.replacedAt = performance.now();
    this.child = null;
    this.ready = null;
    child.kill('SIGKILL');
  }

  private settle(id: number, err: Error | null, value?: string | boolean): void {
    const waiting = this.waiting.get(id);
    if (waiting === undefined) return;
    this.waiting.delete(id);
    clearTimeout(waiting.deadline);
    if (err === null) waiting.resolve(value as string | boolean);
    else waiting.reject(err);
  }
}
