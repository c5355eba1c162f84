/**
 * The domain events of the capture layer: what the calls layer sees of the bridge. This file
 * holds types only, so calls/ imports from here and never from the codec.
 *
 * Phone numbers (`caller`, `called`) are personal data: never log them.
 */

export interface CallStartEvent {
  /** The bridge's boot: call refs are unique per boot only. */
  bootId: number;
  channel: number;
  /** Bridge-assigned, unique per boot, never 0. */
  callRef: number;
  /** Tick of the start signal; audio from this tick on belongs to the call. */
  tick: number;
  /** Calling number as the card gives it; '' when withheld. */
  caller: string;
  /** The dialled service number. */
  called: string;
  agentExtension: string;
  /** The call began before this link session (sent again after a reconnect). */
  resumed: boolean;
}

export interface CallEndEvent {
  bootId: number;
  channel: number;
  callRef: number;
  /** Tick of the end signal; the call's last audio is tick - 1. */
  tick: number;
  /** 'abnormal': card or line failure. */
  cause: 'normal' | 'abnormal';
}

export interface AudioChannelSamples {
  channel: number;
  /**
   * 160 A-law samples (20 ms at 8 kHz). A view into the received bytes, valid ONLY during the
   * synchronous emit: copy it (Buffer.from) to keep it beyond the listener's return.
   */
  samples: Buffer;
}

/** All active channels of one 20 ms tick (a bridge may send several AUDIO events per tick). */
export interface AudioEvent {
  /** 20 ms ticks since the bridge booted. */
  tick: number;
  channels: readonly AudioChannelSamples[];
}

export interface HeartbeatEvent {
  uptimeMs: number;
  tick: number;
  /** Channels in a call, ascending: lets the calls layer end a call whose CALL_END was lost. */
  activeChannels: number[];
}

export interface LinkUpEvent {
  bootId: number;
  protocolVersion: number;
  channelCount: number;
  firmwareVersion: string;
}

/**
 * 'timeout': no valid frame for the link-loss timeout; 'closed': the port closed or vanished;
 * 'restarted': the bridge announced a new boot; 'stopped': the client was stopped.
 */
export type LinkDownReason = 'timeout' | 'closed' | 'restarted' | 'stopped';

export interface LinkDownEvent {
  reason: LinkDownReason;
}

/** The bridge rebooted: every call of the previous boot is over (its call refs are void). */
export interface BridgeRestartedEvent {
  previousBootId: number;
  bootId: number;
}

/** Event name -> listener arguments, for the typed emitter of BridgeClient. */
export interface BridgeEvents {
  callStart: [event: CallStartEvent];
  callEnd: [event: CallEndEvent];
  audio: [event: AudioEvent];
  heartbeat: [event: HeartbeatEvent];
  linkUp: [event: LinkUpEvent];
  linkDown: [event: LinkDownEvent];
  bridgeRestarted: [event: BridgeRestartedEvent];
}
