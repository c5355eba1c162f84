/**
 * An audit entry and its hash. Entries form a chain: each one's hash covers the previous hash
 * and the entry's canonical JSON (keys sorted), so editing, removing or reordering any entry
 * breaks every hash after it. Entries hold ids and pseudonyms, never phone numbers or names.
 */
import { createHash } from 'node:crypto';

export type AuditOutcome = 'success' | 'denied' | 'failed';

export interface AuditEventInput {
  /** Dotted verb: auth.login, calls.search, recording.play, user.update, ... */
  readonly action: string;
  readonly outcome: AuditOutcome;
  /** The acting user's id; null when unknown (a failed login with an unknown name). */
  readonly actorId: string | null;
  /** A pseudonym (audit-pseudonyms.ts) of a typed user name, when no user id is known. */
  readonly actorName?: string;
  readonly target?: { readonly type: 'call' | 'recording' | 'user' | 'config' | 'audit' | 'case'; readonly id: string };
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
  readonly clientAddress?: string;
}

export interface AuditRecord extends AuditEventInput {
  readonly seq: number;
  readonly time: string;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys in sorted order, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // Every request that reads personal data hashes one entry: a plain loop, no intermediate arrays.
  const object = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(object).sort()) {
    const item = object[key];
    if (item === undefined) continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `{${out}}`;
}

export function entryHash(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(record.prevHash).update('\n').update(canonicalJson(record)).digest('hex');
}

/**
 * What a checkpoint, the head or the anchor signs: a position in the chain and, from version 2
 * on, how many checkpoint lines the trail held up to it. Checkpoints are not entries of the
 * chain, so without that count a checkpoint line cut off the end (or out of the middle) would
 * leave every hash intact. Positions signed before the count existed verify as version 1.
 */
export function signedPosition(seq: number, hash: string, time: string, checkpoints?: number): Buffer {
  if (checkpoints === undefined) return Buffer.from(`tallennin-audit-v1|${seq}|${hash}|${time}`, 'utf8');
  return Buffer.from(`tallennin-audit-v2|${seq}|${hash}|${time}|${checkpoints}`, 'utf8');
}
