/**
 * The answers of the HTTP API, as zod schemas: handlers send every JSON answer through `reply()`
 * (reply.ts), which types it by its schema and strips what the schema does not name, and
 * /api/v1/openapi.json describes the same schemas. So the document cannot drift from the code,
 * and a field added to a domain object does not leave the box until it is described here.
 */
import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../access/policy.js';
import { callSettingsSchema } from '../calls/call-settings.js';
import { GAP_CAUSE_CODES } from '../recording/recording-format.js';

const GAP_CAUSES = Object.keys(GAP_CAUSE_CODES) as [keyof typeof GAP_CAUSE_CODES, ...(keyof typeof GAP_CAUSE_CODES)[]];

export const timestamp = z.iso.datetime({ offset: true });
const isoTime = timestamp;
const count = z.number().int().min(0);

export const publicUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  extensions: z.array(z.string()),
  totpEnabled: z.boolean(),
  disabled: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
  passwordChangedAt: isoTime,
});

/** Shown once at the next sign-in of a user whose roles were changed by someone else. */
export const roleNotice = z.object({ changedAt: isoTime, before: z.array(z.enum(ROLES)), after: z.array(z.enum(ROLES)) });

export const signedIn = z.object({
  /** Sent back in the X-CSRF-Token header of every state change. */
  csrfToken: z.string(),
  user: publicUser,
  /** An administrator without a second factor may only enrol one (POST /me/totp). */
  totpEnrollmentRequired: z.boolean(),
  roleNotice: roleNotice.nullable(),
});

/** A change of privilege (second factor confirmed, re-authentication) goes on under a new session id and CSRF token. */
export const csrfRotated = z.object({ csrfToken: z.string() });

export const me = publicUser.extend({
  permissions: z.array(z.enum(PERMISSIONS)),
  secondFactorRequired: z.boolean(),
  secondFactor: z.boolean(),
  totpEnrollmentOnly: z.boolean(),
  /** Signed in with the password only, while the roles need the second factor: step up first. */
  stepUpRequired: z.boolean(),
  /** A new secret waits for its first code; the active factor (if any) still works. */
  totpPending: z.boolean(),
  roleNotice: roleNotice.nullable(),
  csrfToken: z.string(),
});

export const totpEnrollment = z.object({ secret: z.string(), uri: z.string().regex(/^otpauth:\/\//) });

export const setupStatus = z.object({ pending: z.boolean() });

export const oneUser = z.object({ user: publicUser });

export const userList = z.object({ users: z.array(publicUser) });

export const contactRecord = z.object({
  callId: z.uuid(),
  startedAt: isoTime,
  endedAt: isoTime.nullable(),
  callerNumber: z.string().nullable(),
  serviceNumber: z.string().nullable(),
  agentExtension: z.string(),
  agentName: z.string().nullable(),
  agentPhone: z.string().nullable(),
  channel: count,
  recordingId: z.uuid().nullable(),
  recordingState: z.enum(['not-recorded', 'recording', 'completed', 'interrupted', 'failed', 'no-audio']),
  endReason: z.enum(['completed', 'abnormal', 'link-lost', 'bridge-restarted', 'end-signal-lost', 'service-stopped']).nullable(),
  resumed: z.boolean(),
});

const page = { total: count, page: z.number().int().min(1), pageSize: z.number().int().min(1) };

export const callPage = z.object({ ...page, items: z.array(contactRecord) });

export const oneCall = z.object({ call: contactRecord });

export const recordingView = z.object({
  recording: z.object({
    recordingId: z.uuid(),
    seal: z.literal('verified'),
    sealedAt: isoTime,
    outcome: z.enum(['completed', 'interrupted']),
    durationMs: count,
    gaps: z.array(z.object({ fromMs: count, toMs: count, cause: z.enum(GAP_CAUSES) })),
    peaks: z.array(z.number()),
  }),
});

export const auditRecord = z.object({
  seq: z.number().int().min(1),
  time: isoTime,
  action: z.string(),
  outcome: z.enum(['success', 'denied', 'failed']),
  actorId: z.string().nullable(),
  actorName: z.string().optional(),
  target: z.object({ type: z.enum(['call', 'recording', 'user', 'config', 'audit', 'case']), id: z.string() }).optional(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  clientAddress: z.string().optional(),
  prevHash: z.string(),
  hash: z.string(),
});

export const auditPage = z.object({ ...page, items: z.array(auditRecord) });

export const auditVerification = z.object({
  verification: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), entries: count, lastSeq: count }),
    z.object({ ok: z.literal(false), entries: count, firstBadSeq: count.nullable(), problem: z.string() }),
  ]),
});

export const settings = z.object({ settings: callSettingsSchema });

const counters = z.record(z.string(), z.number());

export const healthReport = z.object({
  time: isoTime,
  uptimeSeconds: count,
  bridge: z.object({
    linkUp: z.boolean(),
    info: z.object({ bootId: z.number(), protocolVersion: z.number(), channelCount: z.number(), firmwareVersion: z.string() }).nullable(),
    /** The named errors of the link (capture/link-errors.ts). */
    linkErrors: counters,
    linkErrorAlarmPerMinute: z.number(),
    counters,
  }),
  calls: z.object({ active: z.array(z.object({ channel: count, callId: z.uuid(), startedAt: isoTime, recording: z.boolean() })), counters }),
  alarms: z.object({
    total: count,
    recent: z.array(z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.union([z.string(), z.number()])), raisedAt: isoTime })),
  }),
  system: z.object({
    disk: z.object({ mount: z.string(), sizeBytes: count, usedBytes: count, usePercent: z.number().nullable() }).nullable(),
    memory: z.object({ totalBytes: count, availableBytes: count }).nullable(),
    load: z.object({ currentPercent: z.number().nullable() }).nullable(),
    temperatureC: z.number().nullable(),
    processRssBytes: count,
  }),
});

/** The OpenAPI document itself: described by its own specification, so only its frame here. */
export const openApiDescription = z.object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }).loose(), paths: z.record(z.string(), z.unknown()) }).loose();

/** Every refusal: `{ error: { code, message, problems?, reason? } }`, with the codes an operation may answer. */
export function errorBody(codes: readonly [string, ...string[]]): z.ZodType {
  return z.object({ error: z.object({ code: z.enum(codes), message: z.string(), problems: z.array(z.string()).optional(), reason: z.string().optional() }) });
}
