/**
 * argon2id in a separate process at a lower CPU priority (hash-worker-process.ts). A hash keeps
 * every core busy for a tenth of a second or more; in the service's own process it would compete
 * on equal terms with the event loop that takes in audio, serves playback and answers searches.
 * In the worker the kernel gives those the CPU first, and a login flood only slows sign-ins.
 *
 * Requests are matched to answers by id. If the worker dies, the requests it held fail with
 * AUTH_BUSY (the client may try again) and a new worker is started for the next one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
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

/** Niceness of the worker: below the service, above idle-only work. */
export const DEFAULT_HASH_WORKER_NICENESS = 10;

// The worker file sits next to this one: .js when built, .ts when the tests run the sources.
const WORKER_ENTRY = fileURLToPath(new URL(`./hash-worker-process${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

interface Waiting {
  readonly resolve: (value: string | boolean) => void;
  readonly reject: (err: Error) => void;
}

export class HashWorker implements Argon2Runner {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private closed = false;
  /** What the last worker reported about its priority ('lowered', or why not). */
  priority = 'unknown';

  constructor(private readonly options: { readonly logger: Logger; readonly niceness?: number }) {}

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

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (child === null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.connected) child.disconnect();
    await exited;
  }

  private async request(make: (id: number) => HashRequest): Promise<string | boolean> {
    if (this.closed) throw new AppError('AUTH_BUSY', 'the service is stopping');
    await this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child?.send(make(id), (err) => {
        if (err !== null && err !== undefined) this.settle(id, new AppError('AUTH_BUSY', 'the password check could not be started: try again', { cause: err }));
      });
    });
  }

  private start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      const child = fork(WORKER_ENTRY, [String(this.options.niceness ?? DEFAULT_HASH_WORKER_NICENESS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      this.child = child;
      child.on('message', (message: HashResponse) => {
        if (message.type === 'ready') {
          this.priority = message.priority;
          if (message.priority !== 'lowered') this.options.logger.warn('password hashing runs at normal priority', { reason: message.priority });
          resolve();
        } else if (message.ok) this.settle(message.id, null, message.value);
        else this.settle(message.id, new AppError('AUTH_BUSY', 'the password check failed: try again', { details: { error: message.error } }));
      });
      child.once('error', (err) => reject(new AppError('AUTH_BUSY', 'the password-hashing worker could not be started', { cause: err })));
      child.once('exit', (code, signal) => {
        this.child = null;
        this.ready = null;
        reject(new AppError('AUTH_BUSY', 'the password-hashing worker stopped before it was ready'));
        if (this.closed && this.waiting.size === 0) return;
        this.options.logger.error('password-hashing worker stopped: its checks are refused, the next one starts a new worker', { code, signal });
        for (const id of [...this.waiting.keys()]) this.settle(id, new AppError('AUTH_BUSY', 'the password check was interrupted: try again'));
      });
    });
    return this.ready;
  }

  private settle(id: number, err: Error | null, value?: string | boolean): void {
    const waiting = this.waiting.get(id);
    if (waiting === undefined) return;
    this.waiting.delete(id);
    if (err === null) waiting.resolve(value as string | boolean);
    else waiting.reject(err);
  }
}
