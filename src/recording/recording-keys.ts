/**
 * Per-recording data keys, wrapped by the recording-key-wrapping subkey and kept apart from the
 * audio in `<dataDir>/keys/<recordingId>.key`. Removing that file is the deletion of the
 * recording (crypto-shredding): without it the audio file is noise, also in old backups of the
 * recordings directory.
 *
 * Key file (88 bytes, version 1):
 *   0   8  magic "TLNKEY\r\n"
 *   8   1  version = 1
 *   9   1  algorithm = 1 (AES-256-GCM key wrap)
 *   10  2  reserved = 0
 *   12  16 recording id (UUID bytes)
 *   28  12 random nonce
 *   40  32 wrapped data key
 *   72  16 GCM tag
 * AAD = bytes 0..27, so a key file copied to another recording's name does not unwrap.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { bytesToUuid, uuidToBytes } from './recording-format.js';

export const KEY_FILE_MAGIC = Buffer.from('TLNKEY\r\n', 'latin1');
export const KEY_FILE_BYTES = 88;
export const DATA_KEY_BYTES = 32;
const HEADER_BYTES = 28;

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

export function wrapDataKey(dataKey: Buffer, recordingId: string, wrapKey: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  KEY_FILE_MAGIC.copy(header, 0);
  header.writeUInt8(1, 8);
  header.writeUInt8(1, 9);
  uuidToBytes(recordingId).copy(header, 12);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrapKey, nonce);
  cipher.setAAD(header);
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([header, nonce, wrapped, cipher.getAuthTag()]);
}

/** Unwraps a data key; throws an Error saying why the file is unusable. */
export function unwrapDataKey(file: Buffer, recordingId: string, wrapKey: Buffer): Buffer {
  if (file.length !== KEY_FILE_BYTES || !file.subarray(0, 8).equals(KEY_FILE_MAGIC) || file.readUInt8(8) !== 1 || file.readUInt8(9) !== 1) {
    throw new Error('key file malformed');
  }
  if (bytesToUuid(file.subarray(12, 28)) !== recordingId) throw new Error('key file belongs to another recording');
  const decipher = createDecipheriv('aes-256-gcm', wrapKey, file.subarray(28, 40));
  decipher.setAAD(file.subarray(0, HEADER_BYTES));
  decipher.setAuthTag(file.subarray(72, 88));
  try {
    return Buffer.concat([decipher.update(file.subarray(40, 72)), decipher.final()]);
  } catch {
    throw new Error('key file does not authenticate (tampered or wrapped under another master key)');
  }
}
