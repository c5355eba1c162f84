/**
 * A lowdb Adapter that keeps a JSON document encrypted at rest and writes it durably.
 *
 * File layout (version 1), all integers big-endian:
 *
 *   offset size field
 *   0      8    magic "TLNDOC\r\n" (the CR LF catches text-mode mangling)
 *   8      1    version = 1
 *   9      1    algorithm = 1 (AES-256-GCM)
 *   10     2    reserved = 0
 *   12     12   nonce (random per write; 2^-32 collision bound is far beyond our write count)
 *   24     n    ciphertext of the UTF-8 JSON text
 *   24+n   16   GCM tag
 *
 * AAD = the 24 header bytes followed by the document's logical name (e.g. "history/2026-11-28"),
 * so a header edit fails authentication and so does a file copied over another document's file.
 *
 * A file that cannot be decrypted or parsed is never replaced by an empty document: it is moved
 * (durably) to `<dataDir>/quarantine/documents/<name>.<time>.corrupt`, an error line is logged and
 * read() throws AppError('DOCUMENT_CORRUPT') with the name and the quarantine path.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adapter } from 'lowdb';
import { systemClock, type Clock } from '../clock.js';
import { AppError, errnoCode } from '../errors.js';
import type { Logger } from '../log.js';
import { fileStamp, moveDurable, nodeFileOps, storageError, writeFileDurable, type FileOps } from './durable-file.js';

export const DOCUMENT_MAGIC = Buffer.from('TLNDOC\r\n', 'latin1');
export const DOCUMENT_VERSION = 1;
const ALGORITHM_AES_256_GCM = 1;
const HEADER_BYTES = 24;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface EncryptedJsonAdapterOptions {
  /** Absolute path of the encrypted file. */
  file: string;
  /** Logical document name, bound into the ciphertext. */
  name: string;
  /** 32-byte document-encryption subkey. */
  key: Buffer;
  /** Directory that receives corrupt files (`<dataDir>/quarantine/documents`). */
  quarantineDir: string;
  logger: Logger;
  clock?: Clock;
  fileOps?: FileOps;
}

export function encryptDocument(plaintext: Buffer, name: string, key: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  DOCUMENT_MAGIC.copy(header, 0);
  header.writeUInt8(DOCUMENT_VERSION, 8);
  header.writeUInt8(ALGORITHM_AES_256_GCM, 9);
  randomBytes(NONCE_BYTES).copy(header, 12);
  const cipher = createCipheriv('aes-256-gcm', key, header.subarray(12, 24));
  cipher.setAAD(Buffer.concat([header, Buffer.from(name, 'utf8')]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/** Decrypts a document file; throws a plain Error describing why it is unusable. */
export function decryptDocument(file: Buffer, name: string, key: Buffer): Buffer {
  if (file.length < HEADER_BYTES + TAG_BYTES) throw new Error('file too short');
  if (!file.subarray(0, 8).equals(DOCUMENT_MAGIC)) throw new Error('bad magic');
  if (file.readUInt8(8) !== DOCUMENT_VERSION) throw new Error(`unsupported version ${file.readUInt8(8)}`);
  if (file.readUInt8(9) !== ALGORITHM_AES_256_GCM) throw new Error(`unsupported algorithm ${file.readUInt8(9)}`);
  const header = file.subarray(0, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(12, 24));
  decipher.setAAD(Buffer.concat([header, Buffer.from(name, 'utf8')]));
  decipher.setAuthTag(file.subarray(file.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(file.subarray(HEADER_BYTES, file.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new Error('authentication failed (tampered, damaged, swapped with another document, or another key)');
  }
}

export class EncryptedJsonAdapter<T> implements Adapter<T> {
  private readonly clock: Clock;
  private readonly fileOps: FileOps;

  constructor(private readonly options: EncryptedJsonAdapterOptions) {
    this.clock = options.clock ?? systemClock;
    this.fileOps = options.fileOps ?? nodeFileOps;
  }

  get name(): string {
    return this.options.name;
  }

  async read(): Promise<T | null> {
    const { file, name, key } = this.options;
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null;
      throw storageError(err, 'read', file);
    }
    let reason: string;
    try {
      const plaintext = decryptDocument(raw, name, key);
      return JSON.parse(plaintext.toString('utf8')) as T;
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    throw await this.quarantine(reason);
  }

  async write(data: T): Promise<void> {
    const plaintext = Buffer.from(JSON.stringify(data), 'utf8');
    await writeFileDurable(this.options.file, encryptDocument(plaintext, this.options.name, this.options.key), undefined, this.fileOps);
  }

  private async quarantine(reason: string): Promise<AppError> {
    const { file, name, quarantineDir, logger } = this.options;
    // The random part keeps two corrupt copies of one document apart.
    const quarantinePath = join(quarantineDir, `${name}.${fileStamp(this.clock.now())}.${randomBytes(3).toString('hex')}.corrupt`);
    try {
      await moveDurable(file, quarantinePath, this.fileOps);
    } catch (err) {
      logger.error('corrupt document could not be quarantined; left in place', { document: name, reason, file });
      return new AppError('DOCUMENT_CORRUPT', `document ${name} is corrupt (${reason}) and could not be quarantined`, {
        cause: err,
        details: { document: name, reason, quarantinePath: null, file },
      });
    }
    logger.error('corrupt document quarantined', { document: name, reason, quarantinePath });
    return new AppError('DOCUMENT_CORRUPT', `document ${name} is corrupt (${reason}); moved to ${quarantinePath}`, {
      details: { document: name, reason, quarantinePath },
    });
  }
}
