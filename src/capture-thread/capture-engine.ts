/**
 * The capture path, wired inside its own thread (capture-worker.ts): serial link -> bridge client
 * -> call tracker -> recording writers, with their own event loop, so that nothing the main
 * thread does (HTTPS, password checks, history searches, the purge) can delay a frame. It talks
 * to the main thread only by messages (capture-messages.ts): call and link events, counters and
 * alarms out; settings, the contact records' write confirmations and stop in.
 *
 * The contact records are written by the main thread (it owns the history and its search
 * index); the recordings are written here, with keys derived from the master key given at start.
 */
import { access } from 'node:fs/promises';
import { getHeapStatistics } from 'node:v8';
import { LoopDelayProbe } from './loop-delay-probe.js';
import type { Clock } from '../clock.js';
import { createLogger, type Logger, type LogLevel } from '../log.js';
import { createKeyHierarchy } from '../storage/key-hierarchy.js';
import { RecordingStore } from '../recording/recording-store.js';
import { BridgeClient } from '../capture/bridge-client.js';
import { SerialLink, type SerialLinkOptions } from '../capture/serial-link.js';
import { ttyBinding } from '../capture/tty-binding.js';
import { LINK_ERROR_CHECK_INTERVAL_MS, LinkErrorMonitor } from '../capture/link-errors.js';
import { CallTracker, TICK_MS, type RecordingSink, type RecordingWriterPort, type UnfinishedCall } from '../calls/call-tracker.js';
import { RecordingRules } from '../calls/recording-rules.js';
import { AgentDirectory } from '../calls/agent-directory.js';
import { RemoteHistory } from './remote-history.js';
import { BridgeCheck } from '../health/checks/bridge-check.js';
import { DeadChannelCheck } from '../health/checks/dead-channel-check.js';
import type { AlarmControl } from '../health/checks/health-check.js';
import { CAPTURE_STATS_INTERVAL_MS, type CaptureControl, type CaptureEvent, type CapturePort, type CaptureStart, type CaptureStats } from './capture-messages.js';

/** Injected in tests that run the engine on the main thread (a manual clock, a mock serial binding). */
export interface CaptureEngineInjections {
  readonly clock: Clock;
  readonly serialBinding?: SerialLinkOptions['binding'];
}

/** Counts the silence the writers filled: the open writers' counts plus those of the closed ones. */
class GapCounter {
  private closedTicks = 0;
  private readonly open = new Set<{ readonly stats: { readonly gapTicks: number } }>();

  track<W extends RecordingWriterPort & { readonly stats: { readonly gapTicks: number } }>(writer: W): W {
    this.open.add(writer);
    const close = writer.close.bind(writer);
    writer.close = async (outcome) => {
      try {
        return await close(outcome);
      } finally {
        if (this.open.delete(writer)) this.closedTicks += writer.stats.gapTicks;
      }
    };
    return writer;
  }

  get ticks(): number {
    let ticks = this.closedTicks;
    for (const writer of this.open) ticks += writer.stats.gapTicks;
    return ticks;
  }
}

interface EngineParts {
  readonly port: CapturePort<CaptureControl, CaptureEvent>;
  readonly tracker: CallTracker;
  readonly bridge: BridgeClient;
  readonly rules: RecordingRules;
  readonly agents: AgentDirectory;
  readonly history: RemoteHistory;
  readonly linkErrors: LinkErrorMonitor;
  readonly gaps: GapCounter;
  readonly bridgeCheck: BridgeCheck;
  readonly deadChannels: DeadChannelCheck;
}

/** How often the bridge's heartbeat and the silent channels are looked at (a lost heartbeat is 10 s). */
const WATCH_INTERVAL_MS = 5000;

export class CaptureEngine {
  private readonly port: CapturePort<CaptureControl, CaptureEvent>;
  private readonly tracker: CallTracker;
  private readonly bridge: BridgeClient;
  private readonly rules: RecordingRules;
  private readonly agents: AgentDirectory;
  private readonly history: RemoteHistory;
  private readonly linkErrors: LinkErrorMonitor;
  private readonly gaps: GapCounter;
  private readonly bridgeCheck: BridgeCheck;
  private readonly deadChannels: DeadChannelCheck;
  /** This thread's event-loop delay: what a frame waits before it is read. */
  private readonly delay = new LoopDelayProbe();
  private maxEverMs = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopping: Promise<void> | null = null;

  private constructor(parts: EngineParts) {
    ({ port: this.port, tracker: this.tracker, bridge: this.bridge, rules: this.rules, agents: this.agents, history: this.history, linkErrors: this.linkErrors, gaps: this.gaps, bridgeCheck: this.bridgeCheck, deadChannels: this.deadChannels } = parts);
  }

  /**
   * Opens the recording store, reopens the recordings of the calls in `start.resume` (they are
   * held until the bridge names them again), and says 'ready'. The link starts at 'start-link'.
   */
  static async start(port: CapturePort<CaptureControl, CaptureEvent>, start: CaptureStart, injected?: CaptureEngineInjections): Promise<CaptureEngine> {
    const clock = injected?.clock ?? (await import('../clock.js')).systemClock;
    const logger = threadLogger(port, start.logLevel);
    const alarms: AlarmControl = {
      raise: (code, message, fields = {}, options) => port.postMessage({ type: 'alarm', code, message, fields, ...(options === undefined ? {} : { options }) }),
      clear: (code, key) => port.postMessage({ type: 'alarm-clear', code, ...(key === undefined ? {} : { key }) }),
    };
    const keys = createKeyHierarchy(Buffer.from(start.masterKey));
    const recordings = await RecordingStore.open({ dataDir: start.dataDir, keys, clock, logger: logger.child('storage') });
    const history = new RemoteHistory(port);
    const rules = new RecordingRules(start.settings.recordedServiceNumbers, start.defaultRegion);
    const agents = new AgentDirectory(start.settings.agents, start.defaultRegion);
    const gaps = new GapCounter();
    const sink: RecordingSink = { create: async (meta, options) => gaps.track(await recordings.create(meta, options)) };
    const tracker = new CallTracker({
      history,
      recordings: sink,
      rules,
      agents,
      clock,
      logger: logger.child('calls'),
      alarms,
      defaultRegion: start.defaultRegion,
      // The tracker exists by the time it reports a change (it reports none while it is made).
      onCallChange: (change) => port.postMessage({ type: 'call', change, tracker: tracker.stats() }),
    });
    const bridge = new BridgeClient({
      link: new SerialLink({
        path: start.bridge.path,
        baudRate: start.bridge.baudRate,
        logger: logger.child('link'),
        // bindings-cpp cannot run in a worker thread (tty-binding.ts says why).
        binding: injected?.serialBinding ?? (ttyBinding as unknown as NonNullable<SerialLinkOptions['binding']>),
      }),
      clock,
      logger: logger.child('capture'),
    });
    const linkErrors = new LinkErrorMonitor({ read: () => bridge.linkErrors(), clock, logger: logger.child('capture'), alarms });
    // Watched here, beside the audio: the main thread never sees a sample (health/checks/).
    const bridgeCheck = new BridgeCheck(() => bridge.isLinkUp, alarms, clock);
    const deadChannels = new DeadChannelCheck(alarms, clock);
    const engine = new CaptureEngine({ port, tracker, bridge, rules, agents, history, linkErrors, gaps, bridgeCheck, deadChannels });

    // The calls the last thread (or the last run of the service) left in progress.
    const adopted: UnfinishedCall[] = [];
    for (const record of start.resume.records) {
      if (record.recordingId === null) continue;
      const recordingId = record.recordingId;
      if (!(await access(recordings.partPath(recordingId)).then(() => true, () => false))) continue;
      try {
        const writer = gaps.track(
          await recordings.reopen(recordingId, {
            onError: () => alarms.raise('RECORDING_FAILED', 'a recording stopped while the call was in progress', { recordingId }),
          }),
        );
        const audioEndMs = writer.meta.startedAtMs + (writer.expectedTick - writer.meta.startTick) * TICK_MS;
        adopted.push({ record, writer, audioEndMs });
      } catch (err) {
        logger.warn('recording of an unfinished call cannot go on; it is sealed as interrupted', { callId: record.callId, error: err instanceof Error && 'code' in err ? String(err.code) : 'unknown' });
      }
    }
    tracker.adopt(adopted, start.resume.cause);
    engine.listen();
    engine.post({ type: 'ready', adopted: adopted.map(({ record }) => ({ callId: record.callId, recordingId: record.recordingId! })), stats: engine.stats() });
    return engine;
  }

  /** The tracker, for tests that run the engine on the main thread and feed it events directly. */
  get callTracker(): CallTracker {
    return this.tracker;
  }

  private listen(): void {
    const { bridge, tracker, bridgeCheck, deadChannels } = this;
    bridge.on('callStart', (event) => {
      tracker.onCallStart(event);
      deadChannels.onCallStart(event.channel);
    });
    bridge.on('callEnd', (event) => {
      tracker.onCallEnd(event);
      deadChannels.onCallEnd(event.channel);
    });
    bridge.on('audio', (event) => {
      tracker.onAudio(event);
      for (const { channel, samples } of event.channels) deadChannels.onAudio(channel, samples);
    });
    bridge.on('heartbeat', (event) => {
      tracker.onHeartbeat(event);
      bridgeCheck.onHeartbeat();
    });
    bridge.on('linkDown', (event) => {
      // A stop of our own is not a lost link: the tracker has sealed its calls as service-stopped.
      if (event.reason !== 'stopped') tracker.onLinkDown();
      this.post({ type: 'link-down', reason: event.reason });
      this.postStats();
    });
    bridge.on('bridgeRestarted', (event) => {
      tracker.onBridgeRestarted();
      this.post({ type: 'bridge-restarted', previousBootId: event.previousBootId, bootId: event.bootId });
    });
    bridge.on('linkUp', (info) => {
      bridgeCheck.onLinkUp();
      this.post({ type: 'link-up', info });
      this.postStats();
    });
    this.port.on('message', (message) => this.onControl(message));
  }

  private onControl(message: CaptureControl): void {
    switch (message.type) {
      case 'history-done':
        this.history.settle(message.id, message.error);
        return;
      case 'start-link':
        this.startLink();
        return;
      case 'settings':
        // Validated by the main thread before it stored them (call-settings.ts).
        this.agents.replace(message.settings.agents);
        this.rules.replace(message.settings.recordedServiceNumbers);
        return;
      case 'stop':
        void this.stop();
        return;
    }
  }

  private startLink(): void {
    if (this.timers.length > 0 || this.stopping !== null) return;
    this.delay.enable();
    this.bridge.start();
    const every = (ms: number, fn: () => void): void => {
      const timer = setInterval(fn, ms);
      timer.unref();
      this.timers.push(timer);
    };
    // Calls held after a lost link or a restart end when the bridge has not named them in time.
    every(1000, () => this.tracker.expireHeldCalls());
    every(LINK_ERROR_CHECK_INTERVAL_MS, () => this.linkErrors.check());
    every(CAPTURE_STATS_INTERVAL_MS, () => this.postStats());
    every(WATCH_INTERVAL_MS, () => void this.bridgeCheck.run().then(() => this.deadChannels.run()));
  }

  /** The calls first (sealed as service-stopped, the truth), then the link. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const timer of this.timers.splice(0)) clearInterval(timer);
      await this.tracker.stop();
      await this.bridge.stop();
      this.linkErrors.flush();
      this.delay.disable();
      this.post({ type: 'stopped' });
    })();
    return this.stopping;
  }

  private stats(): CaptureStats {
    const { p99Ms, maxMs } = this.delay.read();
    this.maxEverMs = Math.max(this.maxEverMs, maxMs);
    this.delay.reset();
    return {
      linkUp: this.bridge.isLinkUp,
      bridgeInfo: this.bridge.bridgeInfo,
      bridge: { ...this.bridge.stats() },
      linkErrors: this.bridge.linkErrors(),
      tracker: this.tracker.stats(),
      activeCalls: this.tracker.activeCalls(),
      eventLoopDelay: { p99Ms, maxMs, maxEverMs: this.maxEverMs },
      gapTicksFilled: this.gaps.ticks,
      heap: threadHeap(),
    };
  }

  private postStats(): void {
    this.post({ type: 'stats', stats: this.stats() });
  }

  private post(message: CaptureEvent): void {
    this.port.postMessage(message);
  }
}

function threadHeap(): CaptureStats['heap'] {
  const heap = getHeapStatistics();
  return { usedBytes: heap.used_heap_size, totalBytes: heap.total_heap_size, externalBytes: heap.external_memory };
}

/** Log lines go to the main thread, which writes them with its own logger (one stream, in order). */
function threadLogger(port: CapturePort<CaptureControl, CaptureEvent>, level: LogLevel): Logger {
  return createLogger({
    level,
    sink: {
      write: (line) => {
        const { level: lineLevel, msg, component, time: _time, ...fields } = JSON.parse(line) as { level: LogLevel; msg: string; component?: string; time: string } & Record<string, string | number | boolean | null>;
        port.postMessage({ type: 'log', level: lineLevel, msg, component: component ?? 'capture', fields });
      },
    },
  });
}
