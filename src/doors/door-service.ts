/**
 * The door integration, wired: the settings, the event log, the running sources (started and
 * stopped with the service, restarted when a maintainer changes the settings), presence, the
 * door alarms, card enrolment at a reader, and the webhook's front door (unknown source, rate
 * limit). Every source's events go through one sink: stored first, then presence and alarms.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AppError } from '../errors.js';
import type { DoorEventSink, DoorEventSource, DoorSourceHealth } from './door-event-source.js';
import type { DoorEventLog, StoredDoorEvent } from './door-event-log.js';
import type { DoorSettings, DoorSourceConfig } from './door-settings.js';
import { Presence, type PresentPerson } from './presence.js';
import { DOOR_SOURCE_FACTORIES, type DoorSourceFactory } from './door-source-registry.js';
import { TokenBucket } from './token-bucket.js';
import type { WebhookSource } from './webhook-source.js';
import type { CardPseudonyms } from './card-pseudonym.js';

/** How long "next card at reader X" waits for a card. */
export const ENROLMENT_WAIT_MS = 2 * 60_000;
export const SILENCE_CHECK_INTERVAL_MS = 60_000;

const ALARM_OF_KIND: Partial<Record<StoredDoorEvent['kind'], { code: string; message: string }>> = {
  'door-forced': { code: 'DOOR_FORCED', message: 'a door was forced open' },
  'door-held-open': { code: 'DOOR_HELD_OPEN', message: 'a door was held open' },
  'reader-tamper': { code: 'READER_TAMPER', message: 'a card reader reports tampering' },
};

export interface DoorSourceStatus extends DoorSourceHealth {
  readonly name: string;
  /** No event or heartbeat for the configured minutes (DOOR_SOURCE_SILENT). */
  readonly silent: boolean;
  /** Why the source is not running, when it is not (a kind without an adapter, a start that failed). */
  readonly problem: string | null;
}

export interface DoorServiceOptions {
  readonly settings: DoorSettings;
  readonly log: DoorEventLog;
  /** The events kept, to rebuild presence at start. */
  readonly history: readonly StoredDoorEvent[];
  readonly cards: CardPseudonyms;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly alarms: { raise(code: string, message: string, fields?: Record<string, string | number>): void };
  /** The webhook's rate limit per client address, in events (a request counts at least one). */
  readonly webhookRate: { readonly burst: number; readonly perSecond: number };
  /** Tests replace the adapters' factories. */
  readonly factories?: Partial<Record<DoorSourceConfig['kind'], DoorSourceFactory>>;
}

interface Running {
  readonly config: DoorSourceConfig;
  readonly source: DoorEventSource | undefined;
  problem: string | null;
  stored: number;
  duplicates: number;
  lastEventMs: number | null;
  silentRaised: boolean;
}

export class DoorService {
  readonly presence = new Presence();
  private running = new Map<string, Running>();
  private startedAtMs: number;
  private silenceTimer: NodeJS.Timeout | undefined;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly webhookCounters = { unknownSource: 0, throttled: 0, rejectedBody: 0 };
  private armed: { userId: string; door: string; untilMs: number } | undefined;
  private readonly enrolledListeners: Array<(userId: string, card: string) => void> = [];
  private restarting: Promise<void> = Promise.resolve();

  constructor(private readonly options: DoorServiceOptions) {
    this.startedAtMs = options.clock.now();
    for (const event of options.history) this.presence.apply(event);
    options.log.onStored((event) => this.onStored(event));
    options.settings.onChange(() => this.restart());
  }

  get settings(): DoorSettings {
    return this.options.settings;
  }

  get log(): DoorEventLog {
    return this.options.log;
  }

  async start(): Promise<void> {
    this.startedAtMs = this.options.clock.now();
    const sink: DoorEventSink = (event) => this.store(event);
    for (const config of this.options.settings.current.sources.filter((source) => source.enabled)) {
      const factory = (this.options.factories ?? DOOR_SOURCE_FACTORIES)[config.kind] ?? DOOR_SOURCE_FACTORIES[config.kind];
      const entry: Running = { config, source: undefined, problem: null, stored: 0, duplicates: 0, lastEventMs: null, silentRaised: false };
      if (factory === undefined) {
        entry.problem = `no adapter for the kind ${config.kind} in this version`;
      } else {
        try {
          // A source its adapter refuses (settings it cannot take) is down with the reason, never the service.
          const source = factory(config, { dataDir: this.options.dataDir, clock: this.options.clock, logger: this.options.logger.child(`door-source:${config.id}`) });
          Object.assign(entry, { source });
          await source.start(sink);
        } catch (err) {
          entry.problem = `the source did not start (${err instanceof AppError ? err.code : 'error'})`;
        }
      }
      this.running.set(config.id, entry);
    }
    this.silenceTimer ??= setInterval(() => this.checkSilent(), SILENCE_CHECK_INTERVAL_MS);
    this.silenceTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.silenceTimer !== undefined) clearInterval(this.silenceTimer);
    this.silenceTimer = undefined;
    const running = [...this.running.values()];
    this.running = new Map();
    for (const entry of running) await entry.source?.stop().catch(() => undefined);
  }

  /** A maintainer changed the sources: every source restarts with its new settings. */
  private restart(): Promise<void> {
    this.restarting = this.restarting.then(async () => {
      await this.stop();
      await this.start();
    });
    return this.restarting;
  }

  /** The sink every source hands its events to: resolves once the event is stored. */
  private async store(event: Parameters<DoorEventSink>[0]): Promise<void> {
    const outcome = await this.options.log.append(event);
    const entry = this.running.get(event.sourceId);
    if (entry === undefined) return;
    entry.lastEventMs = this.options.clock.now();
    entry.silentRaised = false;
    if (outcome === 'stored') entry.stored++;
    else entry.duplicates++;
  }

  private onStored(event: StoredDoorEvent): void {
    this.presence.apply(event);
    const alarm = ALARM_OF_KIND[event.kind];
    if (alarm !== undefined) this.options.alarms.raise(alarm.code, alarm.message, { source: event.sourceId, door: event.door });
    const armed = this.armed;
    if (armed !== undefined && event.card !== null && (event.kind === 'access-granted' || event.kind === 'access-denied') && event.door === armed.door && this.options.clock.now() <= armed.untilMs) {
      this.armed = undefined;
      void this.options.settings.enrol(armed.userId, event.card, new Date(this.options.clock.now()).toISOString()).then(() => {
        for (const listener of this.enrolledListeners) listener(armed.userId, event.card!);
      }, (err: unknown) => this.options.logger.error('a card read at a reader could not be enrolled', { error: err instanceof AppError ? err.code : 'unknown' }));
    }
  }

  /**
   * The webhook's front door: the rate limit of the client address, then the source by its id,
   * then the source's own checks (signature, replay, body). Each refusal has its code and counter.
   */
  async receiveWebhook(input: { sourceId: string | undefined; signature: string | undefined; rawBody: Buffer; address: string }): Promise<number> {
    const bucket = this.bucketOf(input.address);
    const taken = bucket.take(Math.max(1, Math.ceil(input.rawBody.length / 200)));
    if (!taken.ok) {
      this.webhookCounters.throttled++;
      throw new AppError('THROTTLED', 'too many door events from this address: slow down', { details: { retryAfterMs: taken.retryAfterMs } });
    }
    const entry = input.sourceId === undefined ? undefined : this.running.get(input.sourceId);
    if (entry === undefined || entry.config.kind !== 'webhook' || entry.source === undefined) {
      this.webhookCounters.unknownSource++;
      throw new AppError('DOOR_SOURCE_UNKNOWN', 'no webhook door source has this id (Tallennin-Source header)');
    }
    return (entry.source as WebhookSource).receive(input.signature, input.rawBody);
  }

  /** A refusal before the body reached a source (too large, wrong media type): counted too. */
  countRejectedBody(): void {
    this.webhookCounters.rejectedBody++;
  }

  private bucketOf(address: string): TokenBucket {
    let bucket = this.buckets.get(address);
    if (bucket === undefined) {
      if (this.buckets.size > 10_000) this.buckets.clear();
      bucket = new TokenBucket(this.options.clock, this.options.webhookRate.burst, this.options.webhookRate.perSecond);
      this.buckets.set(address, bucket);
    }
    return bucket;
  }

  /** Raises DOOR_SOURCE_SILENT once for each source not heard from for the configured minutes. */
  checkSilent(): void {
    const limitMs = this.options.settings.current.silentMinutes * 60_000;
    const now = this.options.clock.now();
    for (const entry of this.running.values()) {
      const heard = this.lastHeardMs(entry) ?? this.startedAtMs;
      if (now - heard < limitMs) continue;
      if (entry.silentRaised) continue;
      entry.silentRaised = true;
      this.options.alarms.raise('DOOR_SOURCE_SILENT', 'a door source has sent no event or heartbeat', { source: entry.config.id, minutes: Math.floor((now - heard) / 60_000) });
    }
  }

  private lastHeardMs(entry: Running): number | null {
    const sourceHeard = entry.source?.health().lastHeardAt;
    const fromSource = sourceHeard === null || sourceHeard === undefined ? null : Date.parse(sourceHeard);
    if (fromSource === null) return entry.lastEventMs;
    return entry.lastEventMs === null ? fromSource : Math.max(fromSource, entry.lastEventMs);
  }

  /** Each configured source's state and counters, for the System view. */
  health(): { sources: DoorSourceStatus[]; webhook: Record<string, number>; storedEvents: number } {
    const limitMs = this.options.settings.current.silentMinutes * 60_000;
    const now = this.options.clock.now();
    const sources = [...this.running.values()].map((entry): DoorSourceStatus => {
      const health = entry.source?.health();
      const heard = this.lastHeardMs(entry);
      return {
        id: entry.config.id,
        name: entry.config.name,
        kind: entry.config.kind,
        state: entry.problem !== null ? 'down' : (health?.state ?? 'down'),
        lastHeardAt: heard === null ? null : new Date(heard).toISOString(),
        counters: { ...health?.counters, stored: entry.stored, duplicates: entry.duplicates },
        silent: now - (heard ?? this.startedAtMs) >= limitMs,
        problem: entry.problem,
      };
    });
    return { sources, webhook: { ...this.webhookCounters }, storedEvents: this.options.log.count };
  }

  /** The server room's people now. */
  serverRoom(): PresentPerson[] {
    const settings = this.options.settings.current;
    const doors = settings.serverRoomDoors.length > 0 ? settings.serverRoomDoors : settings.sources.flatMap((source) => source.doors);
    return this.presence.inRoom(doors, this.options.clock.now(), settings.maxStayHours * 3600_000, (card) => this.options.settings.userOfCard(card));
  }

  /** Whether any source is configured: only then can the box tell who is in the room. */
  get watching(): boolean {
    return this.options.settings.current.sources.some((source) => source.enabled);
  }

  /** The listening room's people who badged in within its minutes (and not out since). */
  listeningRoom(): PresentPerson[] {
    const { listeningRoom } = this.options.settings.current;
    if (listeningRoom.doors.length === 0) return [];
    return this.presence.inRoom(listeningRoom.doors, this.options.clock.now(), listeningRoom.withinMinutes * 60_000, (card) => this.options.settings.userOfCard(card));
  }

  /** Enrols the next card read at `door` (from any source) to the user, within two minutes. */
  armEnrolment(userId: string, door: string): { untilMs: number } {
    const untilMs = this.options.clock.now() + ENROLMENT_WAIT_MS;
    this.armed = { userId, door, untilMs };
    return { untilMs };
  }

  waitingEnrolment(userId: string): { door: string; until: string } | null {
    const armed = this.armed;
    if (armed === undefined || armed.userId !== userId || this.options.clock.now() > armed.untilMs) return null;
    return { door: armed.door, until: new Date(armed.untilMs).toISOString() };
  }

  async enrolTyped(userId: string, cardNumber: string): Promise<void> {
    await this.options.settings.enrol(userId, this.options.cards.of(cardNumber), new Date(this.options.clock.now()).toISOString());
  }

  onEnrolled(listener: (userId: string, card: string) => void): void {
    this.enrolledListeners.push(listener);
  }

  /** The daily purge: door events past their retention. */
  prune(): Promise<{ removedEntries: number }> {
    return this.options.log.prune(this.options.settings.current.retentionMonths);
  }
}
