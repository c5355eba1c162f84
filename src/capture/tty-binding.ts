/**
 * A serialport binding for the capture thread. @serialport/bindings-cpp cannot run in a worker
 * thread: its poller registers the port with the main thread's event loop (uv_default_loop), and
 * a byte arriving then calls into the worker's JavaScript from the main thread, which aborts the
 * process. This binding reads through Node's own tty handle (tty.ReadStream), which lives on the
 * loop of the thread that opened it, and writes with fs.write on the same descriptor.
 *
 * The line is put in raw mode (no echo, no line editing, 8 bits: tty.setRawMode) and its speed
 * is set with stty(1); a USB CDC-ACM bridge and a pseudo-terminal ignore the speed. Only what the
 * serial link uses is implemented: open, read, write, close. Modem lines are not used.
 */
import { execFile } from 'node:child_process';
import { close, constants, open, write } from 'node:fs';
import { ReadStream, isatty } from 'node:tty';
import { promisify } from 'node:util';
import type { BindingInterface, BindingPortInterface, OpenOptions, PortInfo, PortStatus } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };

const openAsync = promisify(open);
const writeAsync = promisify(write);
const closeAsync = promisify(close);
const execFileAsync = promisify(execFile);
/** coreutils' stty, part of every Debian system. */
const STTY = '/bin/stty';
/** A full output buffer (EAGAIN) is retried after this long; the link writes only small frames. */
const WRITE_RETRY_MS = 2;

/** Marker fields serialport's stream branches on (node-serialport: `canceled`, `disconnected`). */
function linkError(message: string, marker: 'canceled' | 'disconnected'): Error & { canceled?: boolean; disconnected?: boolean } {
  return Object.assign(new Error(message), { [marker]: true });
}

class TtyPort implements BindingPortInterface {
  isOpen = true;
  private readonly chunks: Buffer[] = [];
  private waiting: { resolve: () => void; reject: (err: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(
    readonly openOptions: Required<OpenOptions>,
    private readonly fd: number,
    private readonly input: ReadStream,
  ) {
    input.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.wake();
    });
    // EIO or end of file: the other end of the line is gone (a pulled cable, a closed pty).
    const gone = (detail: string): void => {
      this.failure ??= linkError(`the serial line is gone: ${detail}`, 'disconnected');
      this.wake();
    };
    input.on('end', () => gone('end of file'));
    input.on('error', (err: NodeJS.ErrnoException) => gone(err.code ?? err.name));
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    while (this.chunks.length === 0) {
      if (!this.isOpen) throw linkError('the port was closed', 'canceled');
      if (this.failure !== null) throw this.failure;
      await new Promise<void>((resolve, reject) => (this.waiting = { resolve, reject }));
    }
    const chunk = this.chunks[0]!;
    const bytesRead = chunk.copy(buffer, offset, 0, Math.min(length, chunk.length));
    if (bytesRead === chunk.length) this.chunks.shift();
    else this.chunks[0] = chunk.subarray(bytesRead);
    return { buffer, bytesRead };
  }

  async write(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      if (!this.isOpen) throw linkError('the port was closed', 'canceled');
      try {
        offset += (await writeAsync(this.fd, buffer, offset, buffer.length - offset)).bytesWritten;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw Object.assign(err as Error, { disconnected: true });
        await new Promise((resolve) => setTimeout(resolve, WRITE_RETRY_MS));
      }
    }
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.wake();
    // The tty handle owns the descriptor: destroying it closes the fd.
    await new Promise<void>((resolve) => {
      this.input.once('close', () => resolve());
      this.input.destroy();
    });
  }

  async update(options: { baudRate: number }): Promise<void> {
    await setSpeed(this.openOptions.path, options.baudRate);
  }

  async set(): Promise<void> {}

  async get(): Promise<PortStatus> {
    return { cts: false, dsr: false, dcd: false };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate };
  }

  async flush(): Promise<void> {
    this.chunks.length = 0;
  }

  async drain(): Promise<void> {}

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve();
  }
}

async function setSpeed(path: string, baudRate: number): Promise<void> {
  await execFileAsync(STTY, ['-F', path, String(baudRate)], { timeout: 5000 });
}

export const ttyBinding: BindingInterface<TtyPort> = {
  async list(): Promise<PortInfo[]> {
    return [];
  },
  async open(options: OpenOptions): Promise<TtyPort> {
    const fd = await openAsync(options.path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    try {
      if (!isatty(fd)) throw new Error(`${options.path} is not a serial line`);
      await setSpeed(options.path, options.baudRate);
      const input = new ReadStream(fd);
      input.setRawMode(true);
      const full: Required<OpenOptions> = { dataBits: 8, lock: false, stopBits: 1, parity: 'none', rtscts: false, xon: false, xoff: false, xany: false, hupcl: true, ...options };
      return new TtyPort(full, fd, input);
    } catch (err) {
      await closeAsync(fd).catch(() => undefined);
      throw err;
    }
  },
};
