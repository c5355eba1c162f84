/**
 * Helpers of the packaging tests: run a command and collect its output, build the Debian package,
 * and drive dpkg against a throwaway root (dpkg --root with chrootless maintainer scripts, which
 * then see DPKG_ROOT and pass --root to systemd-sysusers and systemd-tmpfiles).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SYSTEMD_DIR = join(REPO_ROOT, 'systemd');

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: Buffer | string;
}

/** Runs a command to its end; never rejects on a non-zero exit (the caller checks `code`). */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    if (child.stdout === null || child.stderr === null) throw new Error('spawn gave no output pipes');
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolveResult({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    if (options.input !== undefined && child.stdin !== null) {
      // A command that exits without reading its input must not fail the test with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** Output of a result for an assertion message. */
export function describe(result: CommandResult): string {
  return `exit ${String(result.code)}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

/**
 * Builds the .deb as a fresh clone would: the repository's files (tracked and new, nothing that
 * git ignores, so no dist/ and no web/dist/) are copied into `workDir`/source, which borrows this
 * checkout's node_modules, and systemd/build-deb.sh runs there with its own build steps. The
 * package then holds only what the build makes from source, and the shared dist/ that other test
 * files import is never recompiled under them. Returns the path of the .deb in `workDir`/out.
 */
export async function buildDeb(workDir: string): Promise<string> {
  const source = join(workDir, 'source');
  await mkdir(source, { recursive: true });
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  if (listed.code !== 0) throw new Error(`git ls-files failed\n${describe(listed)}`);
  const files = listed.stdout.split('\0').filter((path) => path !== '' && existsSync(join(REPO_ROOT, path)));
  for (const path of files) {
    await mkdir(dirname(join(source, path)), { recursive: true });
    await copyFile(join(REPO_ROOT, path), join(source, path)); // keeps the mode (build-deb.sh is executable)
  }
  await symlink(join(REPO_ROOT, 'node_modules'), join(source, 'node_modules'));
  const result = await run('bash', [join(source, 'systemd/build-deb.sh'), '--out', join(workDir, 'out')], { cwd: source });
  if (result.code !== 0) throw new Error(`build-deb.sh failed\n${describe(result)}`);
  const lines = result.stdout.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

/** An empty dpkg database under `root`, ready for dpkg --root. */
export async function makeDpkgRoot(root: string): Promise<void> {
  for (const dir of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers']) {
    await mkdir(join(root, dir), { recursive: true });
  }
  await writeFile(join(root, 'var/lib/dpkg/status'), '');
  await writeFile(join(root, 'var/lib/dpkg/available'), '');
}

/**
 * dpkg against the throwaway root. Maintainer scripts run on this machine without chroot
 * (--force-script-chrootless) with DPKG_ROOT=root; --force-depends because the root's database
 * knows no nodejs or systemd package.
 */
export function dpkg(root: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  return run(
    'dpkg',
    [`--root=${root}`, '--force-not-root', '--force-script-chrootless', '--force-depends', '--log=/dev/null', ...args],
    { env: { ...process.env, ...env } },
  );
}

/** uid and gid of a user in the root's /etc/passwd, or undefined. */
export function passwdEntry(passwd: string, name: string): { uid: number; gid: number; home: string; shell: string } | undefined {
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 7) {
      return { uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? '', shell: fields[6] ?? '' };
    }
  }
  return undefined;
}
