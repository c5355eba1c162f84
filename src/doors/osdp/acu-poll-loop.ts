/**
 * The box as the ACU of one OSDP reader: brings the reader up (sequence 0, osdp_ID, osdp_CAP,
 * the Secure Channel handshake, osdp_LSTAT), then polls it (osdp_POLL) and tells what it
 * answers: card reads (osdp_RAW), keys (osdp_KEYPAD) and its local status (osdp_LSTATR: tamper,
 * power). A reply that does not come is asked for again; after `offlineAfterMissedReplies` in a
 * row (8 x 200 ms by default) the reader is offline, and the loop tries to bring it up again every
 * `offlineRetryMs` for as long as the line is open. A wrong sequence number or a broken Secure
 * Channel restarts the reader (sequence 0, a new handshake) without calling it offline. When the
 * serial line goes (the USB adapter pulled), the reader is offline at once and the loop waits for
 * the line's 'open' (the link reopens it as soon as the device is back).
 *
 * Events: 'online' ({ secure }), 'offline' (reason), 'card-read', 'keypad', 'local-status'.
 * A card number travels only in the 'card-read' event: never logged.
 */
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { LinkCloseInfo } from '../../capture/serial-link.js';
import { SafeEmitter } from '../../capture/safe-emitter.js';
import { CommandChannel, type ExchangeFault, type OsdpLink } from './command-channel.js';
import { SCS } from './packet-codec.js';
import { CAPABILITY, COMMAND, cardNumberOf, type Reply } from './messages.js';
import { SCBK_DEFAULT, SecureSession, acuCryptogram, deriveSessionKeys, initialRmac, newRandom, readerCryptogram, sameBytes } from './secure-channel.js';
import { realTimers, type Timers } from './timers.js';

export const DEFAULT_REPLY_TIMEOUT_MS = 200;
export const DEFAULT_POLL_INTERVAL_MS = 100;
export const DEFAULT_OFFLINE_AFTER_MISSED_REPLIES = 8;
export const DEFAULT_OFFLINE_RETRY_MS = 1000;
/** Restarts after a wrong sequence or MAC before the reader counts as offline. */
const MAX_RESYNCS_IN_ROW = 3;
/** osdp_KEYSET key type 1: the Secure Channel Base Key. */
const KEYSET_SCBK = 0x01;

/**
 * The Secure Channel as configured: off, with the reader's own SCBK, or SCBK-D (install mode).
 * In install mode with `provision`, the box gives the reader that SCBK (osdp_KEYSET, inside the
 * SCBK-D session) and goes on with it: the reader is provisioned at its first connection.
 */
export type SecureChannelSetting =
  | { readonly mode: 'off' }
  | { readonly mode: 'scbk'; readonly scbk: Buffer }
  | { readonly mode: 'install'; readonly provision?: Buffer };

export type OfflineReason = 'missed-replies' | 'link-lost' | 'secure-channel-failed' | 'protocol-errors';

export interface AcuPollLoopEvents {
  online: [info: { secure: boolean }];
  offline: [reason: OfflineReason];
  'card-read': [read: { card: string; bits: number }];
  /** How many keys were pressed; the keys themselves (a PIN) stay in the adapter. */
  keypad: [entry: { keys: number }];
  'local-status': [status: { tamper: boolean; powerFailure: boolean }];
}

/** The link the loop drives: SerialLink. */
export type AcuLink = OsdpLink & {
  on(event: 'open', listener: () => void): unknown;
  on(event: 'close', listener: (info: LinkCloseInfo) => void): unknown;
  readonly isOpen: boolean;
};

export interface AcuPollLoopOptions {
  readonly link: AcuLink;
  readonly address: number;
  readonly secureChannel: SecureChannelSetting;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers?: Timers;
  readonly replyTimeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly offlineAfterMissedReplies?: number;
  readonly offlineRetryMs?: number;
  /** RND.A of each handshake; random by default (a test may pin it). */
  readonly random?: () => Buffer;
}

export interface AcuCounters {
  polls: number;
  missedReplies: number;
  busyReplies: number;
  naks: number;
  malformedReplies: number;
  resyncs: number;
  secureChannelsOpened: number;
  secureChannelFailures: number;
  keysProvisioned: number;
  offlineTransitions: number;
  cardReads: number;
  keypadEntries: number;
}

export type ReaderState = 'starting' | 'up' | 'down' | 'stopped';

/** How a command ended for the loop: its reply, or what to do next. */
type Outcome = { readonly reply: Reply } | { readonly stop: 'offline' | 'resync' | 'link' };

export class AcuPollLoop extends SafeEmitter<AcuPollLoopEvents> {
  readonly counters: AcuCounters = {
    polls: 0,
    missedReplies: 0,
    busyReplies: 0,
    naks: 0,
    malformedReplies: 0,
    resyncs: 0,
    secureChannelsOpened: 0,
    secureChannelFailures: 0,
    keysProvisioned: 0,
    offlineTransitions: 0,
    cardReads: 0,
    keypadEntries: 0,
  };
  private readonly channel: CommandChannel;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private readonly replyTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly offlineAfter: number;
  private readonly offlineRetryMs: number;
  private readonly random: () => Buffer;
  private running = false;
  private linkUp = false;
  private loop: Promise<void> | null = null;
  private pause: { timer: unknown; wake: () => void } | null = null;
  private missesInRow = 0;
  private status = { tamper: false, powerFailure: false };
  private currentState: ReaderState = 'starting';
  private heardAt: number | null = null;
  private secureChannel: SecureChannelSetting;

  constructor(private readonly options: AcuPollLoopOptions) {
    const logger = options.logger;
    super((event, err) => logger.error('OSDP listener threw', { event, error: err instanceof Error ? err.message : String(err) }));
    this.logger = logger;
    this.timers = options.timers ?? realTimers;
    this.replyTimeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.offlineAfter = options.offlineAfterMissedReplies ?? DEFAULT_OFFLINE_AFTER_MISSED_REPLIES;
    this.offlineRetryMs = options.offlineRetryMs ?? DEFAULT_OFFLINE_RETRY_MS;
    this.random = options.random ?? newRandom;
    this.secureChannel = options.secureChannel;
    this.channel = new CommandChannel(options.link, options.address, this.replyTimeoutMs, this.timers);
    options.link.on('open', () => {
      this.linkUp = true;
      this.kick();
    });
    options.link.on('close', () => {
      this.linkUp = false;
      this.channel.linkLost();
      this.wake();
      if (this.running) this.goOffline('link-lost');
    });
  }

  get state(): ReaderState {
    return this.currentState;
  }

  /** When the reader last answered (ms since the epoch), or null. */
  get lastHeardAt(): number | null {
    return this.heardAt;
  }

  /** The counters of the line and the packets, with the loop's own. */
  stats(): Record<string, number> {
    return { ...this.counters, ...this.channel.counters, ...this.channel.streamFaults };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.currentState = 'starting';
    this.linkUp = this.options.link.isOpen;
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.currentState = 'stopped';
    this.channel.linkLost();
    this.wake();
    await this.loop;
  }

  private kick(): void {
    if (!this.running || !this.linkUp || this.loop !== null) return;
    this.loop = this.run().finally(() => {
      this.loop = null;
      this.kick(); // the line may have come back while the loop was ending
    });
  }

  private async run(): Promise<void> {
    let resyncsInRow = 0;
    while (this.running && this.linkUp) {
      let ended = await this.bringUp();
      if (ended === 'up') {
        resyncsInRow = 0;
        ended = await this.pollUntilFault();
      }
      if (ended === 'resync') {
        // Start over at once; a reader that cannot keep a sequence or a MAC is offline.
        if (++resyncsInRow <= MAX_RESYNCS_IN_ROW) continue;
        this.goOffline('protocol-errors');
      }
      if (ended !== 'link') await this.sleep(this.offlineRetryMs);
      // A write refused while the line is closing: wait for its 'close' rather than spin.
      else if (this.linkUp) await this.sleep(this.pollIntervalMs);
    }
  }

  /** Sequence 0, identity, capabilities, Secure Channel, local status; 'up' when all went. */
  private async bringUp(): Promise<'up' | 'offline' | 'resync' | 'link'> {
    this.channel.restart();
    const identity = await this.command(COMMAND.ID, Buffer.from([0]));
    if ('stop' in identity) return identity.stop;
    const capabilities = await this.command(COMMAND.CAP, Buffer.from([0]));
    if ('stop' in capabilities) return capabilities.stop;
    const setting = this.secureChannel;
    if (setting.mode !== 'off') {
      const capable = capabilities.reply.kind === 'capabilities' && capabilities.reply.capabilities.some((c) => c.functionCode === CAPABILITY.COMMUNICATION_SECURITY && (c.compliance & 1) === 1);
      const opened = capable ? await this.openSecureChannel(setting.mode === 'install' ? SCBK_DEFAULT : setting.scbk, setting.mode === 'install') : 'failed';
      if (opened === 'failed' && setting.mode === 'install' && setting.provision !== undefined) {
        // Provisioned before (install mode left on in the settings): the reader has its key.
        this.secureChannel = { mode: 'scbk', scbk: setting.provision };
        return 'resync';
      }
      if (opened === 'failed') {
        this.counters.secureChannelFailures++;
        // Told once per outage, not at every retry.
        if (this.currentState !== 'down') this.logger.warn('the OSDP reader refused the secure channel; it stays offline (check the SCBK)', { capable });
        this.goOffline('secure-channel-failed');
        return 'offline';
      }
      if (opened !== 'open') return opened;
      if (setting.mode === 'install' && setting.provision !== undefined) return this.provision(setting.provision);
    }
    const status = await this.command(COMMAND.LSTAT, Buffer.alloc(0));
    if ('stop' in status) return status.stop;
    this.handle(status.reply);
    if (this.currentState !== 'up') {
      this.currentState = 'up';
      this.logger.info('OSDP reader online', { secure: this.channel.secure });
      this.emit('online', { secure: this.channel.secure });
    }
    return 'up';
  }

  private async openSecureChannel(scbk: Buffer, installMode: boolean): Promise<'open' | 'failed' | 'offline' | 'resync' | 'link'> {
    const keyKind = Buffer.from([installMode ? 0 : 1]);
    const acuRandom = this.random();
    const challenge = await this.command(COMMAND.CHLNG, acuRandom, { type: SCS.CHLNG, data: keyKind });
    if ('stop' in challenge) return challenge.stop;
    if (challenge.reply.kind !== 'ccrypt') return 'failed';
    const keys = deriveSessionKeys(scbk, acuRandom);
    const { readerRandom } = challenge.reply;
    if (!sameBytes(readerCryptogram(keys, acuRandom, readerRandom), challenge.reply.readerCryptogram)) return 'failed';
    const ours = acuCryptogram(keys, acuRandom, readerRandom);
    const confirm = await this.command(COMMAND.SCRYPT, ours, { type: SCS.SCRYPT, data: keyKind });
    if ('stop' in confirm) return confirm.stop;
    const expected = initialRmac(keys, ours);
    if (confirm.reply.kind !== 'rmac-i' || !sameBytes(confirm.reply.initialRmac, expected)) return 'failed';
    this.channel.enterSecureChannel(new SecureSession(keys, expected));
    this.counters.secureChannelsOpened++;
    return 'open';
  }

  /** osdp_KEYSET: the reader takes `scbk` as its key; the box starts over with it. */
  private async provision(scbk: Buffer): Promise<'offline' | 'resync' | 'link'> {
    const keyset = await this.command(COMMAND.KEYSET, Buffer.concat([Buffer.from([KEYSET_SCBK, scbk.length]), scbk]));
    if ('stop' in keyset) return keyset.stop;
    if (keyset.reply.kind !== 'ack') {
      this.counters.secureChannelFailures++;
      this.logger.warn('the OSDP reader refused its new SCBK; it stays in install mode');
      this.goOffline('secure-channel-failed');
      return 'offline';
    }
    this.counters.keysProvisioned++;
    this.secureChannel = { mode: 'scbk', scbk };
    this.logger.info('the OSDP reader took its SCBK: turn install mode off in the settings');
    return 'resync';
  }

  private async pollUntilFault(): Promise<'offline' | 'resync' | 'link'> {
    for (;;) {
      if (!this.running || !this.linkUp) return 'link';
      const outcome = await this.command(COMMAND.POLL, Buffer.alloc(0));
      if ('stop' in outcome) return outcome.stop;
      this.counters.polls++;
      this.handle(outcome.reply);
      await this.sleep(this.pollIntervalMs);
    }
  }

  /** Sends one command until its reply comes, the reader is offline, or the line goes. */
  private async command(code: number, data: Buffer, handshake?: { type: number; data: Buffer }): Promise<Outcome> {
    const send = this.channel.prepare(code, data, handshake);
    for (;;) {
      if (!this.running || !this.linkUp) return { stop: 'link' };
      const result = await send();
      if (result.ok) {
        this.heardAt = this.options.clock.now();
        this.missesInRow = 0;
        if (result.reply.kind === 'busy') {
          this.counters.busyReplies++;
          await this.sleep(this.pollIntervalMs);
          continue;
        }
        return { reply: result.reply };
      }
      const stop = this.fault(result.fault);
      if (stop !== null) return { stop };
    }
  }

  /** What a fault means for the command in flight: null to send it again. */
  private fault(fault: ExchangeFault): 'offline' | 'resync' | 'link' | null {
    if (fault === 'link') return 'link';
    if (fault === 'sequence' || fault === 'secure') {
      this.counters.resyncs++;
      return 'resync';
    }
    this.counters.missedReplies++;
    this.missesInRow++;
    if (this.missesInRow < this.offlineAfter) return null;
    if (this.currentState === 'up' || this.currentState === 'starting') this.goOffline('missed-replies');
    return 'offline';
  }

  private handle(reply: Reply): void {
    switch (reply.kind) {
      case 'card-read':
        this.counters.cardReads++;
        this.emit('card-read', { card: cardNumberOf(reply.bits, reply.data), bits: reply.bits });
        return;
      case 'keypad':
        this.counters.keypadEntries++;
        this.emit('keypad', { keys: reply.keys.length });
        return;
      case 'local-status': {
        const before = this.status;
        this.status = { tamper: reply.tamper, powerFailure: reply.powerFailure };
        if (before.tamper !== reply.tamper || before.powerFailure !== reply.powerFailure) {
          this.logger.info('OSDP reader local status', this.status);
          this.emit('local-status', this.status);
        }
        return;
      }
      case 'nak':
        this.counters.naks++;
        return;
      case 'malformed':
        this.counters.malformedReplies++;
        return;
      default:
        return;
    }
  }

  private goOffline(reason: OfflineReason): void {
    if (this.currentState === 'down' || this.currentState === 'stopped') return;
    this.currentState = 'down';
    this.counters.offlineTransitions++;
    this.logger.warn('OSDP reader offline', { reason });
    this.emit('offline', reason);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.timers.setTimeout(() => {
        this.pause = null;
        resolve();
      }, ms);
      this.pause = { timer, wake: resolve };
    });
  }

  private wake(): void {
    const pause = this.pause;
    if (pause === null) return;
    this.pause = null;
    this.timers.clearTimeout(pause.timer);
    pause.wake();
  }
}
