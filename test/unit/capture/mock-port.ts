/**
 * Test support for the link and the client: MockBinding from @serialport/binding-mock, wrapped
 * so that a test can reach each port binding the link opened (to emit data and read what was
 * written), plus small waiting helpers.
 */
import { createRequire } from 'node:module';
import type { EventMap, SafeEmitter } from '../../../src/capture/safe-emitter.js';
import type { MockPortBinding } from '@serialport/binding-mock' with { 'resolution-mode': 'require' };
import type { OpenOptions } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };

// The package's ESM entry has no types; its CommonJS entry has. Tests use that one copy only
// (each copy keeps its own table of mock ports).
type BindingMockModule = typeof import('@serialport/binding-mock', { with: { 'resolution-mode': 'require' } });
export const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as BindingMockModule;
export type { MockPortBinding };

export interface RecordingBinding {
  binding: typeof MockBinding;
  /** Every port binding opened, in order; the last is the current one. */
  opened: MockPortBinding[];
  current(): MockPortBinding;
}

export function recordingBinding(): RecordingBinding {
  const opened: MockPortBinding[] = [];
  const binding: typeof MockBinding = {
    ...MockBinding,
    async open(options: OpenOptions) {
      const port = await MockBinding.open(options);
      opened.push(port);
      return port;
    },
  };
  return {
    binding,
    opened,
    current() {
      const port = opened[opened.length - 1];
      if (port === undefined) throw new Error('no port was opened');
      return port;
    },
  };
}

/** Makes the driver report an I/O error on the pending read, as when a USB device is unplugged. */
export function failPendingRead(port: MockPortBinding, message = 'EIO: i/o error, read'): void {
  const internal = port as unknown as { pendingRead: ((err?: Error) => void) | null };
  const pending = internal.pendingRead;
  if (pending === null) throw new Error('no read is pending');
  internal.pendingRead = null;
  pending(new Error(message));
}

/** Resolves when `event` is emitted (with its first argument), rejects after `timeoutMs`. */
export function nextEvent<E extends EventMap<E>, K extends keyof E & string>(emitter: SafeEmitter<E>, event: K, timeoutMs = 2000): Promise<E[K][0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (...args: E[K]) => {
      clearTimeout(timer);
      resolve(args[0]);
    });
  });
}

/** Polls `condition` every few ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
