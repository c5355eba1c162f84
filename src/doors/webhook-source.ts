/**
 * The push adapter: a door controller POSTs signed batches of events to /api/v1/door-events
 * (http/routes/door-webhook-routes.ts hands the raw request here). Per source: the signature
 * (webhook-signature.ts), a replay of the very same signed request refused, the body validated,
 * every event handed to the sink (which stores it, idempotent on the event id). Each refusal
 * is counted under its own name for the System view.
 */
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { DoorEventSink, DoorEventSource, DoorSourceHealth } from './door-event-source.js';
import { problemsOf, doorEventOf, webhookBody } from './door-event-input.js';
import { SIGNATURE_WINDOW_MS, verifySignature } from './webhook-signature.js';
import type { DoorSourceConfig } from './door-settings.js';

/** Signed requests remembered for the replay check: a window's worth, bounded. */
const MAX_REMEMBERED_SIGNATURES = 100_000;

export class WebhookSource implements DoorEventSource {
  readonly kind = 'webhook' as const;
  private sink: DoorEventSink | undefined;
  private lastHeardMs: number | null = null;
  private readonly seen = new Map<string, number>();
  private readonly counters = { requests: 0, events: 0, rejectedSignature: 0, rejectedExpired: 0, rejectedReplay: 0, rejectedInvalid: 0, rejectedDoor: 0 };

  constructor(private readonly config: DoorSourceConfig, private readonly clock: Clock) {}

  get id(): string {
    return this.config.id;
  }

  async start(sink: DoorEventSink): Promise<void> {
    this.sink = sink;
  }

  async stop(): Promise<void> {
    this.sink = undefined;
  }

  health(): DoorSourceHealth {
    return {
      id: this.id,
      kind: this.kind,
      state: this.sink === undefined ? 'stopped' : 'up',
      lastHeardAt: this.lastHeardMs === null ? null : new Date(this.lastHeardMs).toISOString(),
      counters: { ...this.counters },
    };
  }

  /** Takes one signed request; resolves with the number of events handed on once all are stored. */
  async receive(signature: string | undefined, rawBody: Buffer): Promise<number> {
    const sink = this.sink;
    if (sink === undefined) throw new AppError('DOOR_SOURCE_UNKNOWN', 'no such door source is running');
    this.counters.requests++;
    const now = this.clock.now();
    let mac: string;
    try {
      mac = verifySignature(signature, this.config.secret ?? '', rawBody, now).mac;
    } catch (err) {
      if (err instanceof AppError && err.code === 'DOOR_SIGNATURE_EXPIRED') this.counters.rejectedExpired++;
      else this.counters.rejectedSignature++;
      throw err;
    }
    this.forgetOld(now);
    if (this.seen.has(mac)) {
      this.counters.rejectedReplay++;
      throw new AppError('DOOR_REPLAYED', 'this signed request was received already');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody.toString('utf8'));
    } catch {
      this.counters.rejectedInvalid++;
      throw new AppError('DOOR_EVENT_INVALID', 'the body is not valid JSON');
    }
    const body = webhookBody.safeParse(parsed);
    if (!body.success) {
      this.counters.rejectedInvalid++;
      const problems = problemsOf(body.error);
      throw new AppError('DOOR_EVENT_INVALID', `the events are not valid: ${problems.join('; ')}`, { details: { problems } });
    }
    const covered = new Set(this.config.doors);
    const foreign = body.data.events.filter((event) => covered.size > 0 && !covered.has(event.door));
    if (foreign.length > 0) {
      this.counters.rejectedDoor++;
      throw new AppError('DOOR_EVENT_INVALID', 'an event is about a door this source does not cover', { details: { problems: foreign.slice(0, 20).map((event) => `events.${event.id}.door: not covered by this source`) } });
    }
    // Remembered once it is known good: a bad request does not lock its signature out.
    this.seen.set(mac, now);
    this.lastHeardMs = now;
    try {
      // Handed on together: the log writes them in this order at once, and one group commit
      // (one fdatasync) covers the whole batch instead of one each.
      await Promise.all(body.data.events.map((event) => sink(doorEventOf(this.id, event))));
    } catch (err) {
      // Not stored: the controller may send the same request again.
      this.seen.delete(mac);
      throw err;
    }
    this.counters.events += body.data.events.length;
    return body.data.events.length;
  }

  private forgetOld(now: number): void {
    for (const [mac, at] of this.seen) {
      if (now - at <= SIGNATURE_WINDOW_MS * 2 && this.seen.size <= MAX_REMEMBERED_SIGNATURES) break;
      this.seen.delete(mac);
    }
  }
}
