/** `tallennin start --config FILE`: the service as systemd runs it. */
import { resolveConfig } from './resolve-config.js';
import { startAppliance, type Appliance } from '../main.js';
import { EXIT_OK } from './exit-codes.js';
import type { CliOptions } from './tallennin.js';

export async function runStart(options: CliOptions, _none: void): Promise<number> {
  const config = await resolveConfig(options);
  const appliance = await startAppliance(config);
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
