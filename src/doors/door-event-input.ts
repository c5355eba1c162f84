/**
 * A door event as a controller sends it (the webhook's body, the pull feed's page): validated
 * here, the one schema both adapters read, and turned into the box's DoorEvent.
 */
import { z } from 'zod';
import type { DoorEvent } from './door-event-source.js';

export const DOOR_EVENT_KINDS = ['access-granted', 'access-denied', 'door-forced', 'door-held-open', 'door-closed', 'reader-tamper', 'reader-power', 'keypad', 'source-offline', 'source-online', 'card-read'] as const;

/** At most this many events in one request or one page. */
export const MAX_EVENTS_PER_BATCH = 500;

export const incomingDoorEvent = z
  .object({
    id: z.string().min(1).max(100),
    kind: z.enum(DOOR_EVENT_KINDS),
    door: z.string().trim().min(1).max(100),
    direction: z.enum(['in', 'out']).optional(),
    card: z.string().regex(/^[0-9A-Za-z:-]{1,64}$/, 'a card number is 1-64 letters, digits, colons or dashes').optional(),
    occurredAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const webhookBody = z
  .object({
    events: z.array(incomingDoorEvent).max(MAX_EVENTS_PER_BATCH),
  })
  .strict();

/** A page of the pull feed: its events and the cursor to ask after next. */
export const feedPage = z.object({
  events: z.array(incomingDoorEvent).max(MAX_EVENTS_PER_BATCH),
  cursor: z.string().min(1).max(200),
});

export type IncomingDoorEvent = z.infer<typeof incomingDoorEvent>;

export function doorEventOf(sourceId: string, event: IncomingDoorEvent): DoorEvent {
  return {
    sourceId,
    eventId: event.id,
    kind: event.kind,
    door: event.door,
    ...(event.direction === undefined ? {} : { direction: event.direction }),
    ...(event.card === undefined ? {} : { card: event.card }),
    occurredAt: new Date(event.occurredAt).toISOString(),
  };
}

/** Zod's issues as `path: message`, the way every validation error of the box reads. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
}
