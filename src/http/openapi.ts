/**
 * /api/v1/openapi.json: OpenAPI 3.1, generated from the zod schemas that validate the requests
 * (api-schemas.ts) and shape the answers (api-responses.ts). One route is one entry of
 * OPERATIONS; the refusals every operation shares (no session, CSRF, permission, bad input)
 * follow from the entry, so only the operation's own ones are listed. The API tests hold every
 * answer they receive against this document (test/integration/support/openapi-contract.ts).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import * as requests from './api-schemas.js';
import * as answers from './api-responses.js';
import { callSettingsSchema } from '../calls/call-settings.js';
import { statusOf } from './http-errors.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { createdUser, PASSWORD_RESET_OPERATIONS } from './operations/password-reset.js';
import { DOOR_OPERATIONS } from './operations/doors.js';
import { ALARM_OPERATIONS } from './operations/alarms.js';
import { ALARM_DELIVERY_OPERATIONS } from './operations/alarm-delivery.js';
import { KEY_BACKUP_OPERATIONS } from './operations/master-key-backup.js';
import { LIVE_OPERATIONS } from './operations/live-channels.js';
import { CALL_NOTES_OPERATIONS } from './operations/call-notes.js';
import { CASE_OPERATIONS } from './operations/cases.js';
import { AUDIT_CHECKPOINT_OPERATIONS } from './operations/audit-checkpoint.js';
import { RESEARCH_OPERATIONS } from './operations/research.js';
import { SUBJECT_REPORT_OPERATIONS } from './operations/subject-report.js';
import { REGISTER_OPERATIONS } from './operations/register.js';

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface HeaderSpec {
  readonly description: string;
  readonly pattern: string;
}

interface SuccessSpec {
  readonly description: string;
  /** A JSON answer's schema; an answer without one has no body. */
  readonly json?: z.ZodType;
  /** A binary answer's media type (audio/wav). */
  readonly media?: string;
  /** Headers the answer always carries. */
  readonly headers?: Readonly<Record<string, HeaderSpec>>;
}

export interface ApiOperation {
  readonly method: HttpMethod;
  /** Under /api/v1, with `{id}` for a path parameter. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** Open without a session (sign-in, first setup, this document); otherwise the session cookie is needed. */
  readonly open?: true;
  /** The permission the policy asks for (x-permission); FORBIDDEN follows. */
  readonly permission?: string;
  /** Allowed to an administrator who still has to enrol a second factor. */
  readonly duringTotpEnrollment?: true;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly success: Readonly<Partial<Record<'200' | '201' | '204' | '206', SuccessSpec>>>;
  /** The error codes (errors.ts) of this operation beyond the shared ones. */
  readonly errors?: readonly string[];
  /** A security scheme of its own instead of the session (the door webhook's signature): no session, no CSRF. */
  readonly security?: 'doorSignature';
}

const SESSION_SET: HeaderSpec = { description: 'The new session cookie (Secure, HttpOnly, SameSite=Strict)', pattern: `^${SESSION_COOKIE}=[A-Za-z0-9_-]+;` };
const SESSION_ENDED: HeaderSpec = { description: 'Clears the session cookie', pattern: `^${SESSION_COOKIE}=;` };
const AUDITED = 'AUDIT_UNAVAILABLE';
const PASSWORD_RULES = ['PASSWORD_TOO_SHORT', 'PASSWORD_TOO_LONG', 'PASSWORD_COMMON', 'PASSWORD_CONTEXT'];
const RECORDING_ERRORS = ['CALL_NOT_FOUND', 'RECORDING_NOT_FOUND', 'RECORDING_IN_PROGRESS', 'RECORDING_KEY_MISSING', 'RECORDING_CORRUPT', AUDITED];
const WAV_HEADERS = { 'Content-Length': { description: 'Bytes in this answer', pattern: '^[0-9]+$' }, 'Accept-Ranges': { description: '`bytes` for the player, `none` for an export', pattern: '^(bytes|none)$' } };

const CORE_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', summary: 'This description of the API', open: true, success: { '200': { description: 'the OpenAPI 3.1 document', json: answers.openApiDescription } } },
  {
    method: 'post',
    path: '/session',
    operationId: 'signIn',
    summary: 'Sign in (sets the __Host- session cookie, and the __Host- device cookie that exempts this browser from a flood against the account; returns the CSRF token and a notice of a role change since the previous sign-in)',
    open: true,
    body: requests.loginBody,
    success: { '201': { description: 'signed in', json: answers.signedIn, headers: { 'Set-Cookie': { description: 'The session cookie (Secure, HttpOnly, SameSite=Strict)', pattern: `^${SESSION_COOKIE}=[A-Za-z0-9_-]+;` } } } },
    errors: ['INVALID_CREDENTIALS', 'TOTP_REQUIRED', 'TOTP_INVALID', 'THROTTLED', 'AUTH_BUSY', AUDITED],
  },
  { method: 'delete', path: '/session', operationId: 'signOut', summary: 'Sign out', duringTotpEnrollment: true, success: { '204': { description: 'signed out', headers: { 'Set-Cookie': SESSION_ENDED } } }, errors: [AUDITED] },
  {
    method: 'post',
    path: '/session/reauthenticate',
    operationId: 'reauthenticate',
    summary: 'Confirm the password (and code) again: before an export or a change of an administrator or registrar role, or to step up to the second factor; a new session cookie and CSRF token',
    duringTotpEnrollment: true,
    body: requests.reauthenticateBody,
    success: { '200': { description: 'confirmed; the session goes on under a new id', json: answers.csrfRotated, headers: { 'Set-Cookie': SESSION_SET } } },
    errors: ['REAUTH_FAILED', 'AUTH_BUSY', AUDITED],
  },
  { method: 'get', path: '/me', operationId: 'getMe', summary: 'The signed-in user, permissions, CSRF token, the second factor’s state and a notice of a role change since the previous sign-in', duringTotpEnrollment: true, success: { '200': { description: 'the user', json: answers.me } } },
  {
    method: 'post',
    path: '/me/password',
    operationId: 'changeOwnPassword',
    summary: 'Change own password (ends the account’s sessions)',
    body: requests.passwordChangeBody,
    success: { '204': { description: 'changed; signed out everywhere', headers: { 'Set-Cookie': SESSION_ENDED } } },
    errors: ['INVALID_CREDENTIALS', 'USER_NOT_FOUND', ...PASSWORD_RULES, 'THROTTLED', 'AUTH_BUSY', AUDITED],
  },
  {
    method: 'post',
    path: '/me/totp',
    operationId: 'beginTotpEnrollment',
    summary: 'Begin TOTP set-up: a pending secret and otpauth URI (an active factor stays until the new one is confirmed; replacing it needs the password and a current code)',
    duringTotpEnrollment: true,
    body: requests.totpBeginBody,
    success: { '201': { description: 'the pending secret', json: answers.totpEnrollment } },
    errors: ['REAUTH_REQUIRED', 'REAUTH_FAILED', 'AUTH_BUSY', AUDITED],
  },
  {
    method: 'post',
    path: '/me/totp/confirm',
    operationId: 'confirmTotpEnrollment',
    summary: 'Confirm the pending secret with its first code; a new session cookie and CSRF token',
    duringTotpEnrollment: true,
    body: requests.totpConfirmBody,
    success: { '200': { description: 'enabled; the session goes on under a new id', json: answers.csrfRotated, headers: { 'Set-Cookie': SESSION_SET } } },
    errors: ['TOTP_INVALID', AUDITED],
  },
  { method: 'get', path: '/setup', operationId: 'getSetupStatus', summary: 'Whether the first administrator is still to be created', open: true, success: { '200': { description: 'pending or not', json: answers.setupStatus } } },
  {
    method: 'post',
    path: '/setup',
    operationId: 'createFirstAdministrator',
    summary: 'Create the first administrator with the setup token',
    open: true,
    body: requests.setupBody,
    success: { '201': { description: 'created', json: answers.oneUser } },
    errors: ['USERNAME_INVALID', 'DISPLAY_NAME_INVALID', ...PASSWORD_RULES, 'SETUP_TOKEN_INVALID', 'SETUP_DONE', 'AUTH_BUSY', AUDITED],
  },
  { method: 'get', path: '/users', operationId: 'listUsers', summary: 'List users (audited)', permission: 'users:manage', success: { '200': { description: 'the users', json: answers.userList } }, errors: [AUDITED] },
  { method: 'post', path: '/users', operationId: 'createUser', summary: 'Create a user (administrator and registrar roles after a second-factor re-authentication); without a password, with an activation link', permission: 'users:manage', body: requests.userCreateBody, success: { '201': { description: 'created', json: createdUser } }, errors: ['USERNAME_INVALID', 'DISPLAY_NAME_INVALID', 'ROLES_INVALID', ...PASSWORD_RULES, 'USERNAME_TAKEN', 'REAUTH_REQUIRED', 'AUTH_BUSY', AUDITED] },
  { method: 'patch', path: '/users/{id}', operationId: 'updateUser', summary: 'Change a user’s name, roles, extensions or disable them (not one’s own roles; administrator and registrar roles after a second-factor re-authentication)', permission: 'users:manage', body: requests.userUpdateBody, success: { '200': { description: 'updated', json: answers.oneUser } }, errors: ['DISPLAY_NAME_INVALID', 'ROLES_INVALID', 'USER_NOT_FOUND', 'SELF_LOCKOUT', 'SELF_ROLE_CHANGE', 'REAUTH_REQUIRED', 'LAST_MAINTAINER', AUDITED] },
  { method: 'delete', path: '/users/{id}/totp', operationId: 'resetUserTotp', summary: 'Reset another user’s second factor (ends their sessions; they enrol again)', permission: 'users:manage', success: { '204': { description: 'reset' } }, errors: ['USER_NOT_FOUND', 'SELF_TOTP_RESET', 'REAUTH_REQUIRED', AUDITED] },
  { method: 'get', path: '/calls', operationId: 'searchCalls', summary: 'Search the contact history (agents: own calls only)', permission: 'calls:read-own | calls:read-all', query: requests.callSearchQuery, success: { '200': { description: 'a page of contact records', json: answers.callPage } }, errors: [AUDITED] },
  { method: 'get', path: '/calls/{id}', operationId: 'getCall', summary: 'One contact record', permission: 'calls:read-own | calls:read-all', success: { '200': { description: 'the call', json: answers.oneCall } }, errors: ['CALL_NOT_FOUND', AUDITED] },
  {
    method: 'get',
    path: '/calls/{id}/recording',
    operationId: 'getRecording',
    summary: 'The recording for the player: seal check, duration, gaps, waveform peaks',
    permission: 'recordings:play-own | recordings:play-all',
    success: { '200': { description: 'the recording', json: answers.recordingView } },
    errors: RECORDING_ERRORS,
  },
  {
    method: 'get',
    path: '/calls/{id}/audio',
    operationId: 'getRecordingAudio',
    summary: 'The recording as audio/wav, with HTTP Range (one range; a part is at most 4 MiB)',
    permission: 'recordings:play-own | recordings:play-all',
    success: {
      '200': { description: 'the whole recording', media: 'audio/wav', headers: WAV_HEADERS },
      '206': { description: 'the range asked for', media: 'audio/wav', headers: { ...WAV_HEADERS, 'Content-Range': { description: 'The bytes sent, of the whole', pattern: '^bytes [0-9]+-[0-9]+/[0-9]+$' } } },
    },
    // LISTENING_NOT_ON_SITE: the role's on-site listening policy (docs/door-access.md); `reason` in the user's language.
    errors: ['RANGE_INVALID', ...RECORDING_ERRORS, 'LISTENING_NOT_ON_SITE'],
  },
  {
    method: 'get',
    path: '/calls/{id}/export.wav',
    operationId: 'exportRecording',
    summary: 'Export a recording as a file (after re-authentication)',
    permission: 'recordings:export',
    query: requests.exportQuery,
    success: { '200': { description: 'the recording as an audio/wav attachment', media: 'audio/wav', headers: { ...WAV_HEADERS, 'Content-Disposition': { description: 'attachment; filename="tallennin-<call id>.wav"', pattern: '^attachment; filename="tallennin-[0-9a-f-]+\\.wav"$' } } } },
    errors: ['REAUTH_REQUIRED', ...RECORDING_ERRORS],
  },
  { method: 'get', path: '/audit', operationId: 'searchAudit', summary: 'Search the audit trail', permission: 'audit:read', query: requests.auditSearchQuery, success: { '200': { description: 'a page of audit records', json: answers.auditPage } }, errors: [AUDITED] },
  { method: 'get', path: '/audit/verification', operationId: 'verifyAudit', summary: 'Verify the audit trail’s chain and signatures', permission: 'audit:read', success: { '200': { description: 'the verification result', json: answers.auditVerification } }, errors: [AUDITED] },
  { method: 'get', path: '/settings', operationId: 'getSettings', summary: 'The call settings: agent directory, recorded service numbers, retention', permission: 'config:manage', success: { '200': { description: 'the settings', json: answers.settings } }, errors: [AUDITED] },
  {
    method: 'put',
    path: '/settings',
    operationId: 'replaceSettings',
    summary: 'Replace the call settings (validated whole; retention at most 3 months)',
    permission: 'config:manage',
    body: callSettingsSchema,
    success: { '200': { description: 'the settings now', json: answers.settings } },
    errors: ['AGENT_DIRECTORY_INVALID', 'DISPLAY_NAME_INVALID', 'RECORDING_RULES_INVALID', AUDITED],
  },
  { method: 'get', path: '/health', operationId: 'getHealth', summary: 'Bridge link, channels, alarms, disk, memory', permission: 'health:read', success: { '200': { description: 'the health report', json: answers.healthReport } } },
];

// A capability's operations live beside it (src/http/operations/<capability>.ts), one line each here.
export const OPERATIONS: readonly ApiOperation[] = [
  ...CORE_OPERATIONS,
  ...PASSWORD_RESET_OPERATIONS,
  ...DOOR_OPERATIONS,
  ...ALARM_OPERATIONS,
  ...ALARM_DELIVERY_OPERATIONS,
  ...KEY_BACKUP_OPERATIONS,
  ...LIVE_OPERATIONS,
  ...CALL_NOTES_OPERATIONS,
  ...CASE_OPERATIONS,
  ...AUDIT_CHECKPOINT_OPERATIONS,
  ...RESEARCH_OPERATIONS,
  ...SUBJECT_REPORT_OPERATIONS,
  ...REGISTER_OPERATIONS,
];

const STATE_CHANGING: ReadonlySet<HttpMethod> = new Set(['post', 'put', 'patch', 'delete']);

/** The error codes an operation may answer: its own, and those its entry implies. */
function errorCodesOf(op: ApiOperation): string[] {
  // Every request's body goes through the JSON parser (app.ts): one that is not JSON, or too
  // large, is refused on any operation, with or without a body of its own.
  // The request guards (app.ts, request-body.ts, strict-query.ts) refuse a malformed request on
  // any operation: bad percent-encoding, a body where none belongs, a body that is not JSON in UTF-8.
  const codes = new Set<string>(['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'BAD_REQUEST', 'BAD_REQUEST_ENCODING', 'BAD_REQUEST_SYNTAX', 'UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_CONTENT_ENCODING']);
  if (!STATE_CHANGING.has(op.method) || op.method === 'delete') codes.add('BODY_NOT_ALLOWED');
  // Origin and Sec-Fetch-Site are checked on every state change; with a session, the token too.
  if (STATE_CHANGING.has(op.method) && op.security === undefined) codes.add('CSRF_REJECTED');
  if (op.open !== true && op.security === undefined) {
    codes.add('NOT_AUTHENTICATED');
    if (op.duringTotpEnrollment !== true) codes.add('TOTP_ENROLLMENT_REQUIRED');
  }
  if (op.permission !== undefined) codes.add('FORBIDDEN');
  for (const code of op.errors ?? []) codes.add(code);
  return [...codes];
}

/** The answers' shared parts and the answers, by the names client generators give their types. */
const NAMED_ANSWERS: Readonly<Record<string, z.ZodType>> = {
  Timestamp: answers.timestamp,
  PublicUser: answers.publicUser,
  ContactRecord: answers.contactRecord,
  AuditRecord: answers.auditRecord,
  CallSettings: callSettingsSchema,
  SignedIn: answers.signedIn,
  Me: answers.me,
  TotpEnrollment: answers.totpEnrollment,
  SetupStatus: answers.setupStatus,
  OneUser: answers.oneUser,
  UserList: answers.userList,
  CallPage: answers.callPage,
  OneCall: answers.oneCall,
  RecordingView: answers.recordingView,
  AuditPage: answers.auditPage,
  AuditVerification: answers.auditVerification,
  SettingsAnswer: answers.settings,
  HealthReport: answers.healthReport,
  OpenApiDocument: answers.openApiDescription,
};

const COMPONENT_PREFIX = '#/components/schemas/';

/** A JSON Schema as OpenAPI 3.1 holds it: its dialect (2020-12) is the document's already. */
function bare(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> => bare(z.toJSONSchema(schema, { target: 'draft-2020-12', io }));

/** components.schemas: every JSON answer (an unnamed one by its operation), referring to each other. */
function answerComponents(): { schemas: Record<string, unknown>; refOf: (schema: z.ZodType) => { $ref: string } } {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED_ANSWERS)) registry.add(schema, { id });
  for (const op of OPERATIONS) {
    for (const spec of Object.values(op.success)) {
      if (spec.json !== undefined && !registry.has(spec.json)) registry.add(spec.json, { id: `${op.operationId[0]!.toUpperCase()}${op.operationId.slice(1)}Answer` });
    }
  }
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `${COMPONENT_PREFIX}${id}` });
  return {
    schemas: Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema as Record<string, unknown>)])),
    refOf: (schema) => ({ $ref: `${COMPONENT_PREFIX}${registry.get(schema)!.id}` }),
  };
}

function headersOf(headers: Readonly<Record<string, HeaderSpec>> | undefined): Record<string, unknown> | undefined {
  if (headers === undefined) return undefined;
  return Object.fromEntries(Object.entries(headers).map(([name, spec]) => [name, { description: spec.description, required: true, schema: { type: 'string', pattern: spec.pattern } }]));
}

function responsesOf(op: ApiOperation, refOf: (schema: z.ZodType) => { $ref: string }): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(op.success)) {
    const content = spec.json !== undefined ? { 'application/json': { schema: refOf(spec.json) } } : spec.media !== undefined ? { [spec.media]: { schema: { type: 'string', contentMediaType: spec.media } } } : undefined;
    const headers = headersOf(spec.headers);
    responses[status] = { description: spec.description, ...(headers === undefined ? {} : { headers }), ...(content === undefined ? {} : { content }) };
  }
  const byStatus = new Map<number, string[]>();
  for (const code of errorCodesOf(op)) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers =
      status === 429 ? headersOf({ 'Retry-After': { description: 'Seconds to wait', pattern: '^[0-9]+$' } }) : status === 416 ? headersOf({ 'Content-Range': { description: 'bytes */<length>', pattern: '^bytes \\*/[0-9]+$' } }) : undefined;
    responses[String(status)] = {
      description: `Refused: ${codes.join(', ')}`,
      ...(headers === undefined ? {} : { headers }),
      content: { 'application/json': { schema: toSchema(answers.errorBody(codes as [string, ...string[]]), 'output') } },
    };
  }
  return responses;
}

function parametersOf(op: ApiOperation): unknown[] {
  const parameters: unknown[] = [];
  for (const [, name] of op.path.matchAll(/\{([^}]+)\}/g)) parameters.push({ name, in: 'path', required: true, schema: toSchema(requests.idParam, 'input') });
  if (op.query !== undefined) {
    const query = toSchema(op.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
  }
  if (op.security === 'doorSignature') {
    parameters.push({ name: 'Tallennin-Source', in: 'header', required: true, description: 'The door source’s id (Settings)', schema: { type: 'string' } });
    parameters.push({ name: 'Tallennin-Signature', in: 'header', required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${raw body}` with the source’s secret>', schema: { type: 'string' } });
  }
  if (op.open !== true && op.security === undefined && STATE_CHANGING.has(op.method)) {
    parameters.push({ name: 'X-CSRF-Token', in: 'header', required: true, description: 'The csrfToken of POST /session or GET /me', schema: { type: 'string' } });
  }
  return parameters;
}

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; license: string };

let document: Record<string, unknown> | undefined;

/** The document (built once: it changes only with the code). */
export function openApiDocument(): Record<string, unknown> {
  document ??= buildDocument();
  return document;
}

function buildDocument(): Record<string, unknown> {
  const { schemas, refOf } = answerComponents();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters = parametersOf(op);
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.open === true ? { security: [] } : op.security === undefined ? {} : { security: [{ [op.security]: [] }] }),
      ...(op.permission === undefined ? {} : { 'x-permission': op.permission }),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body, 'input') } } } }),
      responses: responsesOf(op, refOf),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tallennin API',
      version: PACKAGE.version,
      description: 'Call recordings and contact history of the appliance. Sign in with POST /session; state changes need its CSRF token in the X-CSRF-Token header. Bodies are JSON in UTF-8 (at most 64 KiB, uncompressed, only on POST, PUT and PATCH); a malformed request gets a 4xx with a stable error code.',
      // An SPDX licence is named by its identifier; UNLICENSED (proprietary) has none (redocly.yaml).
      license: /^[A-Za-z0-9.+-]+$/.test(PACKAGE.license) && PACKAGE.license !== 'UNLICENSED' ? { name: PACKAGE.license, identifier: PACKAGE.license } : { name: PACKAGE.license },
    },
    servers: [{ url: '/api/v1' }],
    components: { schemas, securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie set by POST /session' },
        doorSignature: { type: 'apiKey', in: 'header', name: 'Tallennin-Signature', description: 'A door controller’s HMAC-SHA256 signature over the timestamp and the raw body (docs/door-access.md)' },
      },
    },
    security: [{ session: [] }],
    paths,
  };
}
