/**
 * The main thread's side of the capture thread: starts it (a node:worker_threads Worker running
 * capture-worker.ts), writes the contact records it sends (the main thread owns the history and
 * its search index), mirrors its link state, counters and calls for the health view, tells the
 * link and call events on as events of this thread (the audit of link loss and the live views
 * listen to them), and raises its alarms.
 *
 * When the thread dies (an uncaught error, or terminate()), a new one is started at once: it
 * reopens the recordings of the calls in progress and holds them until the bridge, greeted anew,
 * names them again; they go on in the same recording after a 'capture-restart' gap, and
 * CAPTURE_THREAD_RESTARTED says so. A thread that dies again soon after its start is started
 * again after a growing pause, so a fault in the thread never spins a core.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import type { Logger, LogFields } from '../log.js';
import type { ContactHistory } from '../history/contact-history.js';
import type { LinkDownReason, LinkUpEvent } from '../capture/bridge-events.js';
import type { LinkErrorCounters } from '../capture/link-errors.js';
import type { ActiveCallInfo, CallChange, CallTrackerStats } from '../calls/call-tracker.js';
import type { AlarmControl } from '../health/checks/health-check.js';
import type { RestartCause } from '../calls/call-state-machine.js';
import { CaptureEngine, type CaptureEngineInjections } from './capture-engine.js';
import type { CaptureControl, CaptureEvent, CaptureSettings, CaptureStart, CaptureStats, EventLoopDelay } from './capture-messages.js';

// The worker file sits next to this one: .js when built, .ts when the tests run the sources.
const WORKER_ENTRY = fileURLToPath(new URL(`./capture-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** A capture thread whose event loop was held up longer than this raises CAPTURE_DELAY. */
export const CAPTURE_DELAY_ALARM_MS = 100;
/** CAPTURE_DELAY is raised at most this often (it is logged each time). */
const CAPTURE_DELAY_ALARM_INTERVAL_MS = 60_000;
/** A thread that lived shorter than this died "soon": the next start waits, doubling up to the cap. */
const QUICK_DEATH_MS = 10_000;
const MAX_RESTART_PAUSE_MS = 30_000;
/** A thread that does not confirm a stop within this is ended (hang guard; the calls are sealed by then). */
const STOP_DEADLINE_MS = 60_000;
/**
 * The capture thread's own V8 heap (docs/benchmarks.md, "Where the memory goes"). Its garbage is
 * short-lived (a frame's buffers): a young generation of 6 MB (the main thread's, 2 MB
 * semi-spaces, systemd/tallennin.service) is swept in well under a millisecond, where V8's
 * default lets it grow to tens of MB that stay resident. The old generation's cap is only a
 * guard, about ten times what 120 calls use: a thread that leaks past it ends
 * (ERR_WORKER_OUT_OF_MEMORY) and another takes its calls over.
 */
export const CAPTURE_HEAP_LIMITS = { maxYoungGenerationSizeMb: 6, maxOldGenerationSizeMb: 256 } as const;

export interface CaptureThreadEvents {
  linkUp: [LinkUpEvent];
  linkDown: [{ reason: LinkDownReason | 'capture-restart' }];
  bridgeRestarted: [{ previousBootId: number; bootId: number }];
  call: [CallChange];
  /** The thread's counters, every CAPTURE_STATS_INTERVAL_MS. */
  stats: [CaptureStats];
  /** A new capture thread took over after the previous one died. */
  restarted: [{ restarts: number; callsHeld: number }];
}

export interface CaptureThreadOptions {
  /** Everything the thread starts with but the calls to resume (each start computes those). */
  readonly start: Omit<CaptureStart, 'resume'>;
  readonly history: ContactHistory;
  readonly alarms: AlarmControl;
  readonly logger: Logger;
  readonly now: () => number;
  /**
   * After a start, with the calls the thread took over: seals the other recordings left open and
   * closes the other contact records left without an end (main.ts: start-up recovery).
   */
  readonly recover: (adopted: ReadonlyArray<{ callId: string; recordingId: string }>) => Promise<void>;
  /**
   * Runs the engine on the main thread instead (tests with a manual clock or a mock serial
   * binding, which a worker cannot share). The messages are the same, through a MessageChannel.
   */
  readonly inline?: CaptureEngineInjections;
}

/** The part of the health view the capture thread gives (health-report.ts). */
export interface CaptureThreadHealth {
  readonly running: boolean;
  readonly restarts: number;
  readonly eventLoopDelay: EventLoopDelay;
  readonly eventLoopDelayAlarmMs: number;
  readonly gapTicksFilled: number;
}

type Port = { postMessage(message: CaptureControl): void };

const ZERO_DELAY: EventLoopDelay = { p99Ms: 0, maxMs: 0, maxEverMs: 0 };

export class CaptureThread extends EventEmitter<CaptureThreadEvents> {
  private worker: Worker | null = null;
  private inlineEngine: CaptureEngine | null = null;
  private inlineChannel: MessageChannel | null = null;
  private port: Port | null = null;
  private latest: CaptureStats | null = null;
  /** Counters of the threads before this one (a new thread counts from 0): the health view shows the sum. */
  private earlier: { bridge: Record<string, number>; linkErrors: Record<string, number>; tracker: Record<string, number>; gapTicks: number } = { bridge: {}, linkErrors: {}, tracker: {}, gapTicks: 0 };
  private restartCount = 0;
  private quickDeaths = 0;
  private startedAt = 0;
  private linkStarted = false;
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private lastDelayAlarmAt = -Infinity;
  /** Contact record writes under way: a restart waits for them before it reads the calls left open. */
  private readonly writes = new Set<Promise<void>>();
  private restartTimer: NodeJS.Timeout | null = null;
  private restarting: Promise<void> | null = null;

  constructor(private readonly options: CaptureThreadOptions) {
    super();
  }

  /** Starts the thread; it takes over the calls a crash left open (held, 'service-restart'). */
  async start(): Promise<void> {
    await this.launch('service-restart');
  }

  /** Opens the link to the bridge (after the web server is up, as before). */
  startLink(): void {
    this.linkStarted = true;
    this.port?.postMessage({ type: 'start-link' });
  }

  /** New settings for the next calls (after the main thread validated and stored them). */
  updateSettings(settings: CaptureSettings): void {
    this.settings = settings;
    this.port?.postMessage({ type: 'settings', settings });
  }

  private settings: CaptureSettings | undefined;

  /**
   * Ends the capture thread at once, as a crash would (the calls are not sealed): the service
   * notices and starts another. For the acceptance test and the restart benchmark.
   */
  async kill(): Promise<void> {
    if (this.worker !== null) await this.worker.terminate();
    else throw new AppError('CAPTURE_INLINE', 'the capture path runs on the main thread here: there is no thread to end');
  }

  /** The call tracker of an engine run on the main thread (tests that feed it bridge events). */
  get inlineTracker(): CaptureEngine['callTracker'] {
    if (this.inlineEngine === null) throw new AppError('CAPTURE_NOT_INLINE', 'the capture path runs in its own thread');
    return this.inlineEngine.callTracker;
  }

  /** Ends the calls as service-stopped, seals their recordings, closes the link, ends the thread. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      if (this.restartTimer !== null) clearTimeout(this.restartTimer);
      await this.restarting;
      const worker = this.worker;
      const done = new Promise<void>((resolve) => (this.onStopped = resolve));
      this.port?.postMessage({ type: 'stop' });
      if (worker !== null) {
        const deadline = setTimeout(() => void worker.terminate(), STOP_DEADLINE_MS);
        await Promise.race([done, new Promise<void>((resolve) => worker.once('exit', () => resolve()))]);
        clearTimeout(deadline);
        await worker.terminate();
      } else if (this.inlineEngine !== null) {
        await done;
        this.inlineChannel?.port1.close();
      }
      await Promise.allSettled([...this.writes]);
    })();
    return this.stopped;
  }

  get isLinkUp(): boolean {
    return this.latest?.linkUp ?? false;
  }

  get bridgeInfo(): LinkUpEvent | null {
    return this.latest?.bridgeInfo ?? null;
  }

  stats(): Record<string, number> {
    return sum(this.earlier.bridge, this.latest?.bridge ?? {});
  }

  linkErrors(): Record<string, number> {
    return sum(this.earlier.linkErrors, (this.latest?.linkErrors ?? {}) as LinkErrorCounters & Record<string, number>);
  }

  activeCalls(): readonly ActiveCallInfo[] {
    return this.latest?.activeCalls ?? [];
  }

  trackerStats(): Record<string, number> {
    return sum(this.earlier.tracker, (this.latest?.tracker ?? {}) as CallTrackerStats & Record<string, number>);
  }

  health(): CaptureThreadHealth {
    return {
      running: this.port !== null && !this.stopping,
      restarts: this.restartCount,
      eventLoopDelay: this.latest?.eventLoopDelay ?? ZERO_DELAY,
      eventLoopDelayAlarmMs: CAPTURE_DELAY_ALARM_MS,
      gapTicksFilled: this.earlier.gapTicks + (this.latest?.gapTicksFilled ?? 0),
    };
  }

  private async launch(cause: RestartCause): Promise<number> {
    // Every contact record the last thread sent is written before the open ones are read.
    await Promise.allSettled([...this.writes]);
    const records = (await this.options.history.unfinished()).filter((record) => record.recordingId !== null);
    const start: CaptureStart = { ...this.options.start, ...(this.settings === undefined ? {} : { settings: this.settings }), resume: { records, cause } };
    const ready = new Promise<ReadonlyArray<{ callId: string; recordingId: string }>>((resolve, reject) => {
      this.onReady = resolve;
      this.onStartFailed = reject;
    });
    this.startedAt = this.options.now();
    if (this.options.inline === undefined) {
      const worker = new Worker(WORKER_ENTRY, { workerData: start, resourceLimits: CAPTURE_HEAP_LIMITS });
      this.worker = worker;
      this.port = worker;
      worker.on('message', (message: CaptureEvent) => this.onEvent(message));
      worker.on('error', (err) => {
        this.options.logger.error('capture thread failed', { error: err.name, code: err instanceof AppError ? err.code : null });
      });
      worker.on('exit', (code) => this.onExit(worker, code));
    } else {
      const channel = new MessageChannel();
      channel.port1.on('message', (message: CaptureEvent) => this.onEvent(message));
      this.inlineChannel = channel;
      this.port = channel.port1;
      this.inlineEngine = await CaptureEngine.start(channel.port2, start, this.options.inline);
    }
    const adopted = await ready;
    await this.options.recover(adopted);
    if (this.linkStarted) this.port?.postMessage({ type: 'start-link' });
    return adopted.length;
  }

  private onStopped: (() => void) | null = null;
  private onReady: ((adopted: ReadonlyArray<{ callId: string; recordingId: string }>) => void) | null = null;
  private onStartFailed: ((err: Error) => void) | null = null;

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = null;
    this.port = null;
    this.onStopped?.();
    if (this.stopping) return;
    const failedStart = this.onStartFailed;
    this.onStartFailed = null;
    this.onReady = null;
    if (failedStart !== null) {
      failedStart(new AppError('CAPTURE_START_FAILED', `the capture thread ended before it was ready (exit code ${code})`));
      return;
    }
    // The thread died with the service running: start another that takes its calls over.
    const lived = this.options.now() - this.startedAt;
    this.quickDeaths = lived < QUICK_DEATH_MS ? this.quickDeaths + 1 : 0;
    this.keepCounters();
    const wasUp = this.latest?.linkUp === true;
    const calls = this.latest?.activeCalls.length ?? 0;
    this.latest = null;
    this.options.logger.error('capture thread ended; starting another', { exitCode: code, callsInProgress: calls });
    if (wasUp) this.emit('linkDown', { reason: 'capture-restart' });
    const pause = this.quickDeaths <= 1 ? 0 : Math.min(MAX_RESTART_PAUSE_MS, 1000 * 2 ** (this.quickDeaths - 2));
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.restarting = this.launch('capture-restart').then(
        (held) => {
          this.restartCount++;
          this.options.alarms.raise('CAPTURE_THREAD_RESTARTED', 'the capture thread stopped and was started again: calls in progress go on after a gap', { callsHeld: held, restarts: this.restartCount });
          this.emit('restarted', { restarts: this.restartCount, callsHeld: held });
        },
        (err: unknown) => {
          this.options.alarms.raise('CAPTURE_THREAD_FAILED', 'the capture thread could not be started again: calls are not recorded', { error: err instanceof AppError ? err.code : 'unknown' });
        },
      );
    }, pause);
  }

  private keepCounters(): void {
    const last = this.latest;
    if (last === null) return;
    this.earlier = {
      bridge: sum(this.earlier.bridge, last.bridge),
      linkErrors: sum(this.earlier.linkErrors, last.linkErrors as LinkErrorCounters & Record<string, number>),
      tracker: sum(this.earlier.tracker, last.tracker as CallTrackerStats & Record<string, number>),
      gapTicks: this.earlier.gapTicks + last.gapTicksFilled,
    };
  }

  private onEvent(message: CaptureEvent): void {
    switch (message.type) {
      case 'ready':
        this.latest = message.stats;
        this.onStartFailed = null;
        this.onReady?.(message.adopted);
        this.onReady = null;
        return;
      case 'history-add':
        this.write(message.id, () => this.options.history.add(message.record));
        return;
      case 'history-update':
        this.write(message.id, async () => void (await this.options.history.update(message.callId, message.startedAt, message.patch)));
        return;
      case 'call':
        // The calls in progress follow each change at once, not only the next second's stats.
        if (this.latest !== null) this.latest = { ...this.latest, activeCalls: withChange(this.latest.activeCalls, message.change), tracker: message.tracker };
        this.emit('call', message.change);
        return;
      case 'link-up':
        if (this.latest !== null) this.latest = { ...this.latest, linkUp: true, bridgeInfo: message.info };
        this.emit('linkUp', message.info);
        return;
      case 'link-down':
        if (this.latest !== null) this.latest = { ...this.latest, linkUp: false };
        this.emit('linkDown', { reason: message.reason });
        return;
      case 'bridge-restarted':
        this.emit('bridgeRestarted', { previousBootId: message.previousBootId, bootId: message.bootId });
        return;
      case 'stats':
        this.latest = message.stats;
        this.watchDelay(message.stats.eventLoopDelay);
        this.emit('stats', message.stats);
        return;
      case 'alarm':
        this.options.alarms.raise(message.code, message.message, message.fields, message.options);
        return;
      case 'alarm-clear':
        this.options.alarms.clear(message.code, message.key);
        return;
      case 'log':
        this.options.logger.child(message.component)[message.level](message.msg, message.fields as LogFields);
        return;
      case 'stopped':
        this.onStopped?.();
        return;
    }
  }

  /** A delay above CAPTURE_DELAY_ALARM_MS could have cost frames: the operator must hear of it. */
  private watchDelay(delay: EventLoopDelay): void {
    if (delay.maxMs <= CAPTURE_DELAY_ALARM_MS) return;
    const now = this.options.now();
    this.options.logger.warn('capture thread event loop held up', { maxMs: delay.maxMs, p99Ms: delay.p99Ms });
    if (now - this.lastDelayAlarmAt < CAPTURE_DELAY_ALARM_INTERVAL_MS) return;
    this.lastDelayAlarmAt = now;
    this.options.alarms.raise('CAPTURE_DELAY', 'the capture thread was held up: audio may have been lost', { maxMs: delay.maxMs, thresholdMs: CAPTURE_DELAY_ALARM_MS });
  }

  /** Writes a contact record for the thread and answers it: written, or the error's code. */
  private write(id: number, step: () => Promise<void>): void {
    const port = this.port;
    const done = step().then(
      () => port?.postMessage({ type: 'history-done', id, error: null }),
      (err: unknown) => port?.postMessage({ type: 'history-done', id, error: err instanceof AppError ? err.code : 'HISTORY_WRITE_FAILED' }),
    );
    this.writes.add(done);
    void done.finally(() => this.writes.delete(done));
  }
}

function sum(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [key, value] of Object.entries(b)) if (typeof value === 'number') out[key] = (out[key] ?? 0) + value;
  return out;
}

/** The calls in progress after one change: a call begun is added (in channel order), an ended one dropped, an updated one replaced. */
function withChange(calls: readonly ActiveCallInfo[], change: CallChange): readonly ActiveCallInfo[] {
  const others = calls.filter((call) => call.callId !== change.call.callId && (change.kind !== 'started' || call.channel !== change.call.channel));
  return change.kind === 'ended' ? others : [...others, change.call].sort((a, b) => a.channel - b.channel);
}
