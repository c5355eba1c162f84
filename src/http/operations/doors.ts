/**
 * The door integration's API (docs/door-access.md): the controllers' webhook, the server room
 * (presence and timeline), the door settings, card enrolment and the door sources' health.
 * Request and answer schemas are here with the operations, spread into OPERATIONS in one line.
 */
import { z } from 'zod';
import { ROLES } from '../../access/policy.js';
import type { ApiOperation } from '../openapi.js';
import { DOOR_EVENT_KINDS } from '../../doors/door-event-input.js';
import { doorSettingsSchema } from '../../doors/door-settings.js';

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);
const counters = z.record(z.string(), z.number());

// Requests.
export const doorTimelineQuery = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    door: z.string().min(1).max(100).optional(),
  })
  .strict();

export const doorCardBody = z
  .object({
    /** A card number typed in (kept only as its pseudonym). */
    card: z.string().regex(/^[0-9A-Za-z:-]{1,64}$/).optional(),
    /** Or: the next card read at this door, from any source, within two minutes. */
    nextAtDoor: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .refine((body) => (body.card === undefined) !== (body.nextAtDoor === undefined), 'give either card or nextAtDoor');

// Answers.
export const webhookAccepted = z.object({ accepted: count });

const person = z.object({
  userId: z.uuid().nullable(),
  displayName: z.string().nullable(),
  visitorTag: z.string().nullable(),
  state: z.enum(['in', 'unknown']),
  since: isoTime,
  door: z.string(),
});
export const doorPresence = z.object({ watching: z.boolean(), people: z.array(person) });

const doorEvent = z.object({
  seq: count,
  sourceId: z.string(),
  eventId: z.string(),
  kind: z.enum(DOOR_EVENT_KINDS),
  door: z.string(),
  direction: z.enum(['in', 'out']).nullable(),
  card: z.string().nullable(),
  occurredAt: isoTime,
  receivedAt: isoTime,
  userId: z.uuid().nullable(),
  displayName: z.string().nullable(),
});
const boxEvent = z.object({ time: isoTime, action: z.string(), outcome: z.string(), presentUsers: z.array(z.string()), presentVisitors: count });
export const doorTimeline = z.object({ doorEvents: z.array(doorEvent), boxEvents: z.array(boxEvent) });

const visibleSource = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['webhook', 'pull', 'osdp']),
  doors: z.array(z.string()),
  secretSet: z.boolean(),
  enabled: z.boolean(),
  pull: z.object({ url: z.string(), apiKeyHeader: z.string(), apiKeyPrefix: z.string(), fingerprint256: z.string().optional(), ca: z.string().optional(), intervalSeconds: z.number() }).optional(),
  osdp: z.object({ devicePath: z.string(), address: z.number(), scbk: z.string().optional() }).optional(),
});
export const doorSettingsAnswer = z.object({
  settings: z.object({
    sources: z.array(visibleSource),
    serverRoomDoors: z.array(z.string()),
    maxStayHours: z.number(),
    listeningRoom: z.object({ name: z.string(), doors: z.array(z.string()), withinMinutes: z.number() }),
    onSiteListeningRoles: z.array(z.enum(ROLES)),
    consoleAddresses: z.array(z.string()),
    silentMinutes: z.number(),
    retentionMonths: z.number(),
  }),
});

export const doorCard = z.object({ enrolled: z.boolean(), enrolledAt: isoTime.nullable(), waiting: z.object({ door: z.string(), until: isoTime }).nullable() });

export const doorHealth = z.object({
  sources: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(['webhook', 'pull', 'osdp']),
      state: z.enum(['starting', 'up', 'down', 'stopped']),
      lastHeardAt: isoTime.nullable(),
      counters,
      silent: z.boolean(),
      problem: z.string().nullable(),
    }),
  ),
  webhook: counters,
  storedEvents: count,
});

/** The settings' PUT body: the domain's own schema (secrets write-only). */
const doorSettingsBody = doorSettingsSchema;

export const DOOR_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/door-events',
    operationId: 'postDoorEvents',
    summary: 'A door controller sends events (webhook): signed with the source’s secret (Tallennin-Source and Tallennin-Signature headers), idempotent on the event id; no session, no cookie, no CSRF token',
    security: 'doorSignature',
    body: z.object({ events: z.array(z.object({ id: z.string(), kind: z.enum(DOOR_EVENT_KINDS), door: z.string(), direction: z.enum(['in', 'out']).optional(), card: z.string().optional(), occurredAt: isoTime })) }),
    success: { '200': { description: 'every event stored (or already stored)', json: webhookAccepted } },
    errors: ['DOOR_SOURCE_UNKNOWN', 'DOOR_SIGNATURE_INVALID', 'DOOR_SIGNATURE_EXPIRED', 'DOOR_REPLAYED', 'DOOR_EVENT_INVALID', 'THROTTLED', 'DOOR_LOG_UNAVAILABLE'],
  },
  { method: 'get', path: '/doors/presence', operationId: 'getServerRoomPresence', summary: 'Who is in the server room now (audited)', permission: 'doors:read', success: { '200': { description: 'the people in the room', json: doorPresence } }, errors: ['AUDIT_UNAVAILABLE'] },
  {
    method: 'get',
    path: '/doors/timeline',
    operationId: 'getServerRoomTimeline',
    summary: 'The door events and the box’s hands-on events of a period, side by side (audited)',
    permission: 'doors:read',
    query: doorTimelineQuery,
    success: { '200': { description: 'newest first', json: doorTimeline } },
    errors: ['AUDIT_UNAVAILABLE'],
  },
  { method: 'get', path: '/doors/health', operationId: 'getDoorSourcesHealth', summary: 'Each door source’s state, last contact and counters', permission: 'health:read', success: { '200': { description: 'the sources', json: doorHealth } } },
  { method: 'get', path: '/doors/settings', operationId: 'getDoorSettings', summary: 'The door sources and policies (secrets are never shown)', permission: 'config:manage', success: { '200': { description: 'the settings', json: doorSettingsAnswer } }, errors: ['AUDIT_UNAVAILABLE'] },
  { method: 'put', path: '/doors/settings', operationId: 'putDoorSettings', summary: 'Replace the door settings; a source saved without a secret keeps its secret; the sources restart', permission: 'config:manage', body: doorSettingsBody, success: { '200': { description: 'saved', json: doorSettingsAnswer } }, errors: ['AUDIT_UNAVAILABLE'] },
  { method: 'get', path: '/users/{id}/door-card', operationId: 'getDoorCard', summary: 'Whether the user has an access card enrolled', permission: 'users:manage', success: { '200': { description: 'the enrolment', json: doorCard } }, errors: ['USER_NOT_FOUND', 'AUDIT_UNAVAILABLE'] },
  {
    method: 'put',
    path: '/users/{id}/door-card',
    operationId: 'putDoorCard',
    summary: 'Enrol a typed card number, or the next card read at a door',
    permission: 'users:manage',
    body: doorCardBody,
    success: { '200': { description: 'enrolled, or waiting for the card', json: doorCard } },
    errors: ['USER_NOT_FOUND', 'AUDIT_UNAVAILABLE'],
  },
  { method: 'delete', path: '/users/{id}/door-card', operationId: 'deleteDoorCard', summary: 'Remove the user’s cards', permission: 'users:manage', success: { '204': { description: 'removed' } }, errors: ['USER_NOT_FOUND', 'AUDIT_UNAVAILABLE'] },
];
