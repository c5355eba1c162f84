/**
 * A bundle's directory packed as a tar and encrypted to a passphrase with age (the maintained
 * `age-encryption` package: scrypt recipient, ChaCha20-Poly1305 payload), so the receiver opens it
 * with the standard `age -d` and `tar x`. Streamed both ways: a long recording is never held whole
 * in memory. The passphrase is generated strong and shown once; one given by the registrar must
 * be at least PASSPHRASE_MIN_LENGTH characters.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomInt } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../errors.js';

// age-encryption (with its post-quantum and curve code) and tar are loaded when a bundle is
// sealed or opened: a running box does that rarely, and they cost ~15 MB resident once loaded.
const ageEncryption = (): Promise<typeof import('age-encryption')> => import('age-encryption');
const tarPackage = (): Promise<typeof import('tar')> => import('tar');

export const PASSPHRASE_MIN_LENGTH = 16;
/** Letters and digits that are not mistaken for each other when read aloud or copied by hand. */
const PASSPHRASE_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const PASSPHRASE_GROUPS = 6;
const PASSPHRASE_GROUP_LENGTH = 5;

/** 30 characters of 32 (150 bits) in groups of five: strong without a long word list. */
export function generatePassphrase(): string {
  const groups: string[] = [];
  for (let g = 0; g < PASSPHRASE_GROUPS; g++) {
    let group = '';
    for (let i = 0; i < PASSPHRASE_GROUP_LENGTH; i++) group += PASSPHRASE_ALPHABET[randomInt(PASSPHRASE_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

export function checkPassphrase(passphrase: string): void {
  if ([...passphrase].length < PASSPHRASE_MIN_LENGTH) throw new AppError('PASSPHRASE_TOO_SHORT', `a bundle's passphrase has at least ${PASSPHRASE_MIN_LENGTH} characters`);
}

/** Packs `dir` (as its own top directory) into `outFile`, encrypted to the passphrase. */
export async function sealDirectory(dir: string, outFile: string, passphrase: string): Promise<void> {
  checkPassphrase(passphrase);
  const [{ Encrypter }, tar] = await Promise.all([ageEncryption(), tarPackage()]);
  const encrypter = new Encrypter();
  encrypter.setPassphrase(passphrase);
  const packed = Readable.from(tar.c({ cwd: dirname(dir), portable: true }, [basename(dir)]));
  const encrypted = await encrypter.encrypt(Readable.toWeb(packed) as ReadableStream<Uint8Array>);
  await pipeline(Readable.fromWeb(encrypted as unknown as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(outFile, { mode: 0o600 }));
}

/** Decrypts an .age bundle with the passphrase and unpacks it under `destDir`. Wrong passphrase or a damaged file: BUNDLE_INVALID. */
export async function openSealed(file: string, passphrase: string, destDir: string): Promise<void> {
  await mkdir(destDir, { recursive: true });
  const [{ Decrypter }, tar] = await Promise.all([ageEncryption(), tarPackage()]);
  const decrypter = new Decrypter();
  decrypter.addPassphrase(passphrase);
  // Decrypted whole into a file first: every chunk's tag is checked before anything is unpacked
  // (a tar reader stops at its end marker and would never see a damaged last chunk).
  const tarFile = join(destDir, '.bundle.tar');
  try {
    const decrypted = await decrypter.decrypt(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
    await pipeline(Readable.fromWeb(decrypted as unknown as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(tarFile, { mode: 0o600 }));
    await tar.x({ cwd: destDir, file: tarFile, strict: true });
  } catch (err) {
    throw new AppError('BUNDLE_INVALID', `the bundle cannot be opened: wrong passphrase or a damaged file (${err instanceof Error ? err.message : 'unknown'})`, { cause: err });
  } finally {
    await rm(tarFile, { force: true });
  }
}
