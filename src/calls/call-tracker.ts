/**
 * The call tracker turns the bridge's signalling and audio into calls: it runs one state machine
 * per channel (call-state-machine.ts), writes a contact record for every call (P3) and a
 * recording for every call to a recorded service number (P4), from the start signal to the end
 * signal. Everything it does for one call happens in order on that call's own promise chain, so
 * a slow disk delays that call's writes but never reorders or blocks the others.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { isInterruption, type ContactRecord, type EndReason, type RecordingState } from '../history/contact-record.js';
import type { ContactHistory } from '../history/contact-history.js';
import { IDLE, transition, type ChannelEffect, type ChannelInput, type ChannelState } from './call-state-machine.js';
import type { AgentDirectory } from './agent-directory.js';
import type { RecordingRules } from './recording-rules.js';
import { normalizePhoneNumber } from './phone-number.js';
import type { AudioEvent, CallEndEvent, CallStartEvent, HeartbeatEvent } from '../capture/bridge-events.js';

export const TICK_MS = 20;
/**
 * Audio that arrives while a recording's key and file are being created is held: normally a few
 * ticks, but a slow disk (or a flood benchmark) can take longer. 30 s per call is at most 240 kB;
 * beyond it the ticks are counted as lost and the writer fills them as a silence gap.
 */
const MAX_PENDING_TICKS = 1500;

/** What the tracker needs of the recording store (src/recording/recording-store.ts). */
export interface RecordingSink {
  create(
    meta: { recordingId: string; callId: string; channel: number; startTick: number; startedAtMs: number },
    options: { onError: (err: Error) => void },
  ): Promise<RecordingWriterPort>;
}

export interface RecordingWriterPort {
  writeTick(tick: number, alaw: Buffer): unknown;
  /** Seals what reached the disk; `salvaged` when a write error cut the recording short. */
  close(outcome: 'completed' | 'interrupted'): Promise<{ salvaged: boolean }>;
}

/** Problems an operator must see (health and alarms): never a silent loss. */
export interface AlarmSink {
  raise(code: string, message: string, fields?: Record<string, string | number>): void;
}

interface ActiveCall {
  readonly callId: string;
  readonly callRef: number;
  readonly channel: number;
  readonly startedAt: string;
  readonly recordingId: string | null;
  writer: RecordingWriterPort | null;
  /** Audio received before the writer was ready (copies: the bridge's buffers are reused). */
  pending: Array<{ tick: number; samples: Buffer }> | null;
  recordingFailed: boolean;
  /**
   * A RESUMED call (announced again after a reconnect) is recorded from its first audio after
   * the reconnect, not from its original start tick: the time the link was down is not audio
   * this recording can hold (the earlier recording of the call, if any, holds what came before).
   */
  readonly firstAudioTick: Promise<number | null>;
  resolveFirstAudio: ((tick: number | null) => void) | null;
  /** The call's operations, in order. */
  chain: Promise<void>;
}

export interface CallTrackerStats {
  callsStarted: number;
  callsEnded: number;
  callsInterrupted: number;
  recordingsStarted: number;
  recordingFailures: number;
  historyFailures: number;
  /** Audio for a channel with no call (e.g. a call that began while the link was down). */
  orphanAudioTicks: number;
  /** Audio lost because a recording took more than MAX_PENDING_TICKS to open. */
  pendingAudioTicksDropped: number;
}

export interface CallTrackerOptions {
  readonly history: ContactHistory;
  readonly recordings: RecordingSink;
  readonly rules: RecordingRules;
  readonly agents: AgentDirectory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly alarms: AlarmSink;
  readonly defaultRegion: string;
}

export class CallTracker {
  private readonly states = new Map<number, ChannelState>();
  private readonly calls = new Map<number, ActiveCall>();
  /** Everything still running, so stop() can wait for the last write. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The latest (tick, wall clock) pair seen: maps the bridge's ticks to UTC. */
  private anchor: { tick: number; wallMs: number } | null = null;
  /** After stop(), events still on their way from the bridge are ignored. */
  private stopped = false;
  private readonly counters: CallTrackerStats = {
    callsStarted: 0,
    callsEnded: 0,
    callsInterrupted: 0,
    recordingsStarted: 0,
    recordingFailures: 0,
    historyFailures: 0,
    orphanAudioTicks: 0,
    pendingAudioTicksDropped: 0,
  };

  constructor(private readonly options: CallTrackerOptions) {}

  onCallStart(event: CallStartEvent): void {
    this.apply(event.channel, { kind: 'call-start', callRef: event.callRef, tick: event.tick }, event);
  }

  onCallEnd(event: CallEndEvent): void {
    this.apply(event.channel, { kind: 'call-end', callRef: event.callRef, tick: event.tick, abnormal: event.cause === 'abnormal' });
  }

  /** Hot path: 50 frames a second with up to 48 channels each. */
  onAudio(event: AudioEvent): void {
    if (this.stopped) return;
    this.anchor = { tick: event.tick, wallMs: this.options.clock.now() };
    for (const { channel, samples } of event.channels) {
      const call = this.calls.get(channel);
      const { state, effects } = transition(this.states.get(channel) ?? IDLE, { kind: 'audio', tick: event.tick });
      if (call === undefined || state.kind === 'idle') {
        this.counters.orphanAudioTicks++;
        continue;
      }
      this.states.set(channel, state);
      if (effects.length === 0) continue;
      if (call.writer !== null) {
        call.writer.writeTick(event.tick, samples);
      } else if (call.pending !== null) {
        if (call.resolveFirstAudio !== null) {
          call.resolveFirstAudio(event.tick);
          call.resolveFirstAudio = null;
        }
        if (call.pending.length < MAX_PENDING_TICKS) call.pending.push({ tick: event.tick, samples: Buffer.from(samples) });
        else this.counters.pendingAudioTicksDropped++;
      }
    }
  }

  onHeartbeat(event: HeartbeatEvent): void {
    this.anchor = { tick: event.tick, wallMs: this.options.clock.now() };
    const active = new Set(event.activeChannels);
    for (const channel of [...this.states.keys()]) this.apply(channel, { kind: 'heartbeat', active: active.has(channel) });
  }

  onLinkDown(): void {
    for (const channel of [...this.states.keys()]) this.apply(channel, { kind: 'link-lost' });
  }

  onBridgeRestarted(): void {
    for (const channel of [...this.states.keys()]) this.apply(channel, { kind: 'bridge-restarted' });
    this.anchor = null;
  }

  /** Ends every call in progress as interrupted by the service stopping, and waits for the writes. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const channel of [...this.states.keys()]) this.apply(channel, { kind: 'shutdown' });
    await this.drain();
  }

  /** Waits until every write started so far has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  activeCalls(): Array<{ channel: number; callId: string; startedAt: string; recording: boolean }> {
    return [...this.calls.values()].map((call) => ({ channel: call.channel, callId: call.callId, startedAt: call.startedAt, recording: call.recordingId !== null }));
  }

  stats(): CallTrackerStats {
    return { ...this.counters };
  }

  private apply(channel: number, input: ChannelInput, start?: CallStartEvent): void {
    if (this.stopped && input.kind !== 'shutdown') return;
    const before = this.states.get(channel) ?? IDLE;
    const { state, effects } = transition(before, input);
    if (state.kind === 'idle') this.states.delete(channel);
    else this.states.set(channel, state);
    for (const effect of effects) this.perform(channel, effect, start);
  }

  private perform(channel: number, effect: ChannelEffect, start: CallStartEvent | undefined): void {
    if (effect.kind === 'open-call' && start !== undefined) this.openCall(start);
    else if (effect.kind === 'close-call') this.closeCall(channel, effect.endTick, effect.reason);
  }

  private openCall(event: CallStartEvent): void {
    const { rules, agents, defaultRegion, history, recordings, logger, alarms } = this.options;
    const serviceNumber = normalizePhoneNumber(event.called, defaultRegion);
    const agent = agents.lookup(event.agentExtension);
    const recorded = rules.isRecorded(serviceNumber);
    const startedAtMs = this.wallTime(event.tick);
    let resolveFirstAudio: ((tick: number | null) => void) | null = null;
    const firstAudioTick = event.resumed ? new Promise<number | null>((resolve) => (resolveFirstAudio = resolve)) : Promise.resolve(event.tick);
    const call: ActiveCall = {
      callId: randomUUID(),
      callRef: event.callRef,
      channel: event.channel,
      startedAt: new Date(startedAtMs).toISOString(),
      recordingId: recorded ? randomUUID() : null,
      writer: null,
      pending: recorded ? [] : null,
      recordingFailed: false,
      firstAudioTick,
      resolveFirstAudio,
      chain: Promise.resolve(),
    };
    this.calls.set(event.channel, call);
    this.counters.callsStarted++;
    const record: ContactRecord = {
      callId: call.callId,
      startedAt: call.startedAt,
      endedAt: null,
      callerNumber: normalizePhoneNumber(event.caller, defaultRegion),
      serviceNumber,
      agentExtension: event.agentExtension,
      agentName: agent?.name ?? null,
      agentPhone: agent?.phone ?? null,
      channel: event.channel,
      recordingId: call.recordingId,
      recordingState: recorded ? 'recording' : 'not-recorded',
      endReason: null,
      resumed: event.resumed,
    };
    logger.info('call started', { callId: call.callId, channel: call.channel, recorded, resumed: event.resumed });
    if (agent === undefined) logger.warn('agent extension not in the directory', { callId: call.callId, channel: call.channel });

    this.enqueue(call, async () => {
      try {
        await history.add(record);
      } catch (err) {
        this.counters.historyFailures++;
        alarms.raise('HISTORY_WRITE_FAILED', 'a contact record could not be written', { callId: call.callId });
        logger.error('contact record not written', { callId: call.callId, error: describe(err) });
      }
      if (call.recordingId === null) return;
      const startTick = await call.firstAudioTick;
      if (startTick === null) {
        logger.warn('resumed call ended before any audio arrived: nothing to record', { callId: call.callId });
        call.recordingFailed = true;
        return;
      }
      try {
        const writer = await recordings.create(
          { recordingId: call.recordingId, callId: call.callId, channel: call.channel, startTick, startedAtMs: this.wallTime(startTick) },
          {
            // A failure while the call runs (disk full): the operator hears of it at once; what
            // reached the disk is sealed when the call ends.
            onError: (err) => {
              this.counters.recordingFailures++;
              alarms.raise('RECORDING_FAILED', 'a recording stopped while the call was in progress', { callId: call.callId, error: describe(err) });
            },
          },
        );
        for (const { tick, samples } of call.pending ?? []) writer.writeTick(tick, samples);
        call.pending = null;
        call.writer = writer;
        this.counters.recordingsStarted++;
      } catch (err) {
        call.pending = null;
        call.recordingFailed = true;
        this.counters.recordingFailures++;
        alarms.raise('RECORDING_FAILED', 'a call could not be recorded', { callId: call.callId });
        logger.error('recording not started', { callId: call.callId, error: describe(err) });
      }
    });
  }

  private closeCall(channel: number, endTick: number, reason: EndReason): void {
    const call = this.calls.get(channel);
    if (call === undefined) return;
    this.calls.delete(channel);
    call.resolveFirstAudio?.(null);
    call.resolveFirstAudio = null;
    const endedAt = new Date(this.wallTime(endTick)).toISOString();
    const interrupted = isInterruption(reason);
    this.counters.callsEnded++;
    if (interrupted) this.counters.callsInterrupted++;
    this.options.logger.info('call ended', { callId: call.callId, channel, reason });

    this.enqueue(call, async () => {
      let recordingState: RecordingState = 'not-recorded';
      if (call.recordingId !== null) {
        recordingState = interrupted ? 'interrupted' : 'completed';
        if (call.writer === null || call.recordingFailed) {
          recordingState = 'failed';
        } else {
          try {
            const sealed = await call.writer.close(interrupted ? 'interrupted' : 'completed');
            if (sealed.salvaged) recordingState = 'interrupted';
          } catch (err) {
            recordingState = 'failed';
            this.counters.recordingFailures++;
            this.options.alarms.raise('RECORDING_FAILED', 'a recording could not be completed', { callId: call.callId });
            this.options.logger.error('recording not sealed', { callId: call.callId, error: describe(err) });
          }
        }
      }
      try {
        await this.options.history.update(call.callId, call.startedAt, { endedAt, endReason: reason, recordingState });
      } catch (err) {
        this.counters.historyFailures++;
        this.options.alarms.raise('HISTORY_WRITE_FAILED', 'the end of a call could not be written', { callId: call.callId });
        this.options.logger.error('contact record not updated', { callId: call.callId, error: describe(err) });
      }
    });
  }

  private enqueue(call: ActiveCall, step: () => Promise<void>): void {
    const next = call.chain.then(step);
    call.chain = next;
    this.inFlight.add(next);
    void next.finally(() => this.inFlight.delete(next));
  }

  /** UTC time of a bridge tick, from the latest anchor; the bridge has no wall clock. */
  private wallTime(tick: number): number {
    const now = this.options.clock.now();
    if (this.anchor === null) return now;
    return this.anchor.wallMs + (tick - this.anchor.tick) * TICK_MS;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' ? err.code : err.name;
  return 'unknown';
}
