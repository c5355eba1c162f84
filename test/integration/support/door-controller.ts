/**
 * A door controller for the tests: posts events to the webhook the way a real one does (raw JSON
 * bytes, the Tallennin-Source header, the signature over the timestamp and those bytes), and
 * configures door sources through the API as a maintainer would. Every answer is held against the
 * OpenAPI document, as the API client does.
 */
import { request } from 'node:https';
import { signatureHeader } from '../../../src/doors/webhook-signature.js';
import { contractProblems } from './openapi-contract.js';
import type { ApiClient } from './https-client.js';

export const WEBHOOK_SECRET = 'ovi-ohjaimen-salaisuus-0123456789';

export interface DoorAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: { accepted?: number; error?: { code: string; message: string } };
}

export interface SignedPost {
  readonly source?: string;
  readonly secret?: string;
  readonly body: string | Buffer;
  /** Unix seconds of the signature. */
  readonly timestamp: number;
  /** A header to send instead of the correct one. */
  readonly signature?: string;
  readonly headers?: Record<string, string>;
}

export function postDoorEvents(port: number, ca: string, post: SignedPost): Promise<DoorAnswer> {
  const body = Buffer.isBuffer(post.body) ? post.body : Buffer.from(post.body);
  const headers: Record<string, string> = {
    host: `localhost:${port}`,
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...(post.source === undefined ? {} : { 'tallennin-source': post.source }),
    'tallennin-signature': post.signature ?? signatureHeader(post.secret ?? WEBHOOK_SECRET, post.timestamp, body),
    ...post.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/door-events', method: 'POST', headers, ca, servername: 'localhost', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answer = Buffer.concat(chunks);
        const problems = contractProblems('POST', '/api/v1/door-events', { status: res.statusCode ?? 0, headers: res.headers, body: answer });
        if (problems.length > 0) return reject(new Error(`the answer is not as /api/v1/openapi.json describes it:\n${problems.join('\n')}`));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(answer.toString('utf8')) as DoorAnswer['json'] });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One event as a controller describes it. */
export function doorEvent(id: string, occurredAtMs: number, fields: { kind?: string; door?: string; direction?: 'in' | 'out'; card?: string } = {}): Record<string, unknown> {
  return { id, kind: fields.kind ?? 'access-granted', door: fields.door ?? 'Palvelinhuone', ...(fields.direction === undefined ? {} : { direction: fields.direction }), ...(fields.card === undefined ? {} : { card: fields.card }), occurredAt: new Date(occurredAtMs).toISOString() };
}

/** Puts door settings through the API (a maintainer's client). Throws unless saved. */
export async function putDoorSettings(admin: ApiClient, settings: Record<string, unknown>): Promise<void> {
  const res = await admin.send('PUT', '/api/v1/doors/settings', { body: settings });
  if (res.status !== 200) throw new Error(`door settings not saved: ${res.status} ${res.body.toString()}`);
}

export const WEBHOOK_SOURCE = { id: 'ovi-ohjain', name: 'Ovijärjestelmä', kind: 'webhook', doors: ['Palvelinhuone', 'Kuunteluhuone'], secret: WEBHOOK_SECRET };
