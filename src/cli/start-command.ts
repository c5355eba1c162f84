/** `tallennin start --config FILE`: the service as systemd runs it. */
import { resolveConfig } from './resolve-config.js';
import { startAppliance, type Appliance } from '../main.js';
import { EXIT_OK } from './exit-codes.js';
import type { CliOptions } from './tallennin.js';

export async function runStart(options: CliOptions, _none: void): Promise<number> {
  const config = await resolveConfig(options);
  const appliance = await startAppliance(config);
  printSetupToken(appliance);
  await untilStopSignal(appliance);
  return EXIT_OK;
}

/** Resolves after SIGTERM/SIGINT has stopped the appliance cleanly (calls sealed as interrupted). */
export function untilStopSignal(appliance: Appliance, beforeStop?: () => Promise<void>): Promise<void> {
  return new Promise((resolveStopped) => {
    const onSignal = (): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      void (async () => {
        await beforeStop?.();
        await appliance.stop();
        resolveStopped();
      })();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** No default password: until the first administrator exists, the service prints how to create one. */
export function printSetupToken(appliance: Appliance): void {
  if (appliance.setupToken === undefined) return;
  process.stdout.write(
    `No user exists yet. Open https://<this box>:${appliance.web.address.port}/ and create the first administrator\n` +
      `with this one-time setup token (valid 24 h; \`tallennin setup-token\` issues a new one):\n\n    ${appliance.setupToken}\n\n`,
  );
}
