/**
 * The serial link to the firmware bridge: opens the configured path (a /dev/serial/by-id/ name,
 * the udev symlink, or a symlink to the host build's pseudo-terminal), delivers the bytes, and
 * keeps trying to reopen with exponential back-off whenever the port is missing, fails to open,
 * errors or closes. It knows nothing of frames.
 *
 * The OS driver is injected (`binding`): @serialport/bindings-cpp by default, MockBinding from
 * @serialport/binding-mock in unit tests.
 *
 * Events: 'open' (); 'data' (chunk); 'close' ({ reason, detail }). Every 'open' is followed by
 * exactly one 'close' before the next 'open'.
 */
import { SerialPortStream } from '@serialport/stream';
// The package's ESM entry has no types; its CommonJS one does.
import type { BindingInterface } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import { createRequire } from 'node:module';
import { AppError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { SafeEmitter } from './safe-emitter.js';

export const DEFAULT_BAUD_RATE = 921_600;
/** First reopen delay after a failure; doubles per failed attempt up to the maximum. */
export const RECONNECT_INITIAL_DELAY_MS = 250;
export const RECONNECT_MAX_DELAY_MS = 5000;

export const LINK_NOT_OPEN = 'CAPTURE_LINK_NOT_OPEN';
export const LINK_WRITE_FAILED = 'CAPTURE_LINK_WRITE_FAILED';

/**
 * A link failure. Callers branch on the marker field `disconnected` (true: the bytes did not go
 * out because the port is not there; retry after the next 'open'), never on the message.
 */
export class LinkError extends AppError {
  readonly disconnected: boolean;
  constructor(code: string, message: string, options: { disconnected: boolean; cause?: unknown }) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LinkError';
    this.disconnected = options.disconnected;
  }
}

/**
 * Why an open port closed: 'disconnected' the device went away (read error, EOF, USB unplug,
 * the simulator exited); 'error' a write or port error; 'closed' the port closed without a
 * reason; 'requested' reconnect() was called (e.g. the client's link-loss timeout); 'stopped'.
 */
export type LinkCloseReason = 'disconnected' | 'error' | 'closed' | 'requested' | 'stopped';

export interface LinkCloseInfo {
  reason: LinkCloseReason;
  /** For logs: an error message or the caller's reason for a requested reconnect. */
  detail?: string;
}

export interface SerialLinkEvents {
  open: [];
  data: [chunk: Buffer];
  close: [info: LinkCloseInfo];
}

export interface SerialLinkStats {
  opens: number;
  openFailures: number;
  /** Open ports lost without being asked to close (reasons 'disconnected', 'error', 'closed'). */
  disconnects: number;
  bytesIn: number;
  bytesOut: number;
  writeErrors: number;
  /** Exceptions thrown by this link's event listeners (caught, logged). */
  linkListenerErrors: number;
}

export interface SerialLinkOptions {
  readonly path: string;
  readonly baudRate?: number;
  /** The serialport binding; defaults to the platform's @serialport/bindings-cpp. */
  readonly binding?: BindingInterface;
  readonly logger?: Logger;
  readonly reconnectInitialDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
  /** What the logs call the link ('bridge link' unless another device uses it, e.g. an OSDP reader). */
  readonly label?: string;
}

/** What the bridge client needs of a link; SerialLink is the implementation. */
export interface BridgeLink {
  on<K extends keyof SerialLinkEvents>(event: K, listener: (...args: SerialLinkEvents[K]) => void): unknown;
  off<K extends keyof SerialLinkEvents>(event: K, listener: (...args: SerialLinkEvents[K]) => void): unknown;
  start(): void;
  stop(): Promise<void>;
  reconnect(detail: string): void;
  write(data: Buffer): Promise<void>;
  readonly isOpen: boolean;
  stats(): SerialLinkStats;
}

/**
 * @serialport/bindings-cpp (through `serialport`), loaded only by a link that uses it: the
 * capture thread reads the bridge through its own tty binding and never needs the native addon
 * and its dependencies (~10 MB resident in the thread). Loaded synchronously (CommonJS), so a
 * link is still made in one step.
 */
function platformBinding(): BindingInterface {
  const { SerialPort } = createRequire(import.meta.url)('serialport') as typeof import('serialport');
  return SerialPort.binding as BindingInterface;
}

export class SerialLink extends SafeEmitter<SerialLinkEvents> implements BridgeLink {
  private readonly path: string;
  private readonly baudRate: number;
  private readonly binding: BindingInterface;
  private readonly logger: Logger;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly label: string;
  private running = false;
  /** The port being opened or open; null while waiting to retry or stopped. */
  private port: SerialPortStream | null = null;
  private portIsUp = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private delayMs: number;
  /** Consecutive failed opens, so a missing device is logged once, not every 5 s. */
  private failuresInRow = 0;
  private readonly counters: SerialLinkStats = {
    opens: 0,
    openFailures: 0,
    disconnects: 0,
    bytesIn: 0,
    bytesOut: 0,
    writeErrors: 0,
    linkListenerErrors: 0,
  };

  constructor(options: SerialLinkOptions) {
    const logger = (options.logger ?? silentLogger).child('serial-link');
    super((event, err) => {
      this.counters.linkListenerErrors++;
      logger.error('link listener threw', { event, error: err instanceof Error ? err.message : String(err) });
    });
    this.path = options.path;
    this.baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.binding = options.binding ?? platformBinding();
    this.logger = logger;
    this.initialDelayMs = options.reconnectInitialDelayMs ?? RECONNECT_INITIAL_DELAY_MS;
    this.maxDelayMs = options.reconnectMaxDelayMs ?? RECONNECT_MAX_DELAY_MS;
    this.delayMs = this.initialDelayMs;
    this.label = options.label ?? 'bridge link';
  }

  /** Starts opening the port; returns at once (the device may well be absent at boot). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.delayMs = this.initialDelayMs;
    this.openPort();
  }

  /** Stops retrying and closes the port; resolves when it is closed. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    await this.dropPort('stopped');
  }

  /** Closes the port now and reopens it after the back-off delay (the port looks dead). */
  reconnect(detail: string): void {
    if (!this.running) return;
    if (this.port === null) return; // already waiting to reopen
    void this.dropPort('requested', detail).then(() => {
      if (this.running && this.port === null && this.retryTimer === null) this.scheduleReopen();
    });
  }

  get isOpen(): boolean {
    return this.portIsUp && this.port !== null && this.port.isOpen;
  }

  /** The delay before the next reopen attempt. */
  get reconnectDelayMs(): number {
    return this.delayMs;
  }

  /**
   * Writes `data`; resolves once the driver has taken it, so a caller that awaits never has
   * more than one write queued (back-pressure). Rejects with a LinkError when the port is not
   * open (`disconnected: true`) or the write fails.
   */
  write(data: Buffer): Promise<void> {
    const port = this.port;
    if (port === null || !this.isOpen) {
      return Promise.reject(new LinkError(LINK_NOT_OPEN, `the ${this.label} is not open`, { disconnected: true }));
    }
    return new Promise((resolve, reject) => {
      port.write(data, (err) => {
        if (err) {
          this.counters.writeErrors++;
          reject(new LinkError(LINK_WRITE_FAILED, `write to the ${this.label} failed: ${err.message}`, { disconnected: !port.isOpen, cause: err }));
          return;
        }
        this.counters.bytesOut += data.length;
        resolve();
      });
    });
  }

  stats(): SerialLinkStats {
    return { ...this.counters };
  }

  private openPort(): void {
    this.retryTimer = null;
    if (!this.running) return;
    let port: SerialPortStream;
    try {
      port = new SerialPortStream({ binding: this.binding, path: this.path, baudRate: this.baudRate, autoOpen: false });
    } catch (err) {
      this.openFailed(err);
      return;
    }
    // Stays for the port's whole life: a stream 'error' without a listener would crash the process.
    port.on('error', (err: Error) => this.portGone(port, 'error', err.message));
    this.port = port;
    port.open((err) => {
      if (this.port !== port) {
        // Stopped or asked to reconnect while opening: release the port we no longer want.
        if (!err && port.isOpen) port.close(() => undefined);
        return;
      }
      if (err) {
        this.port = null;
        this.openFailed(err);
        return;
      }
      this.counters.opens++;
      this.failuresInRow = 0;
      this.delayMs = this.initialDelayMs;
      this.portIsUp = true;
      port.on('data', (chunk: Buffer) => {
        this.counters.bytesIn += chunk.length;
        this.emit('data', chunk);
      });
      port.on('close', (closeErr: (Error & { disconnected?: boolean }) | null | undefined) => {
        if (closeErr?.disconnected === true) this.portGone(port, 'disconnected', closeErr.message);
        else this.portGone(port, 'closed', closeErr?.message);
      });
      // EOF on a tty (the other end is gone) ends the readable side without closing the port.
      port.on('end', () => this.portGone(port, 'disconnected', 'end of file'));
      this.logger.info(`${this.label} open`, { path: this.path });
      this.emit('open');
    });
  }

  private openFailed(err: unknown): void {
    this.counters.openFailures++;
    this.failuresInRow++;
    const fields = { path: this.path, error: err instanceof Error ? err.message : String(err), retryInMs: this.delayMs, attempt: this.failuresInRow };
    if (this.failuresInRow === 1) this.logger.warn(`cannot open the ${this.label}; retrying`, fields);
    else this.logger.debug(`cannot open the ${this.label}; retrying`, fields);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (!this.running || this.retryTimer !== null) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
    this.retryTimer = setTimeout(() => this.openPort(), delay);
  }

  /** The open port went away on its own. */
  private portGone(port: SerialPortStream, reason: LinkCloseReason, detail?: string): void {
    if (this.port !== port) return;
    const wasUp = this.portIsUp;
    void this.releasePort(port); // closing in the background; its events are ignored
    if (!wasUp) {
      // Failed before the open completed: there was no 'open', so there is no 'close' either.
      this.counters.openFailures++;
      this.scheduleReopen();
      return;
    }
    this.counters.disconnects++;
    this.logger.warn(`${this.label} closed`, { path: this.path, reason, detail });
    this.emit('close', detail === undefined ? { reason } : { reason, detail });
    this.scheduleReopen();
  }

  /** Closes the current port on our own initiative; emits 'close' if it was open. */
  private async dropPort(reason: 'requested' | 'stopped', detail?: string): Promise<void> {
    const port = this.port;
    if (port === null) return;
    const wasUp = this.portIsUp;
    const closed = this.releasePort(port);
    if (wasUp) {
      this.logger.info(`${this.label} closed`, { path: this.path, reason, detail });
      this.emit('close', detail === undefined ? { reason } : { reason, detail });
    }
    await closed;
  }

  /** Forgets `port` and closes it; its late events are ignored. Resolves when the driver has closed it. */
  private releasePort(port: SerialPortStream): Promise<void> {
    this.port = null;
    this.portIsUp = false;
    port.removeAllListeners('data');
    port.removeAllListeners('close');
    port.removeAllListeners('end');
    if (!port.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      port.close(() => resolve());
    });
  }
}
