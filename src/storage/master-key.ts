/**
 * The 32-byte master key every other key is derived from (see key-hierarchy.ts).
 *
 * Production: systemd decrypts it (LoadCredentialEncrypted=, sealed to the TPM2 where the box has
 * one) into `$CREDENTIALS_DIRECTORY/tallennin-master-key`, a read-only file of the service user.
 * The file holds the raw 32 bytes or 64 hex characters (a trailing newline is allowed). A file
 * readable by group or others is refused: the credential directory never makes one, so such a
 * file was put there by hand.
 *
 * Demo/development only: when no credential is present, a random key is generated once into
 * `<dataDir>/demo-master.key` (0600, written durably) and reused. This is said loudly (a warn log
 * line at every start and `generated: true` the first time, which the CLI prints in a banner):
 * a key lying next to the data protects nothing against someone who takes the disk.
 *
 * Error codes: MASTER_KEY_MISSING (no credential in production), MASTER_KEY_INVALID (wrong
 * length or encoding, not a regular file, permissions too open, or an all-zero key).
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, errnoCode } from '../errors.js';
import type { Logger } from '../log.js';
import { ensureDirectory, PRIVATE_FILE_MODE, writeFileDurable } from './durable-file.js';

export const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_CREDENTIAL_NAME = 'tallennin-master-key';
export const DEMO_MASTER_KEY_FILE = 'demo-master.key';

export type RunMode = 'production' | 'demo';

export interface LoadMasterKeyOptions {
  mode: RunMode;
  /** The systemd credential directory; defaults to $CREDENTIALS_DIRECTORY. */
  credentialsDirectory?: string;
  dataDir: string;
  logger: Logger;
}

export interface LoadedMasterKey {
  key: Buffer;
  source: 'credential' | 'demo-file';
  /** True only when this call created the demo key file. */
  generated: boolean;
  /** Where the key came from (a path; never the key). */
  path: string;
}

/** Loads (or, in demo mode only, generates) the master key. */
export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<LoadedMasterKey> {
  const logger = options.logger.child('master-key');
  const credentialsDirectory = options.credentialsDirectory ?? process.env.CREDENTIALS_DIRECTORY;
  if (credentialsDirectory !== undefined && credentialsDirectory !== '') {
    const path = join(credentialsDirectory, MASTER_KEY_CREDENTIAL_NAME);
    const key = await readKeyFile(path);
    if (key !== undefined) {
      logger.info('master key loaded from the systemd credential', { path });
      return { key, source: 'credential', generated: false, path };
    }
  }
  if (options.mode === 'production') {
    throw new AppError(
      'MASTER_KEY_MISSING',
      `no master key: expected the systemd credential ${MASTER_KEY_CREDENTIAL_NAME} in ` +
        `${credentialsDirectory ?? '$CREDENTIALS_DIRECTORY (not set)'} (LoadCredentialEncrypted=)`,
      { details: { credentialsDirectory: credentialsDirectory ?? null } },
    );
  }

  await ensureDirectory(options.dataDir);
  const path = join(options.dataDir, DEMO_MASTER_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing !== undefined) {
    logger.warn('DEMO MODE: using the development master key file next to the data; not for real calls', { path });
    return { key: existing, source: 'demo-file', generated: false, path };
  }
  const key = randomBytes(MASTER_KEY_BYTES);
  await writeFileDurable(path, key.toString('hex') + '\n', PRIVATE_FILE_MODE);
  logger.warn('DEMO MODE: generated a development master key file next to the data; not for real calls', { path });
  return { key, source: 'demo-file', generated: true, path };
}

/** Reads and validates a key file; undefined when it does not exist. */
async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw new AppError('MASTER_KEY_INVALID', `cannot stat master key file ${path}: ${errnoCode(err) ?? String(err)}`, {
      cause: err,
      details: { path, reason: 'unreadable' },
    });
  }
  if (!info.isFile()) {
    throw new AppError('MASTER_KEY_INVALID', `master key ${path} is not a regular file`, {
      details: { path, reason: 'not-a-file' },
    });
  }
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new AppError('MASTER_KEY_INVALID', `master key ${path} is accessible by group or others (mode ${mode}); expected 0600 or 0400`, {
      details: { path, reason: 'permissions', mode },
    });
  }
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (err) {
    throw new AppError('MASTER_KEY_INVALID', `cannot read master key ${path}: ${errnoCode(err) ?? String(err)}`, {
      cause: err,
      details: { path, reason: 'unreadable' },
    });
  }
  return parseKey(content, path);
}

/** Accepts exactly 32 raw bytes or 64 hex characters (surrounding whitespace allowed for hex). */
export function parseKey(content: Buffer, path: string): Buffer {
  let key: Buffer | undefined;
  if (content.length === MASTER_KEY_BYTES) {
    key = Buffer.from(content);
  } else {
    const text = content.toString('latin1').trim();
    if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  }
  content.fill(0);
  if (key === undefined) {
    throw new AppError('MASTER_KEY_INVALID', `master key ${path} must hold 32 raw bytes or 64 hex characters`, {
      details: { path, reason: 'format' },
    });
  }
  if (key.every((byte) => byte === 0)) {
    throw new AppError('MASTER_KEY_INVALID', `master key ${path} is all zeros`, { details: { path, reason: 'all-zero' } });
  }
  return key;
}
