/** /api/v1/openapi.json: OpenAPI 3.1, with request schemas generated from the same zod schemas that validate. */
import { z } from 'zod';
import * as schemas from './api-schemas.js';
import { callSettingsSchema } from '../calls/call-settings.js';

type Operation = { summary: string; permission?: string; body?: z.ZodType; query?: z.ZodType; responses: Record<string, string> };

const OPERATIONS: Record<string, Record<string, Operation>> = {
  '/session': {
    post: { summary: 'Sign in (sets the __Host- session cookie and the __Host- device cookie that exempts this browser from a flood against the account; returns the CSRF token)', body: schemas.loginBody, responses: { '201': 'signed in', '401': 'wrong user name or password, or TOTP needed', '429': 'throttled' } },
    delete: { summary: 'Sign out', responses: { '204': 'signed out' } },
  },
  '/session/reauthenticate': { post: { summary: 'Confirm the password again before an export', body: schemas.reauthenticateBody, responses: { '204': 'confirmed', '401': 'wrong password' } } },
  '/me': { get: { summary: 'The signed-in user, permissions and CSRF token', responses: { '200': 'user' } } },
  '/me/password': { post: { summary: 'Change own password (ends the account’s sessions)', body: schemas.passwordChangeBody, responses: { '204': 'changed', '400': 'password rules' } } },
  '/me/totp': { post: { summary: 'Begin TOTP enrolment: a new secret and otpauth URI', responses: { '201': 'secret' } } },
  '/me/totp/confirm': { post: { summary: 'Confirm TOTP enrolment with a first code', body: schemas.totpConfirmBody, responses: { '204': 'enabled', '401': 'wrong code' } } },
  '/setup': {
    get: { summary: 'Whether the first administrator is still to be created', responses: { '200': '{ pending }' } },
    post: { summary: 'Create the first administrator with the setup token', body: schemas.setupBody, responses: { '201': 'created', '401': 'bad token', '409': 'already done' } },
  },
  '/users': {
    get: { summary: 'List users', permission: 'users:manage', responses: { '200': 'users' } },
    post: { summary: 'Create a user', permission: 'users:manage', body: schemas.userCreateBody, responses: { '201': 'created', '409': 'user name taken' } },
  },
  '/users/{id}': { patch: { summary: 'Change a user’s name, roles, extensions or disable them', permission: 'users:manage', body: schemas.userUpdateBody, responses: { '200': 'updated' } } },
  '/calls': { get: { summary: 'Search the contact history (agents: own calls only)', permission: 'calls:read-own | calls:read-all', query: schemas.callSearchQuery, responses: { '200': 'page of contact records' } } },
  '/calls/{id}': { get: { summary: 'One contact record', permission: 'calls:read-own | calls:read-all', responses: { '200': 'call', '404': 'no such call (or not yours)' } } },
  '/calls/{id}/recording': { get: { summary: 'The recording for the player: seal check, duration, gaps, waveform peaks', permission: 'recordings:play-own | recordings:play-all', responses: { '200': 'recording', '404': 'no such call or recording' } } },
  '/calls/{id}/audio': { get: { summary: 'The recording as audio/wav, with HTTP Range', permission: 'recordings:play-own | recordings:play-all', responses: { '200': 'audio/wav', '206': 'partial audio/wav', '416': 'bad range' } } },
  '/calls/{id}/export.wav': { get: { summary: 'Export a recording as a file (after re-authentication)', permission: 'recordings:export', query: schemas.exportQuery, responses: { '200': 'audio/wav attachment', '403': 'needs re-authentication' } } },
  '/audit': { get: { summary: 'Search the audit trail', permission: 'audit:read', query: schemas.auditSearchQuery, responses: { '200': 'page of audit records' } } },
  '/audit/verification': { get: { summary: 'Verify the audit trail’s chain and signatures', permission: 'audit:read', responses: { '200': 'verification result' } } },
  '/settings': {
    get: { summary: 'The call settings: agent directory, recorded service numbers, retention', permission: 'config:manage', responses: { '200': 'settings' } },
    put: { summary: 'Replace the call settings (validated whole; retention at most 3 months)', permission: 'config:manage', body: callSettingsSchema, responses: { '200': 'settings', '400': 'not valid' } },
  },
  '/health': { get: { summary: 'Bridge link, channels, alarms, disk, memory', permission: 'health:read', responses: { '200': 'health report' } } },
};

export function openApiDocument(): Record<string, unknown> {
  const errorSchema = z.toJSONSchema(schemas.errorResponse, { target: 'draft-2020-12' });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(OPERATIONS)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      const parameters: unknown[] = path.includes('{id}') ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }] : [];
      if (op.query !== undefined) {
        const query = z.toJSONSchema(op.query, { target: 'draft-2020-12', io: 'input' }) as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, schema] of Object.entries(query.properties ?? {})) parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
      }
      const responses: Record<string, unknown> = {};
      for (const [status, description] of Object.entries(op.responses)) {
        responses[status] = Number(status) >= 400 ? { description, content: { 'application/json': { schema: errorSchema } } } : { description };
      }
      paths[path][method] = {
        summary: op.summary,
        ...(op.permission === undefined ? {} : { 'x-permission': op.permission }),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(op.body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(op.body, { target: 'draft-2020-12', io: 'input' }) } } } }),
        responses,
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tallennin API', version: '1', description: 'Call recordings and contact history of the appliance. State changes need the X-CSRF-Token header.' },
    servers: [{ url: '/api/v1' }],
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: '__Host-tallennin' } } },
    security: [{ session: [] }],
    paths,
  };
}
