/** `tallennin disclosure verify` refuses what it cannot check with a clear message and exit code. */
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/service-process.js';

// A hang guard, not a speed target: the CLI runs, scrypt (age) and argon2 are CPU-bound, and a
// busy machine takes minutes over what an idle one does in seconds.
t.setTimeout(600_000);

t.test('when disclosure verify is called wrongly, then it says how to call it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-disclosure-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'bundle.tar.age');
  await writeFile(file, 'not age');
  const cases: Array<[string[], number, RegExp]> = [
    [['disclosure'], 2, /unknown disclosure command \(none\): verify/],
    [['disclosure', 'verify'], 2, /name the bundle/],
    [['disclosure', 'verify', dir, 'extra'], 2, /unexpected argument "extra"/],
    [['disclosure', 'verify', join(dir, 'none')], 4, /BUNDLE_NOT_FOUND/],
    [['disclosure', 'verify', file], 2, /--passphrase-file/],
  ];
  for (const [args, code, message] of cases) {
    const result = await runCli(args);
    t.equal(result.code, code, args.join(' '));
    t.match(result.stderr, message, args.join(' '));
  }
  await writeFile(join(dir, 'pass'), 'a passphrase long enough');
  const damaged = await runCli(['disclosure', 'verify', file, '--passphrase-file', join(dir, 'pass')]);
  t.equal(damaged.code, 1, 'a file that is not an age file fails the check');
  t.match(damaged.stdout, /bundle FAILED:\n {2}the bundle cannot be opened/);
  const empty = await runCli(['disclosure', 'verify', dir]);
  t.equal(empty.code, 1, 'a directory that is no bundle');
  t.match(empty.stdout, /SHA256SUMS: missing/);
});
