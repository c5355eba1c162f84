/**
 * The systemd unit, its LAN drop-in example, and the sysusers/tmpfiles/udev files beside it,
 * checked with systemd's own tools (systemd-analyze) and against each other.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';
import { describe, run, SYSTEMD_DIR } from './support/commands.js';

const UNIT = join(SYSTEMD_DIR, 'tallennin.service');
const LAN_EXAMPLE = join(SYSTEMD_DIR, 'tallennin.service.d/lan.conf.example');
const MAX_EXPOSURE = 1.5;

/** The exposure systemd-analyze security printed for tallennin.service, e.g. 1.3. */
function exposureOf(output: string): number {
  const match = /Overall exposure level for tallennin\.service: (\d+(?:\.\d+)?)/.exec(output);
  if (match === null) throw new Error(`no exposure level in:\n${output}`);
  return Number(match[1]);
}

/** `Key=value` lines of a unit file, in order (comments and sections dropped). */
function settings(unitText: string): [string, string][] {
  return unitText
    .split('\n')
    .filter((line) => /^[A-Za-z]+=/.test(line))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    });
}

/** A unit directory in a temp folder with the LAN example enabled as a real drop-in. */
async function unitWithLanDropIn(dir: string): Promise<string> {
  await mkdir(join(dir, 'tallennin.service.d'), { recursive: true });
  await copyFile(UNIT, join(dir, 'tallennin.service'));
  const example = await readFile(LAN_EXAMPLE, 'utf8');
  await writeFile(join(dir, 'tallennin.service.d/lan.conf'), example.replace(/^#IPAddressAllow=/gm, 'IPAddressAllow='));
  return join(dir, 'tallennin.service');
}

t.test('when systemd-analyze scores the unit offline, then its exposure is at most 1.5', async (t) => {
  const result = await run('systemd-analyze', ['security', '--offline=yes', UNIT]);
  t.equal(result.code, 0, describe(result));
  const exposure = exposureOf(result.stdout + result.stderr);
  t.ok(exposure <= MAX_EXPOSURE, `exposure ${exposure} <= ${MAX_EXPOSURE}`);
  // The same bound through the tool's own threshold (in tenths), which fails with exit 1 above it.
  const threshold = await run('systemd-analyze', ['security', '--offline=yes', `--threshold=${MAX_EXPOSURE * 10}`, UNIT]);
  t.equal(threshold.code, 0, describe(threshold));
});

t.test('when systemd-analyze verifies the unit, then it reports nothing', async (t) => {
  const result = await run('systemd-analyze', ['verify', UNIT]);
  t.equal(result.code, 0, describe(result));
  t.equal(result.stdout + result.stderr, '', 'no warning at all');
});

t.test('when a copy of the unit has a key systemd does not know, then verify names it', async (t) => {
  // The check above relies on verify's output (it exits 0 on warnings); this shows it speaks up.
  const dir = t.testdir();
  const broken = join(dir, 'tallennin.service');
  await writeFile(broken, (await readFile(UNIT, 'utf8')).replace('[Service]\n', '[Service]\nWatchdogSecs=30s\n'));
  const result = await run('systemd-analyze', ['verify', broken]);
  t.match(result.stdout + result.stderr, /Unknown key name 'WatchdogSecs'|Unknown key 'WatchdogSecs'/);
});

t.test('when the LAN example is enabled as a drop-in, then verify is clean and the exposure stays at most 1.5', async (t) => {
  const unit = await unitWithLanDropIn(t.testdir());
  const verify = await run('systemd-analyze', ['verify', unit]);
  t.equal(verify.stdout + verify.stderr, '', describe(verify));
  const security = await run('systemd-analyze', ['security', '--offline=yes', unit]);
  const output = security.stdout + security.stderr;
  t.match(output, /IP address allow list with non-localhost entries/, 'the drop-in was read');
  t.ok(exposureOf(output) <= MAX_EXPOSURE, `exposure ${exposureOf(output)} <= ${MAX_EXPOSURE}`);
});

t.test('when the unit is read, then it runs the packaged CLI as the tallennin user with its key and its sandbox', async (t) => {
  const unit = settings(await readFile(UNIT, 'utf8'));
  const value = (key: string): string[] => unit.filter(([k]) => k === key).map(([, v]) => v);
  t.same(value('ExecStart'), ['/usr/bin/node --max-semi-space-size=2 /usr/lib/tallennin/bin/tallennin.js start --config /etc/tallennin/config.json']);
  t.same(value('Environment'), ['MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072'], 'two malloc arenas for every thread, large blocks given back when freed (docs/benchmarks.md)');
  t.same(value('Type'), ['notify']);
  t.same(value('NotifyAccess'), ['all'], 'systemd-notify runs as a child of the service');
  t.same(value('WatchdogSec'), ['30s']);
  t.same(value('User'), ['tallennin']);
  t.same(value('Group'), ['tallennin']);
  t.same(value('DynamicUser'), [], 'a fixed user: the data must keep its owner');
  t.same(value('StateDirectory'), ['tallennin']);
  t.same(value('StateDirectoryMode'), ['0700']);
  t.same(value('LoadCredentialEncrypted'), ['tallennin-master-key:/etc/credstore.encrypted/tallennin-master-key']);
  t.same(value('Restart'), ['on-failure']);
  t.same(value('RestartPreventExitStatus'), ['2 3'], 'no restart loop on a bad config or a missing key');
  t.same(value('DevicePolicy'), ['closed']);
  t.same(value('DeviceAllow'), ['char-166 rw', 'char-188 rw'], 'the ttyACM major (the bridge) and the ttyUSB major (the OSDP reader\'s RS-485 adapter), by number (see the next test)');
  t.same(value('SupplementaryGroups'), ['dialout'], 'udev gives USB serial adapters to the dialout group');
  t.same(value('IPAddressDeny'), ['any']);
  t.same(value('IPAddressAllow'), ['localhost']);
  t.same(value('MemoryDenyWriteExecute'), [], "V8's JIT needs writable-then-executable pages");
  t.same(value('CapabilityBoundingSet'), ['']);
  t.same(value('SystemCallFilter'), ['@system-service @pkey', '~@privileged @resources', 'sched_setscheduler setpriority'], 'only two calls back from @resources: the hashing worker lowers its own priority');
  t.same(value('RestrictRealtime'), ['yes'], 'no realtime policy: the hashing worker needs only SCHED_BATCH, which stays allowed');
  t.same(value('SystemCallErrorNumber'), ['EPERM'], 'a refused call fails, it does not kill the recorder');
  t.same(value('UMask'), ['0077']);
  t.same(value('ReadWritePaths'), [], 'nothing outside the state directory is writable');
  t.same(value('ProtectSystem'), ['strict']);
});

t.test('when the unit allows the bridge, then the rule holds whether or not cdc_acm was loaded at start', async (t) => {
  // systemd resolves a name (char-ttyACM) through /proc/devices when the service starts; before
  // the cdc_acm driver is loaded the name is not there and the rule allows nothing, so a bridge
  // plugged in later gives EPERM. A number is used as it is: no lookup, nothing to miss.
  const unit = settings(await readFile(UNIT, 'utf8'));
  const allowed = unit.filter(([key]) => key === 'DeviceAllow').map(([, v]) => v);
  t.ok(allowed.length > 0, 'the unit allows a device');
  for (const rule of allowed) t.match(rule, /^(?:char|block)-\d+ [rwm]+$/, `${rule}: a major number, not a name from /proc/devices`);
  // 166 is the major that Linux reserves for USB ACM serial ports (Documentation/admin-guide/
  // devices.txt); where the driver is loaded, /proc/devices must say the same.
  const devices = await readFile('/proc/devices', 'utf8');
  const acm = /^\s*(\d+) ttyACM$/m.exec(devices)?.[1];
  if (acm !== undefined) t.equal(acm, '166', 'the running kernel agrees');
  const verify = await run('systemd-analyze', ['verify', UNIT]);
  t.equal(verify.stdout + verify.stderr, '', 'systemd takes the numeric form without a word');
});

t.test('when the sysusers, tmpfiles and udev files are read together, then they agree on the user, the modes and the bridge', async (t) => {
  const sysusers = await readFile(join(SYSTEMD_DIR, 'sysusers.d/tallennin.conf'), 'utf8');
  t.match(sysusers, /^u\s+tallennin\s+-\s+"[^"]+"\s+\/var\/lib\/tallennin\s+\/usr\/sbin\/nologin$/m);

  const tmpfiles = (await readFile(join(SYSTEMD_DIR, 'tmpfiles.d/tallennin.conf'), 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.trim().split(/\s+/));
  const entry = (path: string): string[] | undefined => tmpfiles.find((fields) => fields[1] === path);
  t.same(entry('/etc/tallennin/config.json'), ['z', '/etc/tallennin/config.json', '0640', 'root', 'tallennin', '-']);
  t.same(entry('/var/lib/tallennin'), ['d', '/var/lib/tallennin', '0700', 'tallennin', 'tallennin', '-']);
  t.same(entry('/etc/credstore.encrypted'), ['d', '/etc/credstore.encrypted', '0700', 'root', 'root', '-']);
  t.same(entry('/etc/tallennin/tls'), ['d', '/etc/tallennin/tls', '0750', 'root', 'tallennin', '-']);

  const rules = (await readFile(join(SYSTEMD_DIR, 'udev/99-tallennin-bridge.rules'), 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  t.equal(rules.length, 1, 'one rule: the one place for the USB id');
  const rule = rules[0] ?? '';
  t.match(rule, /SUBSYSTEM=="tty"/);
  t.match(rule, /ATTRS\{idVendor\}=="1209"/);
  t.match(rule, /ATTRS\{idProduct\}=="7a11"/);
  t.match(rule, /GROUP="tallennin"/);
  t.match(rule, /MODE="0660"/);
  t.match(rule, /TAG\+="systemd"/);

  const config = parseConfig(JSON.parse(await readFile(join(SYSTEMD_DIR, 'debian/config.json'), 'utf8')));
  const symlink = /SYMLINK\+="([^"]+)"/.exec(rule)?.[1];
  t.equal(config.bridge.path, `/dev/${symlink ?? ''}`, "the packaged config opens the udev rule's name");
  t.equal(config.mode, 'production');
  t.equal(config.dataDir, '/var/lib/tallennin');
  t.equal(config.http.port, 8443);
});
