/**
 * `tallennin disclosure verify BUNDLE [--passphrase-file FILE] [--public-key FILE]`: checks a
 * disclosure bundle on any machine, without the box's data or keys: the unpacked directory, or
 * the .age file with its passphrase (read from a file, or `-` for standard input, never from the
 * command line where other users of the machine would see it). Exit 1 names every problem.
 */
import { createPublicKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { openSealed } from '../disclosure/bundle-archive.js';
import { verifyBundleDirectory, type BundleVerification } from '../disclosure/bundle-verify.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';
import { UsageError, type CliOptions } from './tallennin.js';

export async function runDisclosureVerify(options: CliOptions, positionals: string[]): Promise<number> {
  const [bundle, ...extra] = positionals;
  if (bundle === undefined) throw new UsageError('name the bundle: a directory, or an .age file with --passphrase-file');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const pinnedKey = options['public-key'] === undefined ? undefined : createPublicKey(await readFile(options['public-key']));
  const info = await stat(bundle).catch(() => {
    throw new AppError('BUNDLE_NOT_FOUND', `no such bundle: ${bundle}`);
  });
  let result: BundleVerification;
  if (info.isDirectory()) {
    result = await verifyBundleDirectory(bundle, pinnedKey === undefined ? {} : { pinnedKey });
  } else {
    if (options['passphrase-file'] === undefined) throw new UsageError('an encrypted bundle needs --passphrase-file FILE (or - for standard input)');
    const passphrase = (options['passphrase-file'] === '-' ? await readStdin() : await readFile(options['passphrase-file'], 'utf8')).trim();
    const work = await mkdtemp(join(tmpdir(), 'tallennin-verify-'));
    try {
      await openSealed(bundle, passphrase, work);
      const tops = await readdir(work);
      if (tops.length !== 1) throw new AppError('BUNDLE_INVALID', 'the bundle does not hold one directory');
      result = await verifyBundleDirectory(join(work, tops[0]!), pinnedKey === undefined ? {} : { pinnedKey });
    } catch (err) {
      // A wrong passphrase or a damaged .age file is a failed check, not a failure of the command.
      if (!(err instanceof AppError && err.code === 'BUNDLE_INVALID')) throw err;
      result = { ok: false, problems: [err.message], keyFingerprint: null, calls: 0, caseId: null, reference: null };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  if (result.ok) {
    process.stdout.write(`bundle ok: case ${result.caseId} (reference ${result.reference}), ${result.calls} recordings; signed by key ${result.keyFingerprint}\n` + (pinnedKey === undefined ? 'compare the key fingerprint with the one the box publishes (GET /api/v1/cases/public-key)\n' : ''));
    return EXIT_OK;
  }
  process.stdout.write(`bundle FAILED:\n${result.problems.map((problem) => `  ${problem}\n`).join('')}`);
  return EXIT_CHECK_FAILED;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
