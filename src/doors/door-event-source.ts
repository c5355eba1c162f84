/**
 * The one shape every door-access adapter (webhook push, events-feed pull, OSDP reader) gives the
 * box: events in the source's own terms, normalised, handed to a sink that stores them as
 * evidence. The sink resolves only after the event is stored durably, so an adapter that keeps a
 * cursor (the pull feed) advances it after the sink, never before: a crash repeats at most an
 * event that the store then recognises by (sourceId, eventId).
 */

export type DoorSourceKind = 'webhook' | 'pull' | 'osdp';

export type DoorEventKind =
  | 'access-granted'
  | 'access-denied'
  /** A card read at a plain reader (OSDP): whether it opens anything is the store's to decide. */
  | 'card-read'
  | 'door-forced'
  | 'door-held-open'
  | 'door-closed'
  | 'reader-tamper'
  | 'reader-power'
  | 'keypad'
  | 'source-offline'
  | 'source-online';

export interface DoorEvent {
  readonly sourceId: string;
  /** The source's own id of the event: the store is idempotent on (sourceId, eventId). */
  readonly eventId: string;
  readonly kind: DoorEventKind;
  /** The door (or reader) the event is about, as the source names it. */
  readonly door: string;
  /** Entry or exit, where the reader or controller tells. */
  readonly direction?: 'in' | 'out';
  /** The card number as read. It never leaves the doors/ folder in clear: the store keeps a keyed pseudonym. */
  readonly card?: string;
  /** When the source says the event happened (ISO 8601, UTC). */
  readonly occurredAt: string;
}

export interface DoorSourceHealth {
  readonly id: string;
  readonly kind: DoorSourceKind;
  readonly state: 'starting' | 'up' | 'down' | 'stopped';
  /** The last time the source was heard from (an event, a poll answer or a heartbeat). */
  readonly lastHeardAt: string | null;
  /** The adapter's own counters (events, rejected inputs, CRC errors, retries...). */
  readonly counters: Readonly<Record<string, number>>;
}

export type DoorEventSink = (event: DoorEvent) => Promise<void>;

export interface DoorEventSource {
  readonly id: string;
  readonly kind: DoorSourceKind;
  /** Starts taking events; each goes to the sink, which resolves once it is stored. */
  start(sink: DoorEventSink): Promise<void>;
  stop(): Promise<void>;
  health(): DoorSourceHealth;
}
