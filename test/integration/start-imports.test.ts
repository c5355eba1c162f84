/**
 * What `tallennin start` loads: the packages a running box uses rarely (PDF reports, QR codes,
 * disclosure bundles, the anonymiser's matrix code, alarm delivery by e-mail and SNMP, making a
 * certificate, the breached-password list, the native serial binding) are loaded when first
 * used, so a service that runs for months does not carry them (docs/benchmarks.md, "Where the
 * memory goes"). The built service runs as systemd runs it, with a preloaded hook that logs
 * every module the loader resolves, in the main thread and in the capture thread.
 */
import t from 'tap';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCommand, writeConfig } from './support/service-process.js';
import { loadTlsMaterial } from '../../src/http/tls-certificate.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';

const RECORDER = fileURLToPath(new URL('./support/import-recorder.mjs', import.meta.url));

/** Packages a start must not load: each is loaded by the feature that needs it. */
const LOADED_ON_FIRST_USE = ['pdfkit', 'qrcode', 'age-encryption', 'tar', 'ml-matrix', 'nodemailer', 'net-snmp', '@peculiar/x509', 'reflect-metadata', '@zxcvbn-ts/language-common', 'serialport', '@serialport/bindings-cpp'];

/** The package a resolved file: URL belongs to ('@scope/name' or 'name'), or undefined for our own files and node's. */
function packageOf(url: string): string | undefined {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return match?.[1];
}

t.test('when the service starts and stops, then none of the rarely used packages is loaded, in any thread', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-start-imports-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  // A box that has started before: its certificate exists (making one is a first start's work).
  await loadTlsMaterial({ dataDir, clock: systemClock, logger: silentLogger });
  const config = await writeConfig(dir, { mode: 'demo', dataDir, bridge: { path: join(dir, 'no-bridge') }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'info' } });
  const importLog = join(dir, 'imports.log');
  const service = startCommand(['start', '--config', config], { nodeArgs: ['--import', RECORDER], env: { ...process.env, TALLENNIN_IMPORT_LOG: importLog } });
  t.teardown(() => service.stop());
  await service.waitForLog((line) => line.msg === 'service started', 60_000);
  t.equal(await service.stop(), 0, 'the service stopped cleanly');

  const resolved = (await readFile(importLog, 'utf8')).split('\n').filter(Boolean);
  const packages = new Set(resolved.map(packageOf).filter((name): name is string => name !== undefined));
  // The log is real: the service's own modules and the packages every start needs are in it.
  t.ok(resolved.some((url) => url.endsWith('/dist/main.js')), 'the service itself was logged');
  t.ok(resolved.some((url) => url.endsWith('/dist/capture-thread/capture-engine.js')), 'the capture thread was logged');
  for (const needed of ['express', 'zod', 'lowdb']) t.ok(packages.has(needed), `${needed} is loaded at start`);
  for (const name of LOADED_ON_FIRST_USE) t.notOk(packages.has(name), `${name} is not loaded by a start`);
  t.notOk(resolved.some((url) => url.endsWith('/dist/cli/demo-command.js')), "the demo's command is not loaded by `tallennin start`");
});
