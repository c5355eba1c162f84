/**
 * The call tracker turns the bridge's signalling and audio into calls: it runs one state machine
 * per channel (call-state-machine.ts), writes a contact record for every call (P3) and a
 * recording for every call to a recorded service number (P4), from the start signal to the end
 * signal. Everything it does for one call happens in order on that call's own promise chain, so
 * a slow disk delays that call's writes but never reorders or blocks the others.
 *
 * One call is one recording whatever breaks. When the link drops or the bridge restarts, the
 * calls in progress are held (their partial chunks go to the disk at once) for up to LINK_HOLD_MS;
 * when the bridge announces a held call again, it resumes in the same recording and the time
 * without audio is a gap with its cause ('link-lost', 'bridge-restart'). A recording is created at
 * the call's first audio: a call that never had any says 'no-audio' and leaves no empty file.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { isInterruption, type ContactRecord, type EndReason, type RecordingState } from '../history/contact-record.js';
import { heldAfterRestart, IDLE, transition, type ChannelEffect, type ChannelInput, type ChannelState } from './call-state-machine.js';
import type { AgentDirectory } from './agent-directory.js';
import type { RecordingRules } from './recording-rules.js';
import { normalizePhoneNumber } from './phone-number.js';
import type { AudioEvent, CallEndEvent, CallStartEvent, HeartbeatEvent } from '../capture/bridge-events.js';
import type { HoldCause, RestartCause } from './call-state-machine.js';

export const TICK_MS = 20;
/**
 * How long a call is held after the link drops or the bridge restarts, waiting for the bridge to
 * announce it again. A USB re-enumeration or a bridge reboot takes seconds; two minutes also
 * covers a cable pulled and put back. It stays well below the recording's largest accepted jump.
 */
export const LINK_HOLD_MS = 120_000;
/**
 * A call whose first audio comes more than this after its start signal was announced late (it
 * began before this service or this link session heard of it): it is recorded from its first
 * audio, never back-filled with silence from its start.
 */
const LATE_FIRST_AUDIO_TICKS = 50;
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
  /** The next gap was caused by this (a lost link, a restart), not by frames lost on a working link. */
  markNextGap(cause: GapCause): void;
  /** Silence up to `tick` (exclusive), recorded as a gap of `cause`. */
  fillGapTo(tick: number, cause: GapCause): void;
  /** Hands the partial chunk to the disk now (no frame will come soon to do it). */
  flushPartial(): void;
  /** Seals what reached the disk; `salvaged` when a write error cut the recording short. */
  close(outcome: 'completed' | 'interrupted'): Promise<{ salvaged: boolean }>;
}

/** A call left open by a crash, its recording reopened (unfinished-calls.ts): adopt() holds it. */
export interface UnfinishedCall {
  readonly record: ContactRecord;
  readonly writer: RecordingWriterPort & { readonly expectedTick: number };
  /** Wall clock of the end of the audio kept (start + duration). */
  readonly audioEndMs: number;
}

/** Why audio is missing from a recording (recording/recording-format.ts GapCause). */
export type GapCause = 'frames-lost' | 'link-lost' | 'service-restart' | 'bridge-restart' | 'capture-restart';

/**
 * Where contact records go (history/contact-history.ts). The capture thread reaches the history
 * on the main thread through messages (capture-thread/remote-history.ts): a call's chain still
 * waits until its record is durable.
 */
export interface ContactRecordSink {
  add(record: ContactRecord): Promise<void>;
  update(callId: string, startedAt: string, patch: Partial<Omit<ContactRecord, 'callId' | 'startedAt'>>): Promise<unknown>;
}

/** A call in progress, as the health view and the live channels show it (ids only). */
export interface ActiveCallInfo {
  readonly channel: number;
  readonly callId: string;
  readonly startedAt: string;
  readonly recording: boolean;
}

/** What happened to a call in progress: it began, ended, or its state changed (held, resumed). */
export interface CallChange {
  readonly kind: 'started' | 'ended' | 'updated';
  readonly call: ActiveCallInfo;
  /** For 'ended': why; for 'updated': 'held' or 'resumed'. */
  readonly detail?: string;
}

/** Problems an operator must see (health and alarms): never a silent loss. */
export interface AlarmSink {
  raise(code: string, message: string, fields?: Record<string, string | number>): void;
}

interface ActiveCall {
  readonly callId: string;
  readonly channel: number;
  readonly startedAt: string;
  readonly recordingId: string | null;
  /** As the card gave them, to know the same call again after a bridge restart (never logged). */
  readonly parties: string;
  readonly startTick: number;
  readonly resumed: boolean;
  writer: RecordingWriterPort | null;
  /**
   * Audio received before the writer was ready (copies: the bridge's buffers are reused), each
   * with the cause of a gap before it when one is known.
   */
  pending: Array<{ tick: number; samples: Buffer; gapCause: GapCause | null }> | null;
  /** The cause of the next gap, when it is known before the writer exists. */
  pendingGapCause: GapCause | null;
  recordingFailed: boolean;
  /** The call ended before any audio came: nothing to record. */
  noAudio: boolean;
  /**
   * The recording is created at the first audio: its start tick is the call's start, or the first
   * audio when the call was announced late (RESUMED, or a start resent after a restart).
   */
  readonly firstAudioTick: Promise<number | null>;
  resolveFirstAudio: ((tick: number | null) => void) | null;
  /** Added to the bridge's ticks: a restarted bridge counts from 0 again, the recording goes on. */
  tickOffset: number;
  /** The last audio: its tick (bridge) and when it came (wall clock), to measure a bridge restart. */
  lastAudio: { tick: number; wallMs: number } | null;
  /** When the call was held (link lost, bridge restarted), else null. */
  heldSinceMs: number | null;
  /** Audio that came while held (copies), written if the call resumes. */
  heldAudio: Array<{ tick: number; samples: Buffer }>;
  /** The call's operations, in order. */
  chain: Promise<void>;
}

export interface CallTrackerStats {
  callsStarted: number;
  callsEnded: number;
  callsInterrupted: number;
  /** Held calls that the bridge announced again: they went on in the same recording. */
  callsResumed: number;
  /** Calls that ended before any audio came (recording state 'no-audio'). */
  callsWithoutAudio: number;
  recordingsStarted: number;
  recordingFailures: number;
  historyFailures: number;
  /** Audio for a channel with no call (e.g. a call that began while the link was down). */
  orphanAudioTicks: number;
  /** Audio lost because a recording took more than MAX_PENDING_TICKS to open. */
  pendingAudioTicksDropped: number;
}

export interface CallTrackerOptions {
  readonly history: ContactRecordSink;
  readonly recordings: RecordingSink;
  readonly rules: RecordingRules;
  readonly agents: AgentDirectory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly alarms: AlarmSink;
  readonly defaultRegion: string;
  /** Told of every call that starts, ends or is held or resumed (the capture thread's call events). */
  readonly onCallChange?: (change: CallChange) => void;
}

export class CallTracker {
  private readonly states = new Map<number, ChannelState>();
  private readonly calls = new Map<number, ActiveCall>();
  /** Everything still running, so stop() can wait for the last write. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Steps of inFlight that wait for a call's first audio, not for the disk. */
  private readonly awaitingAudio = new Set<Promise<void>>();
  private wakeDrain: (() => void) | null = null;
  /** The latest (tick, wall clock) pair seen: maps the bridge's ticks to UTC. */
  private anchor: { tick: number; wallMs: number } | null = null;
  /** After stop(), events still on their way from the bridge are ignored. */
  private stopped = false;
  private readonly counters: CallTrackerStats = {
    callsStarted: 0,
    callsEnded: 0,
    callsInterrupted: 0,
    callsResumed: 0,
    callsWithoutAudio: 0,
    recordingsStarted: 0,
    recordingFailures: 0,
    historyFailures: 0,
    orphanAudioTicks: 0,
    pendingAudioTicksDropped: 0,
  };

  constructor(private readonly options: CallTrackerOptions) {}

  onCallStart(event: CallStartEvent): void {
    const held = this.calls.get(event.channel);
    const sameParties = held !== undefined && held.parties === this.partiesOf(event);
    this.apply(event.channel, { kind: 'call-start', callRef: event.callRef, tick: event.tick, sameParties }, event);
  }

  onCallEnd(event: CallEndEvent): void {
    this.apply(event.channel, { kind: 'call-end', callRef: event.callRef, tick: event.tick, abnormal: event.cause === 'abnormal' });
  }

  /** Hot path: 50 frames a second with up to 48 channels each. */
  onAudio(event: AudioEvent): void {
    if (this.stopped) return;
    const wallMs = this.options.clock.now();
    this.anchor = { tick: event.tick, wallMs };
    for (const { channel, samples } of event.channels) {
      const call = this.calls.get(channel);
      const { state, effects } = transition(this.states.get(channel) ?? IDLE, { kind: 'audio', tick: event.tick });
      if (call === undefined || state.kind === 'idle') {
        this.counters.orphanAudioTicks++;
        continue;
      }
      this.states.set(channel, state);
      const effect = effects[0];
      if (effect === undefined) continue;
      if (effect.kind === 'hold-audio') {
        if (call.heldAudio.length < MAX_PENDING_TICKS) call.heldAudio.push({ tick: event.tick, samples: Buffer.from(samples) });
        else this.counters.pendingAudioTicksDropped++;
        continue;
      }
      this.record(call, event.tick, samples);
      if (call.lastAudio === null || event.tick > call.lastAudio.tick) call.lastAudio = { tick: event.tick, wallMs };
    }
  }

  /**
   * Takes over the calls a crash left open, their recordings reopened (unfinished-calls.ts): each
   * is held, as after a lost link, until the bridge announces it again (it goes on after a
   * 'service-restart' gap, or 'capture-restart' after the capture thread died) or the hold
   * expires (it ends as service-stopped, interrupted).
   */
  adopt(unfinished: readonly UnfinishedCall[], cause: RestartCause = 'service-restart'): void {
    const now = this.options.clock.now();
    for (const { record, writer, audioEndMs } of unfinished) {
      if (this.calls.has(record.channel) || record.recordingId === null) continue;
      const call: ActiveCall = {
        callId: record.callId,
        channel: record.channel,
        startedAt: record.startedAt,
        recordingId: record.recordingId,
        parties: parties(record.callerNumber, record.serviceNumber, record.agentExtension),
        startTick: writer.expectedTick,
        resumed: record.resumed,
        writer,
        pending: null,
        pendingGapCause: null,
        recordingFailed: false,
        noAudio: false,
        firstAudioTick: Promise.resolve(writer.expectedTick),
        resolveFirstAudio: null,
        tickOffset: 0,
        lastAudio: { tick: writer.expectedTick - 1, wallMs: audioEndMs - TICK_MS },
        heldSinceMs: now,
        heldAudio: [],
        chain: Promise.resolve(),
      };
      this.calls.set(record.channel, call);
      this.states.set(record.channel, heldAfterRestart(writer.expectedTick, cause));
      this.options.logger.warn('call held', { callId: call.callId, channel: call.channel, cause, holdMs: LINK_HOLD_MS });
      this.tell('started', call, cause);
    }
  }

  /** Ends the calls held for longer than LINK_HOLD_MS (main.ts calls this every second). */
  expireHeldCalls(): void {
    const now = this.options.clock.now();
    for (const call of [...this.calls.values()]) {
      if (call.heldSinceMs !== null && now - call.heldSinceMs >= LINK_HOLD_MS) this.apply(call.channel, { kind: 'hold-expired' });
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

  /** Ends every call in progress as service-stopped (held ones as their hold's cause), and waits for the writes. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const channel of [...this.states.keys()]) this.apply(channel, { kind: 'shutdown' });
    await this.drain();
  }

  /**
   * Waits until every write started so far has finished. A call still waiting for its first
   * audio (its recording is created then) is not a write in progress.
   */
  async drain(): Promise<void> {
    for (;;) {
      const busy = [...this.inFlight].filter((step) => !this.awaitingAudio.has(step));
      if (busy.length === 0) return;
      await Promise.race([Promise.allSettled(busy), new Promise<void>((resolve) => (this.wakeDrain = resolve))]);
    }
  }

  activeCalls(): ActiveCallInfo[] {
    return [...this.calls.values()].map(infoOf);
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
    else if (effect.kind === 'close-call') this.closeCall(channel, effect.endTick, effect.reason, effect.heldFor);
    else if (effect.kind === 'hold-call') this.holdCall(channel, effect.cause);
    else if (effect.kind === 'resume-call') this.resumeCall(channel, effect.tick, effect.cause);
  }

  /** One tick of a call's audio, to its writer or, until the writer is ready, to `pending`. */
  private record(call: ActiveCall, tick: number, samples: Buffer): void {
    if (call.writer !== null) {
      call.writer.writeTick(tick + call.tickOffset, samples);
    } else if (call.pending !== null) {
      if (call.resolveFirstAudio !== null) {
        call.resolveFirstAudio(tick + call.tickOffset);
        call.resolveFirstAudio = null;
      }
      if (call.pending.length < MAX_PENDING_TICKS) {
        call.pending.push({ tick: tick + call.tickOffset, samples: Buffer.from(samples), gapCause: call.pendingGapCause });
        call.pendingGapCause = null;
      } else {
        this.counters.pendingAudioTicksDropped++;
      }
    }
  }

  private markNextGap(call: ActiveCall, cause: GapCause): void {
    if (call.writer !== null) call.writer.markNextGap(cause);
    else call.pendingGapCause = cause;
  }

  /** The link dropped or the bridge restarted: keep the call, and put what it has on the disk. */
  private holdCall(channel: number, cause: HoldCause): void {
    const call = this.calls.get(channel);
    if (call === undefined) return;
    call.heldSinceMs ??= this.options.clock.now();
    call.writer?.flushPartial();
    this.options.logger.warn('call held', { callId: call.callId, channel, cause, holdMs: LINK_HOLD_MS });
    this.tell('updated', call, 'held');
  }

  /** The bridge announced the held call again: it goes on in the same recording. */
  private resumeCall(channel: number, tick: number, cause: HoldCause): void {
    const call = this.calls.get(channel);
    if (call === undefined) return;
    const gapCause: GapCause = cause;
    // After a crash the bridge is most likely the same boot (its ticks go on): only when the
    // announced start lies beyond what was recorded did the bridge restart meanwhile too.
    const newTicks = cause === 'bridge-restart' || ((cause === 'service-restart' || cause === 'capture-restart') && call.lastAudio !== null && tick > call.lastAudio.tick + 1);
    if (newTicks) {
      // The new boot's ticks say nothing of the old ones: place its first tick by the wall clock.
      if (call.lastAudio !== null) {
        const lastRecordedTick = call.lastAudio.tick + call.tickOffset;
        const lostTicks = Math.max(0, Math.round((this.wallTime(tick) - call.lastAudio.wallMs) / TICK_MS) - 1);
        call.tickOffset = lastRecordedTick + 1 + lostTicks - tick;
        call.lastAudio = { tick, wallMs: this.wallTime(tick) };
      } else if (call.writer === null && (call.pending === null || call.pending.length === 0)) {
        call.tickOffset = 0;
      }
    }
    this.markNextGap(call, gapCause);
    const heldFor = call.heldSinceMs === null ? 0 : this.options.clock.now() - call.heldSinceMs;
    call.heldSinceMs = null;
    this.counters.callsResumed++;
    this.options.logger.info('call resumed', { callId: call.callId, channel, cause, heldMs: heldFor });
    this.tell('updated', call, 'resumed');
    const held = call.heldAudio.sort((a, b) => a.tick - b.tick);
    call.heldAudio = [];
    const minTick = newTicks ? tick : -Infinity;
    // Audio lost while the call was held (frames the bridge could not send meanwhile) is the
    // hold's loss too: every gap up to the first audio after the resume is marked with its cause.
    for (const { tick: heldTick, samples } of held) {
      if (heldTick < minTick) continue;
      this.markNextGap(call, gapCause);
      this.record(call, heldTick, samples);
    }
    this.markNextGap(call, gapCause);
  }

  private openCall(event: CallStartEvent): void {
    const { rules, agents, defaultRegion, history, recordings, logger, alarms } = this.options;
    const serviceNumber = normalizePhoneNumber(event.called, defaultRegion);
    const agent = agents.lookup(event.agentExtension);
    const recorded = rules.isRecorded(serviceNumber);
    const startedAtMs = this.wallTime(event.tick);
    let resolveFirstAudio: ((tick: number | null) => void) | null = null;
    const firstAudioTick = new Promise<number | null>((resolve) => (resolveFirstAudio = resolve));
    const call: ActiveCall = {
      callId: randomUUID(),
      channel: event.channel,
      startedAt: new Date(startedAtMs).toISOString(),
      recordingId: recorded ? randomUUID() : null,
      parties: this.partiesOf(event),
      startTick: event.tick,
      resumed: event.resumed,
      writer: null,
      pending: recorded ? [] : null,
      pendingGapCause: null,
      recordingFailed: false,
      noAudio: false,
      firstAudioTick,
      resolveFirstAudio,
      tickOffset: 0,
      lastAudio: null,
      heldSinceMs: null,
      heldAudio: [],
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
    this.tell('started', call);

    const opened = this.enqueue(call, async () => {
      try {
        await history.add(record);
      } catch (err) {
        this.counters.historyFailures++;
        alarms.raise('HISTORY_WRITE_FAILED', 'a contact record could not be written', { callId: call.callId });
        logger.error('contact record not written', { callId: call.callId, error: describe(err) });
      }
      if (call.recordingId === null) return;
      this.awaitingAudio.add(opened);
      this.wakeDrain?.();
      const firstTick = await call.firstAudioTick;
      this.awaitingAudio.delete(opened);
      if (firstTick === null) {
        logger.warn('call ended before any audio arrived: nothing to record', { callId: call.callId });
        call.noAudio = true;
        return;
      }
      // Announced late (RESUMED, or resent after a restart): recorded from its first audio.
      const late = call.resumed || firstTick - call.startTick > LATE_FIRST_AUDIO_TICKS || firstTick < call.startTick;
      const startTick = late ? firstTick : call.startTick;
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
        // A gap's cause known before the writer existed (a hold) goes with the audio after it.
        for (const { tick, samples, gapCause } of call.pending ?? []) {
          if (gapCause !== null) writer.markNextGap(gapCause);
          writer.writeTick(tick, samples);
        }
        if (call.pendingGapCause !== null) writer.markNextGap(call.pendingGapCause);
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

  private closeCall(channel: number, endTick: number, reason: EndReason, heldFor: HoldCause | null): void {
    const call = this.calls.get(channel);
    if (call === undefined) return;
    this.calls.delete(channel);
    const interrupted = isInterruption(reason);
    if (heldFor !== null && !interrupted) {
      // The end signal came after the reconnect (or the restart): the call ended while the
      // service could not hear it. What audio came meanwhile is the call's; the rest of it, up to
      // the end, is a gap of the hold's cause.
      this.markNextGap(call, heldFor);
      for (const { tick, samples } of call.heldAudio.sort((a, b) => a.tick - b.tick)) if (tick < endTick) this.record(call, tick, samples);
      call.heldAudio = [];
      const fillTo = endTick + call.tickOffset;
      if (call.writer !== null) call.writer.fillGapTo(fillTo, heldFor);
      else void this.enqueue(call, async () => call.writer?.fillGapTo(fillTo, heldFor));
    }
    this.counters.orphanAudioTicks += call.heldAudio.length;
    call.heldAudio = [];
    call.resolveFirstAudio?.(null);
    call.resolveFirstAudio = null;
    // A held call that never came back ended, as far as anyone can tell, with its last audio.
    const endedAtMs = heldFor !== null && interrupted && call.lastAudio !== null ? call.lastAudio.wallMs + TICK_MS : this.wallTime(endTick);
    const endedAt = new Date(endedAtMs).toISOString();
    this.counters.callsEnded++;
    if (interrupted) this.counters.callsInterrupted++;
    this.options.logger.info('call ended', { callId: call.callId, channel, reason });
    this.tell('ended', call, reason);

    void this.enqueue(call, async () => {
      let recordingState: RecordingState = 'not-recorded';
      let recordingId = call.recordingId;
      if (call.recordingId !== null) {
        recordingState = interrupted ? 'interrupted' : 'completed';
        if (call.noAudio) {
          // Not a 0 ms "completed" recording: the record says there was no audio, and names none.
          recordingState = 'no-audio';
          recordingId = null;
          this.counters.callsWithoutAudio++;
        } else if (call.writer === null || call.recordingFailed) {
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
        await this.options.history.update(call.callId, call.startedAt, { endedAt, endReason: reason, recordingState, recordingId });
      } catch (err) {
        this.counters.historyFailures++;
        this.options.alarms.raise('HISTORY_WRITE_FAILED', 'the end of a call could not be written', { callId: call.callId });
        this.options.logger.error('contact record not updated', { callId: call.callId, error: describe(err) });
      }
    });
  }

  private tell(kind: CallChange['kind'], call: ActiveCall, detail?: string): void {
    this.options.onCallChange?.({ kind, call: infoOf(call), ...(detail === undefined ? {} : { detail }) });
  }

  private enqueue(call: ActiveCall, step: () => Promise<void>): Promise<void> {
    const next = call.chain.then(step);
    call.chain = next;
    this.inFlight.add(next);
    void next.finally(() => this.inFlight.delete(next));
    return next;
  }

  /** Who the call is between: after a restart the same call has the same (as its contact record holds them). */
  private partiesOf(event: CallStartEvent): string {
    const { defaultRegion } = this.options;
    return parties(normalizePhoneNumber(event.caller, defaultRegion), normalizePhoneNumber(event.called, defaultRegion), event.agentExtension);
  }

  /** UTC time of a bridge tick, from the latest anchor; the bridge has no wall clock. */
  private wallTime(tick: number): number {
    const now = this.options.clock.now();
    if (this.anchor === null) return now;
    return this.anchor.wallMs + (tick - this.anchor.tick) * TICK_MS;
  }
}

function infoOf(call: ActiveCall): ActiveCallInfo {
  return { channel: call.channel, callId: call.callId, startedAt: call.startedAt, recording: call.recordingId !== null };
}

function parties(caller: string | null, service: string | null, agentExtension: string): string {
  return `${caller ?? ''}|${service ?? ''}|${agentExtension}`;
}

function describe(err: unknown): string {
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' ? err.code : err.name;
  return 'unknown';
}
