/**
 * The README's test command on a fresh machine: `npm test` first runs test/support/system-deps.sh
 * (npm's pretest), which installs the Debian packages the suite needs when run as root and
 * otherwise names the one apt line to run. .ci/run calls exactly that command.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { describe, REPO_ROOT, run } from './support/commands.js';

const SCRIPT = join(REPO_ROOT, 'test/support/system-deps.sh');

/** The script as an unprivileged user (nobody when the tests run as root, as in CI). */
function asUser(args: string[], env: NodeJS.ProcessEnv = {}): ReturnType<typeof run> {
  const environment = { ...process.env, ...env };
  if (process.getuid?.() === 0) {
    return run('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', SCRIPT, ...args], { env: environment });
  }
  return run('sh', [SCRIPT, ...args], { env: environment });
}

t.test('when npm test runs, then the system packages are checked before lint, build and tests', async (t) => {
  const scripts = (JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  t.equal(scripts.pretest, 'sh test/support/system-deps.sh', 'npm runs pretest before test');
});

t.test('when .ci/run runs, then it calls npm ci and then exactly the README test command', async (t) => {
  const ci = await readFile(join(REPO_ROOT, '.ci/run'), 'utf8');
  const commands = ci.split('\n').filter((line) => /^\s*(?:if !\s*)?npm /.test(line) || /\bnpm (?:ci|test)\b/.test(line));
  t.ok(commands.some((line) => /\bnpm ci\b/.test(line)), 'npm ci');
  t.ok(commands.some((line) => /\bnpm test\b/.test(line)), 'npm test');
  t.notMatch(ci, /apt-get install/, 'no package list of its own: the test command has it');
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  t.match(readme, /npm test/, 'the README names the test command');
});

t.test('when every package is installed, then the check passes quietly, as root or not', async (t) => {
  // This machine runs the suite, so the pretest has already made sure of the packages.
  const result = await asUser([]);
  t.equal(result.code, 0, describe(result));
  t.equal(result.stderr, '');
});

t.test('when packages are missing and the user is not root, then it prints the one apt line and fails', async (t) => {
  // A dpkg database with nothing installed: a fresh machine as dpkg itself sees it.
  const admindir = t.testdir({ status: '', available: '', info: {}, updates: {}, triggers: {} });
  const result = await asUser(['boot'], { DPKG_ADMINDIR: admindir });
  t.equal(result.code, 1, describe(result));
  const line = /^ {2}sudo apt-get install --no-install-recommends (.+)$/m.exec(result.stderr)?.[1]?.split(' ') ?? [];
  for (const name of ['chromium', 'sox', 'lintian', 'help2man', 'build-essential', 'gcc-arm-none-eabi', 'debootstrap', 'systemd-container']) {
    t.ok(line.includes(name), `the apt line names ${name}`);
  }
  t.equal(result.stdout, '', 'nothing else is printed');
});

t.test('when the script is given an argument it does not know, then it says so', async (t) => {
  const result = await asUser(['everything']);
  t.equal(result.code, 2);
  t.match(result.stderr, /unknown argument everything/);
});
