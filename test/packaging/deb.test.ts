/**
 * The Debian package: built with systemd/build-deb.sh, inspected with dpkg-deb, then installed,
 * reinstalled, removed and purged with dpkg against throwaway roots, its maintainer scripts
 * running for real (chrootless, with DPKG_ROOT). The installed service is started from the root's
 * files to show that the staged production node_modules are complete.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import https from 'node:https';
import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildDeb, describe, dpkg, makeDpkgRoot, passwdEntry, REPO_ROOT, run } from './support/commands.js';

// Building the package from a clean copy, and lintian, take minutes on a busy machine.
t.setTimeout(900_000);

const work = await mkdtemp(join(tmpdir(), 'tallennin-deb-test-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
const deb = await buildDeb(work);
const arch = (await run('dpkg', ['--print-architecture'])).stdout.trim();
const nodeArch = process.arch;

/** GET over HTTPS from the service's self-signed pair on 127.0.0.1: status and body. */
function httpsGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const request = https.get({ host: '127.0.0.1', port, path, rejectUnauthorized: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolveGet({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

/** `dpkg-deb -c` as path -> { mode string, owner, link target }. */
async function contents(): Promise<Map<string, { mode: string; owner: string; target?: string }>> {
  const listing = await run('dpkg-deb', ['-c', deb]);
  if (listing.code !== 0) throw new Error(describe(listing));
  const entries = new Map<string, { mode: string; owner: string; target?: string }>();
  for (const line of listing.stdout.split('\n')) {
    const match = /^(\S+) (\S+)\s+\d+ \S+ \S+ \.(\/\S*?)\/?(?: -> (\S+))?$/.exec(line);
    if (match === null) continue;
    const [, mode = '', owner = '', path = '', target] = match;
    entries.set(path === '' ? '/' : path, target === undefined ? { mode, owner } : { mode, owner, target });
  }
  return entries;
}

t.test('when the package is built, then its control data names it, its dependencies and its conffile', async (t) => {
  t.match(deb, new RegExp(`/tallennin_[^_]+_${arch}\\.deb$`));
  const fields = await run('dpkg-deb', ['-f', deb, 'Package', 'Architecture', 'Depends']);
  t.equal(fields.code, 0, describe(fields));
  t.match(fields.stdout, /^Package: tallennin$/m);
  t.match(fields.stdout, new RegExp(`^Architecture: ${arch}$`, 'm'));
  t.match(fields.stdout, /^Depends: .*nodejs \(>= 20\)/m);
  t.match(fields.stdout, /^Depends: .*systemd/m);
  // The native modules link glibc and the C++ runtime: dpkg-shlibdeps names them with versions.
  t.match(fields.stdout, /^Depends: .*\blibc6 \(>= [\d.]+\)/m);
  t.match(fields.stdout, /^Depends: .*\blibstdc\+\+6 \(>= [\d.]+\)/m);
  const maintainer = await run('dpkg-deb', ['-f', deb, 'Maintainer']);
  t.notMatch(maintainer.stdout, /@localhost>/, 'a maintainer address with a real domain form');
  const conffiles = await run('dpkg-deb', ['-I', deb, 'conffiles']);
  t.equal(conffiles.stdout.trim(), '/etc/tallennin/config.json');
  const info = await run('dpkg-deb', ['-I', deb]);
  for (const script of ['postinst', 'prerm', 'postrm']) t.match(info.stdout, new RegExp(`\\b${script}\\s+#!/bin/sh`));
});

t.test('when the package is listed, then it holds the service, the CLI, the systemd files and no development tools', async (t) => {
  const files = await contents();
  const expectMode = (path: string, mode: string): void => {
    t.equal(files.get(path)?.mode, mode, `${path} ${mode}`);
    t.equal(files.get(path)?.owner, 'root/root', `${path} root/root`);
  };
  expectMode('/lib/systemd/system/tallennin.service', '-rw-r--r--');
  expectMode('/usr/lib/sysusers.d/tallennin.conf', '-rw-r--r--');
  expectMode('/usr/lib/tmpfiles.d/tallennin.conf', '-rw-r--r--');
  expectMode('/lib/udev/rules.d/99-tallennin-bridge.rules', '-rw-r--r--');
  expectMode('/etc/tallennin/config.json', '-rw-r-----');
  expectMode('/usr/lib/tallennin/bin/tallennin.js', '-rwxr-xr-x');
  expectMode('/usr/lib/tallennin/dist/cli/tallennin.js', '-rw-r--r--');
  expectMode('/usr/lib/tallennin/dist/main.js', '-rw-r--r--');
  expectMode('/usr/lib/tallennin/package.json', '-rw-r--r--');
  expectMode('/usr/sbin/tallennin-create-master-key', '-rwxr-xr-x');
  expectMode('/usr/share/doc/tallennin/PROTOCOL.md', '-rw-r--r--');
  expectMode('/usr/share/doc/tallennin/installing.md', '-rw-r--r--');
  expectMode('/usr/share/doc/tallennin/examples/lan.conf.example', '-rw-r--r--');
  // The web UI as the build makes it (web/dist is ignored by git, so only the build can put it
  // there); its sources and build script stay out.
  expectMode('/usr/lib/tallennin/web/dist/index.html', '-rw-r--r--');
  expectMode('/usr/lib/tallennin/web/dist/app.js', '-rw-r--r--');
  expectMode('/usr/lib/tallennin/web/dist/styles.css', '-rw-r--r--');
  t.same([...files.keys()].filter((path) => /^\/usr\/lib\/tallennin\/web\/(?!dist(?:\/|$))/.test(path)), [], 'no web sources');
  t.equal(files.get('/usr/bin/tallennin')?.target, '../lib/tallennin/bin/tallennin.js');

  const writable = [...files].filter(([, entry]) => entry.mode[0] !== 'l' && /^.....w|^........w/.test(entry.mode));
  t.same(writable.map(([path]) => path), [], 'nothing writable by group or others');

  const packageJson = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  // npm's lockfile marks what only development needs ("dev": true), transitive packages included.
  const lock = JSON.parse(await readFile(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const installed = new Set(
    [...files.keys()].map((path) => /^\/usr\/lib\/tallennin\/node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path)?.[1]).filter((name) => name !== undefined),
  );
  for (const name of Object.keys(packageJson.dependencies)) t.ok(installed.has(name), `dependency ${name} is there`);
  const devOnly = Object.entries(lock.packages)
    .filter(([path, entry]) => entry.dev === true && /^node_modules\/(?:@[^/]+\/)?[^/]+$/.test(path))
    .map(([path]) => path.slice('node_modules/'.length));
  t.ok(devOnly.includes('tap') && devOnly.includes('typescript'), 'the lockfile marks development packages');
  const leaked = devOnly.filter((name) => installed.has(name));
  t.same(leaked, [], 'no development package (tap, typescript, eslint...) in node_modules');

  const natives = [...files.keys()].filter((path) => path.endsWith('.node'));
  t.ok(natives.some((path) => path.includes(`/argon2/prebuilds/linux-${nodeArch}/`)), 'argon2 prebuilt for this machine');
  t.ok(natives.some((path) => path.includes(`/@serialport/bindings-cpp/prebuilds/linux-${nodeArch}/`)), 'serialport prebuilt for this machine');
  t.same(natives.filter((path) => !path.includes(`/prebuilds/linux-${nodeArch}/`)), [], 'no binaries for other systems');
  t.same(natives.filter((path) => !path.endsWith('.glibc.node')), [], "only glibc builds (Debian's libc), no musl");

  const leftovers = [...files.keys()].filter((path) =>
    /\/(?:\.eslintrc[^/]*|eslint\.config\.[^/]+|\.npmignore|[^/]*~|[^/]+\.(?:cc|cpp|h)|binding\.gyp)$/.test(path),
  );
  t.same(leftovers, [], 'no development configs, editor backups or C++ sources in node_modules');
  const strayExec = [...files].filter(
    ([path, entry]) => path.startsWith('/usr/lib/tallennin/node_modules/') && entry.mode[0] === '-' && entry.mode[3] === 'x' && !/\.(?:js|cjs|mjs)$|\/bin\/[^/]+$/.test(path),
  );
  t.same(strayExec.map(([path]) => path), [], 'only scripts are executable in node_modules');

  expectMode('/usr/share/doc/tallennin/copyright', '-rw-r--r--');
  expectMode('/usr/share/doc/tallennin/changelog.gz', '-rw-r--r--');
  expectMode('/usr/share/man/man1/tallennin.1.gz', '-rw-r--r--');
  expectMode('/usr/share/man/man8/tallennin-create-master-key.8.gz', '-rw-r--r--');
  expectMode('/usr/share/lintian/overrides/tallennin', '-rw-r--r--');
});

t.test('when the copyright file is read, then every shipped npm package has its licence in it (DEP-5)', async (t) => {
  const unpacked = join(work, 'unpacked');
  t.equal((await run('dpkg-deb', ['-x', deb, unpacked])).code, 0);
  const copyright = await readFile(join(unpacked, 'usr/share/doc/tallennin/copyright'), 'utf8');
  t.match(copyright, /^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/\n/);
  const paragraphs = copyright.split('\n\n');
  const covered = new Map<string, string>();
  for (const paragraph of paragraphs) {
    const files = /^Files: (.+)$/m.exec(paragraph)?.[1];
    if (files === undefined) continue;
    t.match(paragraph, /^Copyright: \S/m, `${files} names its copyright`);
    t.match(paragraph, /^License: \S+\n \S/m, `${files} has a licence with its text`);
    for (const pattern of files.split(' ')) covered.set(pattern, /^License: (\S+)$/m.exec(paragraph)?.[1] ?? '');
  }
  // Every package directory (a package.json right under node_modules/<name> or @scope/<name>,
  // nested ones included) must have its own Files paragraph.
  const listing = (await run('dpkg-deb', ['-c', deb])).stdout;
  const packageDirs = [...listing.matchAll(/\.\/(usr\/lib\/tallennin\/(?:\S*\/)?node_modules\/(?:@[^/\s]+\/)?[^/@\s]+)\/package\.json$/gm)].map(
    (match) => match[1] ?? '',
  );
  t.ok(packageDirs.length > 100, `${packageDirs.length} packages shipped`);
  const missing = packageDirs.filter((dir) => !covered.has(`${dir}/*`));
  t.same(missing, [], 'no shipped package without a Files paragraph');
  covered.delete('*'); // the appliance's own files
  t.same([...new Set(covered.values())].filter((licence) => !['MIT', 'MIT-0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD', 'BlueOak-1.0.0', 'CC0-1.0'].includes(licence)), [], 'permissive licences only');
});

t.test('when the manual page is read, then it carries every command of the CLI help', async (t) => {
  const unpacked = join(work, 'unpacked');
  const page = (await run('gzip', ['-dc', join(unpacked, 'usr/share/man/man1/tallennin.1.gz')])).stdout;
  t.match(page, /^\.TH TALLENNIN "1"/m);
  const help = await run(process.execPath, [join(REPO_ROOT, 'bin/tallennin.js'), '--help']);
  const commands = [...(help.stdout + help.stderr).matchAll(/^ {2}([a-z][a-z-]*(?: [a-z][a-z-]*)?)\b/gm)].map((match) => match[1] ?? '');
  t.ok(commands.length >= 8, `the help lists ${commands.length} commands`);
  const text = page.replace(/\\-/g, '-').replace(/\\f[BIRP]|\\,|\\\//g, '');
  for (const command of commands) t.ok(text.includes(command), `the page has "${command}"`);
  const changelog = (await run('gzip', ['-dc', join(unpacked, 'usr/share/doc/tallennin/changelog.gz')])).stdout;
  const version = (JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  t.match(changelog, new RegExp(`^tallennin \\(${version.replace(/\./g, '\\.')}\\) `), 'the changelog starts at the package version');
});

t.test('when lintian checks the package, then it reports no error and no warning', async (t) => {
  // --no-cfg: no user configuration; the package's own overrides (each with its reason) apply.
  const result = await run('lintian', ['--no-cfg', '--fail-on', 'error,warning', '--tag-display-limit', '0', deb]);
  const tags = (result.stdout + result.stderr).split('\n').filter((line) => /^[EW]: /.test(line));
  t.same(tags, [], 'no E: or W: tag');
  t.equal(result.code, 0, describe(result));
});

t.test('when the package is installed into a fresh root, then the user, the modes and the key instructions are in place', async (t) => {
  const root = join(work, 'root-install');
  await makeDpkgRoot(root);
  const install = await dpkg(root, ['--install', deb]);
  t.equal(install.code, 0, describe(install));
  t.match(install.stderr, /NO MASTER KEY YET[\s\S]*tallennin-create-master-key/, 'says what the administrator must run');
  t.match(install.stdout, /systemctl enable --now tallennin/);

  const user = passwdEntry(await readFile(join(root, 'etc/passwd'), 'utf8'), 'tallennin');
  t.ok(user !== undefined, 'tallennin is in <root>/etc/passwd');
  if (user === undefined) return;
  t.equal(user.shell, '/usr/sbin/nologin');
  t.equal(user.home, '/var/lib/tallennin');
  t.ok(user.uid > 0 && user.uid < 1000, `a system uid (${user.uid})`);
  t.match(await readFile(join(root, 'etc/group'), 'utf8'), new RegExp(`^tallennin:x:${user.gid}:`, 'm'));

  const expectNode = async (path: string, mode: number, uid: number, gid: number): Promise<void> => {
    const info = await stat(join(root, path));
    t.equal(info.mode & 0o7777, mode, `${path} mode ${mode.toString(8)}`);
    t.equal(info.uid, uid, `${path} uid ${uid}`);
    t.equal(info.gid, gid, `${path} gid ${gid}`);
  };
  await expectNode('etc/tallennin/config.json', 0o640, 0, user.gid);
  await expectNode('etc/tallennin', 0o750, 0, user.gid);
  await expectNode('etc/tallennin/tls', 0o750, 0, user.gid);
  await expectNode('var/lib/tallennin', 0o700, user.uid, user.gid);
  await expectNode('etc/credstore.encrypted', 0o700, 0, 0);
  t.notOk(existsSync(join(root, 'etc/credstore.encrypted/tallennin-master-key')), 'no key is sealed for another root');
  t.ok(existsSync(join(root, 'lib/systemd/system/tallennin.service')));
  t.ok((await lstat(join(root, 'usr/bin/tallennin'))).isSymbolicLink());
  t.equal(await readlink(join(root, 'usr/bin/tallennin')), '../lib/tallennin/bin/tallennin.js');
});

t.test('when the installed service is started from the root with a key, then it starts and stops cleanly', async (t) => {
  const root = join(work, 'root-start');
  await makeDpkgRoot(root);
  const install = await dpkg(root, ['--install', deb]);
  t.equal(install.code, 0, describe(install));
  const credentials = join(work, 'credentials');
  await mkdir(credentials, { recursive: true });
  await writeFile(join(credentials, 'tallennin-master-key'), Buffer.alloc(32, 7), { mode: 0o600 });
  await chmod(join(credentials, 'tallennin-master-key'), 0o600);

  // The installed configuration, but the web UI on a free loopback port rather than the LAN's 8443.
  const installed = JSON.parse(await readFile(join(root, 'etc/tallennin/config.json'), 'utf8')) as Record<string, unknown>;
  const configFile = join(work, 'start-config.json');
  await writeFile(configFile, JSON.stringify({ ...installed, dataDir: join(work, 'data'), http: { host: '127.0.0.1', port: 0 } }));

  const child = spawn(
    process.execPath,
    [join(root, 'usr/lib/tallennin/bin/tallennin.js'), 'start', '--config', configFile],
    { env: { PATH: process.env.PATH, CREDENTIALS_DIRECTORY: credentials }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  const started = await new Promise<boolean>((resolveStarted) => {
    const deadline = setTimeout(() => resolveStarted(false), 30_000);
    const check = (): void => {
      if (log.includes('service started')) {
        clearTimeout(deadline);
        resolveStarted(true);
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', () => {
      clearTimeout(deadline);
      resolveStarted(false);
    });
  });
  if (!started) t.comment(log);
  t.ok(started, 'the installed service logged its start');
  t.match(log, /"keySource":"credential"/, 'the key came from the credential directory');
  t.match(log, /"msg":"web UI listening"/, 'the HTTPS server is up');
  // The web UI is what the first administrator opens: the page and its script answer 200.
  const port = Number(/"msg":"web UI listening"[^\n]*"port":(\d+)/.exec(log)?.[1]);
  const page = await httpsGet(port, '/');
  t.equal(page.status, 200, 'GET / answers 200');
  t.match(page.body, /<title>Tallennin<\/title>/, 'with the web UI page');
  t.equal((await httpsGet(port, '/app.js')).status, 200, 'GET /app.js answers 200');
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) t.comment(log);
  t.equal(code, 0, 'a clean stop on SIGTERM');
});

t.test('when the package is installed again over an edited configuration, then the edit is kept', async (t) => {
  const root = join(work, 'root-upgrade');
  await makeDpkgRoot(root);
  t.equal((await dpkg(root, ['--install', deb])).code, 0);
  const config = join(root, 'etc/tallennin/config.json');
  const edited = (await readFile(config, 'utf8')).replace('"recordedServiceNumbers": []', '"recordedServiceNumbers": ["020 123 4567"]');
  t.match(edited, /020 123 4567/);
  await writeFile(config, edited);
  await writeFile(join(root, 'var/lib/tallennin/planted-recording'), 'kept');

  // The administrator enabled the service (what `systemctl enable` makes).
  const wants = join(root, 'etc/systemd/system/multi-user.target.wants/tallennin.service');
  await mkdir(join(root, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
  await symlink('/lib/systemd/system/tallennin.service', wants);

  const again = await dpkg(root, ['--install', deb]);
  t.equal(again.code, 0, describe(again));
  t.ok((await lstat(wants)).isSymbolicLink(), 'an upgrade keeps the enablement');
  t.match(
    await readFile(join(root, 'var/lib/systemd/deb-systemd-helper-enabled/tallennin.service.dsh-also'), 'utf8'),
    /multi-user\.target\.wants\/tallennin\.service/,
    'deb-systemd-helper knows the link, so a purge removes it',
  );
  t.equal(await readFile(config, 'utf8'), edited);
  t.equal((await stat(config)).mode & 0o777, 0o640);
  t.equal(await readFile(join(root, 'var/lib/tallennin/planted-recording'), 'utf8'), 'kept');
  t.notMatch(again.stdout, /Next: edit/, 'an upgrade does not greet as a fresh install');
  const purge = await dpkg(root, ['--purge', 'tallennin']);
  t.equal(purge.code, 0, describe(purge));
  t.notOk(existsSync(wants), 'purge removes the enablement');
});

t.test('when the package is removed and then purged, then the recordings and the key survive both', async (t) => {
  const root = join(work, 'root-remove');
  await makeDpkgRoot(root);
  t.equal((await dpkg(root, ['--install', deb])).code, 0);
  const planted = join(root, 'var/lib/tallennin/recordings/planted.rec');
  const credential = join(root, 'etc/credstore.encrypted/tallennin-master-key');
  await mkdir(join(root, 'var/lib/tallennin/recordings'), { recursive: true });
  await writeFile(planted, 'a recording');
  await writeFile(credential, 'sealed key', { mode: 0o600 });
  await writeFile(join(root, 'etc/tallennin/tls/cert.pem'), 'certificate');

  const remove = await dpkg(root, ['--remove', 'tallennin']);
  t.equal(remove.code, 0, describe(remove));
  // deb-systemd-helper masks a removed package's unit, as debhelper's postrm does.
  t.equal(await readlink(join(root, 'etc/systemd/system/tallennin.service')), '/dev/null', 'remove masks the unit');
  t.notOk(existsSync(join(root, 'usr/lib/tallennin/bin/tallennin.js')), 'the program is gone');
  t.notOk(existsSync(join(root, 'lib/systemd/system/tallennin.service')), 'the unit is gone');
  t.ok(existsSync(join(root, 'etc/tallennin/config.json')), 'remove keeps the configuration');
  t.equal(await readFile(planted, 'utf8'), 'a recording');
  t.equal(await readFile(credential, 'utf8'), 'sealed key');
  t.match(remove.stderr, /KEPT in \/var\/lib\/tallennin/);

  const purge = await dpkg(root, ['--purge', 'tallennin']);
  t.equal(purge.code, 0, describe(purge));
  t.notOk(existsSync(join(root, 'etc/tallennin')), 'purge removes the configuration and the TLS pair');
  t.notOk(existsSync(join(root, 'etc/systemd/system/tallennin.service')), 'purge unmasks the unit');
  t.equal(await readFile(planted, 'utf8'), 'a recording', 'purge keeps the recordings');
  t.equal(await readFile(credential, 'utf8'), 'sealed key', 'purge keeps the key');
  t.match(purge.stderr, /KEPT in \/var\/lib\/tallennin[\s\S]*TALLENNIN_PURGE_DATA=yes dpkg --purge tallennin/);
  t.ok(passwdEntry(await readFile(join(root, 'etc/passwd'), 'utf8'), 'tallennin'), 'the user stays, so files keep their owner');
});

t.test('when the package is purged with TALLENNIN_PURGE_DATA=yes, then the key and the data are destroyed', async (t) => {
  const root = join(work, 'root-purge-data');
  await makeDpkgRoot(root);
  t.equal((await dpkg(root, ['--install', deb])).code, 0);
  await writeFile(join(root, 'var/lib/tallennin/planted.rec'), 'a recording');
  await writeFile(join(root, 'etc/credstore.encrypted/tallennin-master-key'), 'sealed key');

  const purge = await dpkg(root, ['--purge', 'tallennin'], { TALLENNIN_PURGE_DATA: 'yes' });
  t.equal(purge.code, 0, describe(purge));
  t.notOk(existsSync(join(root, 'etc/credstore.encrypted/tallennin-master-key')));
  t.notOk(existsSync(join(root, 'var/lib/tallennin')));
  t.match(purge.stderr, /destroyed the master key/);
});
