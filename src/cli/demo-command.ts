/**
 * `tallennin demo`: the whole appliance on one machine. The firmware's host build plays the
 * telephony card on a pseudo-terminal (a built-in scenario of calls with Finnish speech, played
 * again and again on the same link while the demo runs, so the box looks as healthy as a real
 * one), and the service records into a local data directory with a generated demo key.
 * `--faults` plays the same calls with link faults (garbage, bad CRCs, lost and repeated frames,
 * a 3 s outage) to show how the box reports them. What a new user needs next is printed at start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppliance } from '../main.js';
import { createLogger } from '../log.js';
import { DEMO_SWITCHBOARD_NUMBER, demoConfig } from './demo-config.js';
import { seedDemoHistory } from './seed-demo-history.js';
import { printSetupToken, untilStopSignal } from './start-command.js';
import { EXIT_OK } from './exit-codes.js';
import { UsageError, type CliOptions } from './tallennin.js';
import { parseSeedHistory, type SeedHistoryPlan } from '../history/seed-history.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDemoDoorController } from './demo-door-controller.js';
import { startDemoReader } from '../doors/osdp/demo-reader.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIRMWARE_DIR = resolve(REPO_ROOT, 'firmware-bridge');
export const BRIDGE_SIM = resolve(FIRMWARE_DIR, 'build/host/tallennin-bridge-sim');
export const DEMO_SCENARIO = resolve(FIRMWARE_DIR, 'scenarios/demo/demo.scenario');
export const FAULTS_SCENARIO = resolve(FIRMWARE_DIR, 'scenarios/demo/faults.scenario');
export const DEFAULT_DEMO_PORT = 8443;
/** Before a new simulator, if the one running exits (it never ends on its own: --repeat). */
const SIMULATOR_RESTART_MS = 5_000;

export async function runDemo(options: CliOptions, _none: void): Promise<number> {
  const dataDir = resolve(options['data-dir'] ?? 'demo-data');
  const speed = options.speed === undefined ? 1 : Number(options.speed);
  if (!Number.isFinite(speed) || speed <= 0 || speed > 100) throw new UsageError('--speed must be a number between 0 and 100');
  const port = options.port === undefined ? DEFAULT_DEMO_PORT : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number (0-65535)');
  const seedPlan = options['seed-history'] === undefined ? undefined : parseSeedPlan(options['seed-history']);
  ensureBridgeBuilt();

  const config = demoConfig(dataDir, port);
  const logger = createLogger({ level: config.log.level });
  // Before the service starts, so its history index is built over the seeded days too.
  const seeded = seedPlan === undefined ? undefined : await seedDemoHistory(config, seedPlan, DEMO_SWITCHBOARD_NUMBER, logger);
  const appliance = await startAppliance(config, { logger });
  printBanner(dataDir, appliance.storage.masterKey.generated || seeded?.keyGenerated === true, appliance.web.address.port, options.faults === true);
  if (seeded !== undefined) {
    process.stdout.write(
      `  Contact history seeded: ${seeded.records} synthetic records over ${seeded.days} days` +
        `${seeded.skippedDays > 0 ? ` (${seeded.skippedDays} days already there, left as they were)` : ''};` +
        ` calls to the switchboard, so not recorded.\n\n`,
    );
  }
  printSetupToken(appliance);

  let sim: ChildProcess | undefined;
  let stopped = false;
  const runScenario = (): void => {
    if (stopped) return;
    // --repeat: one card, one link, the scenario over and over; a restart after every pass
    // would drop the link each time and fill the System view with alarms of a box that is fine.
    sim = spawn(BRIDGE_SIM, ['--scenario', options.faults === true ? FAULTS_SCENARIO : DEMO_SCENARIO, '--repeat', '--link', config.bridge.path, '--wait-hello', '--speed', String(speed), '--quiet'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    sim.on('exit', () => {
      if (!stopped) setTimeout(runScenario, SIMULATOR_RESTART_MS).unref();
    });
  };
  runScenario();
  // A simulated door controller posts signed door events: presence shows within a minute. Not
  // awaited here: the stop signal's handler must be in place at once.
  const demoReader = startDemoReader(join(dataDir, 'osdp'), logger.child('demo-reader')).catch(() => {
    logger.warn('the demo OSDP reader did not start (it needs socat: apt-get install socat)');
    return undefined;
  });
  const doorController = readFile(join(dataDir, 'tls', 'self-signed-cert.pem'), 'utf8')
    .then(async (ca) => {
      const reader = await demoReader;
      const source = reader?.sourceConfig;
      return startDemoDoorController({
        settings: appliance.doors.settings,
        port: appliance.web.address.port,
        ca,
        logger: logger.child('demo-doors'),
        ...(source?.scbk === undefined ? {} : { reader: { devicePath: source.devicePath, address: source.address ?? 0, scbk: source.scbk } }),
      });
    })
    .catch(() => {
      logger.warn('the demo door controller did not start');
      return undefined;
    });

  await untilStopSignal(appliance, async () => {
    stopped = true;
    (await doorController)?.stop();
    await (await demoReader)?.stop();
    if (sim !== undefined && sim.exitCode === null) {
      const exited = new Promise((resolveExit) => sim?.once('exit', resolveExit));
      sim.kill('SIGTERM');
      await exited;
    }
  });
  return EXIT_OK;
}

function parseSeedPlan(text: string): SeedHistoryPlan {
  try {
    return parseSeedHistory(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function ensureBridgeBuilt(): void {
  if (existsSync(BRIDGE_SIM)) return;
  const build = spawnSync('make', ['-s', '-C', FIRMWARE_DIR, 'host'], { stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(BRIDGE_SIM)) throw new UsageError('could not build the firmware host build: run make -C firmware-bridge host');
}

function printBanner(dataDir: string, keyGenerated: boolean, port: number, faults: boolean): void {
  const self = 'node bin/tallennin.js';
  process.stdout.write(`
Tallennin demo is recording.
  WARNING: demo mode. The master key is a plain file (${dataDir}/demo-master.key)${keyGenerated ? ', generated just now' : ''}.
  A real box reads it from an encrypted systemd credential. Never use demo mode for real calls.

  The simulated card plays a scenario of calls with Finnish speech every ~15 s, on one steady link.
  A simulated door controller badges people in and out of the server room, and a simulated
  OSDP card reader at the listening room's door is read by the box (Server room view).
${faults ? '  --faults: the link also gets garbage, bad CRCs, lost and repeated frames and a 3 s outage\n  every pass: see the System view (a box without --faults shows none of these).\n' : '  To see how faults on the link are reported: tallennin demo --faults\n'}  Data directory: ${dataDir}
  Web UI: https://localhost:${port}/  (self-signed certificate: the browser asks you to accept it)

Next, in another terminal:
  ${self} recordings list --data-dir ${dataDir}
  ${self} recordings verify --all --data-dir ${dataDir}
  ${self} recordings export-wav <ID> --out call.wav --data-dir ${dataDir}   (then: play call.wav)
  ${self} purge --dry-run --data-dir ${dataDir}

Stop with Ctrl-C: calls in progress are sealed as interrupted.
`);
}
