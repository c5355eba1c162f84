/**
 * The door events as evidence: a log of their own with the audit trail's chain and signatures
 * (hash-chained JSON lines, Ed25519-signed checkpoints and head, group commit), in
 * <dataDir>/door-events/, signed with the key hierarchy's door-events-signing key.
 *
 * Why a log of its own rather than entries of the audit trail: the door events have their own
 * retention (default 12 months, the audit trail's is 2 years), and a door controller posting a
 * thousand events a second must not share the fdatasync and signature that every playback's
 * audit entry waits for. The code that chains, signs and verifies is the audit trail's own.
 *
 * Each entry keeps the source's time (occurredAt) and the box's receive time (the entry's time),
 * and the card only as its keyed pseudonym. The log is idempotent on (source, event id): the
 * keys of every event kept are loaded at start, so a repeat after a crash or a retried request
 * stores nothing.
 */
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { AuditTrail, type AuditVerifyResult } from '../access/audit-trail.js';
import type { AuditRecord } from '../access/audit-entry.js';
import type { DoorEvent, DoorEventKind } from './door-event-source.js';
import type { CardPseudonyms } from './card-pseudonym.js';

export const DOOR_EVENTS_DIRECTORY = 'door-events';

/** A door event as kept: the card as its pseudonym, both times. */
export interface StoredDoorEvent {
  readonly seq: number;
  readonly sourceId: string;
  readonly eventId: string;
  readonly kind: DoorEventKind;
  readonly door: string;
  readonly direction: 'in' | 'out' | null;
  /** The keyed pseudonym of the card (card-pseudonym.ts), never the number. */
  readonly card: string | null;
  readonly occurredAt: string;
  readonly receivedAt: string;
}

export interface DoorEventQuery {
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly door?: string;
  readonly limit?: number;
}

export interface DoorEventLogOptions {
  readonly dataDir: string;
  readonly signingKey: { privateKey: KeyObject; publicKey: KeyObject; keyId: string };
  readonly cards: CardPseudonyms;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onFault?: (code: string) => void;
}

const ACTION_PREFIX = 'door.';
/**
 * Door events are committed (fdatasync and a signed head) at most this often: a controller
 * posting a thousand events a second then costs the disk at most forty commits a second, not one per
 * batch, and leaves the audit trail's commits (which every playback waits for) their share of
 * the disk. Nothing is answered or acknowledged before its commit.
 */
const COMMIT_INTERVAL_MS = 25;

export class DoorEventLog {
  private readonly keys = new Set<string>();
  private nextCommit: Promise<void> | undefined;
  /** Events written and waiting for their commit, by key. */
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly listeners: Array<(event: StoredDoorEvent) => void> = [];

  private constructor(
    private readonly trail: AuditTrail,
    private readonly cards: CardPseudonyms,
  ) {}

  static async open(options: DoorEventLogOptions): Promise<{ log: DoorEventLog; events: StoredDoorEvent[] }> {
    const trail = await AuditTrail.open({
      dataDir: options.dataDir,
      directory: DOOR_EVENTS_DIRECTORY,
      signingKey: options.signingKey,
      clock: options.clock,
      logger: options.logger,
      ...(options.onFault === undefined ? {} : { onFault: options.onFault }),
    });
    const log = new DoorEventLog(trail, options.cards);
    const events = (await trail.records()).map(toStored).filter((event): event is StoredDoorEvent => event !== undefined);
    for (const event of events) log.keys.add(keyOf(event.sourceId, event.eventId));
    return { log, events };
  }

  /** The events kept, read without the writer lock (an offline report: `tallennin register`). */
  static async readStored(options: Omit<DoorEventLogOptions, 'cards' | 'onFault'>): Promise<StoredDoorEvent[]> {
    const records = await AuditTrail.readDirectory({ dataDir: options.dataDir, directory: DOOR_EVENTS_DIRECTORY, signingKey: options.signingKey, clock: options.clock, logger: options.logger });
    return records.map(toStored).filter((event): event is StoredDoorEvent => event !== undefined);
  }

  /** Told of every event once it is stored (presence, alarms); a listener's error is its own. */
  onStored(listener: (event: StoredDoorEvent) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Stores an event (resolves once it is fdatasync'd and under the signed head). A repeat of an
   * event already kept stores nothing and resolves `duplicate`.
   */
  async append(event: DoorEvent): Promise<'stored' | 'duplicate'> {
    const key = keyOf(event.sourceId, event.eventId);
    if (this.keys.has(key)) {
      // A copy of an event still being committed is acknowledged only once the first is.
      await this.pending.get(key);
      return 'duplicate';
    }
    // Taken before the write: a second copy arriving meanwhile is a duplicate, not a second entry.
    this.keys.add(key);
    const storing = this.store(event);
    this.pending.set(key, storing.catch(() => undefined));
    try {
      const stored = await storing;
      for (const listener of this.listeners) {
        try {
          listener(stored);
        } catch {
          // Presence and alarms are derived: the event is stored whatever they do.
        }
      }
      return 'stored';
    } catch (err) {
      this.keys.delete(key);
      throw new AppError('DOOR_LOG_UNAVAILABLE', 'the door event log cannot be written: the event is not stored', { cause: err });
    } finally {
      this.pending.delete(key);
    }
  }

  private async store(event: DoorEvent): Promise<StoredDoorEvent> {
    const details = {
      source: event.sourceId,
      eventId: event.eventId,
      door: event.door,
      direction: event.direction ?? null,
      card: event.card === undefined ? null : this.cards.of(event.card),
      occurredAt: event.occurredAt,
    };
    const record = await this.trail.append({ action: `${ACTION_PREFIX}${event.kind}`, outcome: 'success', actorId: null, details }, 'written');
    await this.committed();
    if (this.trail.committedSeq < record.seq) throw new Error('the door event was written but not committed');
    return toStored(record)!;
  }

  /** The next shared commit: everything written before it is fdatasync'd and under the signed head. */
  private committed(): Promise<void> {
    this.nextCommit ??= new Promise<void>((resolve) => setTimeout(resolve, COMMIT_INTERVAL_MS)).then(() => {
      this.nextCommit = undefined;
      return this.trail.idle();
    });
    return this.nextCommit;
  }

  /** Newest first. */
  async search(query: DoorEventQuery): Promise<StoredDoorEvent[]> {
    const { records } = await this.trail.search({
      action: ACTION_PREFIX,
      ...(query.fromMs === undefined ? {} : { fromMs: query.fromMs }),
      ...(query.toMs === undefined ? {} : { toMs: query.toMs }),
      limit: 1000,
    });
    const events = records.map(toStored).filter((event): event is StoredDoorEvent => event !== undefined && (query.door === undefined || event.door === query.door));
    return events.slice(0, query.limit ?? 200);
  }

  get count(): number {
    return this.keys.size;
  }

  verify(): Promise<AuditVerifyResult> {
    return this.trail.verify();
  }

  /** Drops whole months past the retention (the daily purge). */
  prune(months: number): Promise<{ removedEntries: number }> {
    return this.trail.prune(Math.ceil(months * 30.5));
  }

  close(): Promise<void> {
    return this.trail.close();
  }
}

function keyOf(sourceId: string, eventId: string): string {
  return `${sourceId}\u0000${eventId}`;
}

function toStored(record: AuditRecord): StoredDoorEvent | undefined {
  if (!record.action.startsWith(ACTION_PREFIX) || record.details === undefined) return undefined;
  const d = record.details;
  const direction = d.direction === 'in' || d.direction === 'out' ? d.direction : null;
  return {
    seq: record.seq,
    sourceId: String(d.source),
    eventId: String(d.eventId),
    kind: record.action.slice(ACTION_PREFIX.length) as DoorEventKind,
    door: String(d.door),
    direction,
    card: typeof d.card === 'string' ? d.card : null,
    occurredAt: String(d.occurredAt),
    receivedAt: record.time,
  };
}
