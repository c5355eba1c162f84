/**
 * The OSDP reader as a door-event source: the serial line (SerialLink: reopened within a second
 * of the adapter coming back), the ACU poll loop on it, and the translation of what the reader
 * tells into DoorEvents handed to the sink one at a time, in order. A sink that fails (the store
 * busy or full) gets the same event again a second later; at most MAX_PENDING_EVENTS wait, the
 * oldest dropped and counted beyond that. The card number goes only to the sink.
 *
 *   card read (osdp_RAW)            -> 'card-read' with the card number ("26:48d159")
 *   keys (osdp_KEYPAD)              -> 'keypad' (the keys, maybe a PIN, are not passed on)
 *   tamper switch opened (LSTATR)   -> 'reader-tamper'
 *   power failure (LSTATR)          -> 'reader-power'
 *   reader offline / back online    -> 'source-offline' / 'source-online'
 */
import { randomUUID } from 'node:crypto';
// The package's ESM entry has no types; its CommonJS one does.
import type { BindingInterface } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { SerialLink } from '../../capture/serial-link.js';
import type { DoorEvent, DoorEventKind, DoorEventSink, DoorEventSource, DoorSourceHealth } from '../door-event-source.js';
import { AcuPollLoop, type SecureChannelSetting } from './acu-poll-loop.js';
import { osdpSourceConfigSchema, type OsdpSourceConfig, type OsdpSourceConfigInput } from './osdp-source-config.js';
import { parseScbk } from './secure-channel.js';
import { realTimers, type Timers } from './timers.js';

/** Events waiting for a sink that fails, at most. */
export const MAX_PENDING_EVENTS = 1000;
export const SINK_RETRY_MS = 1000;
/** The line is tried again this often while the adapter is missing: back within a second. */
export const LINE_REOPEN_MAX_DELAY_MS = 1000;

export interface OsdpSourceDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers?: Timers;
  /** The serialport binding; the platform's by default. */
  readonly binding?: BindingInterface;
}

export interface OsdpSource extends DoorEventSource {
  readonly kind: 'osdp';
  readonly config: OsdpSourceConfig;
}

/** Validates `config` (throws the zod error with every problem) and makes the source. */
export function createOsdpSource(config: OsdpSourceConfigInput, deps: OsdpSourceDeps): OsdpSource {
  return new OsdpReaderSource(osdpSourceConfigSchema.parse(config), deps);
}

function secureChannelOf(config: OsdpSourceConfig): SecureChannelSetting {
  if (!config.secureChannel) return { mode: 'off' };
  if (config.installMode) return config.scbk === undefined ? { mode: 'install' } : { mode: 'install', provision: parseScbk(config.scbk) };
  return { mode: 'scbk', scbk: parseScbk(config.scbk as string) };
}

class OsdpReaderSource implements OsdpSource {
  readonly kind = 'osdp' as const;
  readonly id: string;
  private readonly logger: Logger;
  private readonly timers: Timers;
  private link: SerialLink | null = null;
  private loop: AcuPollLoop | null = null;
  private sink: DoorEventSink | null = null;
  private readonly queue: DoorEvent[] = [];
  private delivering = false;
  private retryTimer: unknown = null;
  private stopped = false;
  /** The reader's last local status, so a tamper or power failure is told once, when it begins. */
  private tampered = false;
  private powerFailed = false;
  private readonly delivery = { eventsDelivered: 0, sinkFailures: 0, eventsDropped: 0 };

  constructor(
    readonly config: OsdpSourceConfig,
    private readonly deps: OsdpSourceDeps,
  ) {
    this.id = config.id;
    this.logger = deps.logger.child(`osdp.${config.id}`);
    this.timers = deps.timers ?? realTimers;
  }

  async start(sink: DoorEventSink): Promise<void> {
    if (this.loop !== null) return;
    this.sink = sink;
    this.stopped = false;
    const { config } = this;
    const link = new SerialLink({
      path: config.devicePath,
      baudRate: config.baudRate,
      logger: this.logger,
      label: 'OSDP reader line',
      reconnectMaxDelayMs: LINE_REOPEN_MAX_DELAY_MS,
      ...(this.deps.binding === undefined ? {} : { binding: this.deps.binding }),
    });
    const loop = new AcuPollLoop({
      link,
      address: config.address,
      secureChannel: secureChannelOf(config),
      clock: this.deps.clock,
      logger: this.logger,
      timers: this.timers,
      replyTimeoutMs: config.replyTimeoutMs,
      pollIntervalMs: config.pollIntervalMs,
      offlineAfterMissedReplies: config.offlineAfterMissedReplies,
    });
    loop.on('online', () => this.push('source-online'));
    loop.on('offline', () => this.push('source-offline'));
    loop.on('card-read', (read) => this.push('card-read', read.card));
    loop.on('keypad', () => this.push('keypad'));
    loop.on('local-status', (status) => {
      if (status.tamper && !this.tampered) this.push('reader-tamper');
      if (status.powerFailure && !this.powerFailed) this.push('reader-power');
      this.tampered = status.tamper;
      this.powerFailed = status.powerFailure;
    });
    this.link = link;
    this.loop = loop;
    loop.start();
    link.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.loop?.stop();
    await this.link?.stop();
  }

  health(): DoorSourceHealth {
    const loop = this.loop;
    const heard = loop?.lastHeardAt ?? null;
    const line = this.link?.stats();
    const counters: Record<string, number> = { ...(loop?.stats() ?? {}), ...this.delivery, eventsWaiting: this.queue.length };
    if (line !== undefined) {
      counters.lineOpens = line.opens;
      counters.lineOpenFailures = line.openFailures;
      counters.lineLosses = line.disconnects;
      counters.bytesIn = line.bytesIn;
      counters.bytesOut = line.bytesOut;
      counters.lineWriteErrors = line.writeErrors;
    }
    return {
      id: this.id,
      kind: 'osdp',
      state: this.stopped || loop === null ? 'stopped' : loop.state === 'starting' && (line?.openFailures ?? 0) > 0 ? 'down' : loop.state,
      lastHeardAt: heard === null ? null : new Date(heard).toISOString(),
      counters,
    };
  }

  private push(kind: DoorEventKind, card?: string): void {
    const { config } = this;
    const event: DoorEvent = {
      sourceId: this.id,
      eventId: randomUUID(),
      kind,
      door: config.doors[0] as string,
      ...(config.direction === undefined ? {} : { direction: config.direction }),
      ...(card === undefined ? {} : { card }),
      occurredAt: new Date(this.deps.clock.now()).toISOString(),
    };
    if (this.queue.length >= MAX_PENDING_EVENTS) {
      this.queue.shift();
      this.delivery.eventsDropped++;
      this.logger.error('door events dropped: the store has not taken them', { waiting: this.queue.length });
    }
    this.queue.push(event);
    void this.deliver();
  }

  /** Hands the queue to the sink in order; a failure waits SINK_RETRY_MS and tries the same event. */
  private async deliver(): Promise<void> {
    if (this.delivering || this.retryTimer !== null) return;
    this.delivering = true;
    try {
      while (this.queue.length > 0 && this.sink !== null) {
        const event = this.queue[0] as DoorEvent;
        try {
          await this.sink(event);
        } catch (err) {
          this.delivery.sinkFailures++;
          this.logger.warn('the door event store did not take an event; retrying', { kind: event.kind, error: err instanceof Error ? err.message : String(err) });
          if (!this.stopped) {
            this.retryTimer = this.timers.setTimeout(() => {
              this.retryTimer = null;
              void this.deliver();
            }, SINK_RETRY_MS);
          }
          return;
        }
        this.queue.shift();
        this.delivery.eventsDelivered++;
      }
    } finally {
      this.delivering = false;
    }
  }
}
