/**
 * How a configured source becomes a running adapter: one factory per kind (the webhook, the pull
 * feed, the box's own OSDP reader in src/doors/osdp/); a kind without a factory is shown in the
 * System view as down, with the reason, and takes no events.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { DoorEventSource, DoorSourceKind } from './door-event-source.js';
import type { DoorSourceConfig } from './door-settings.js';
import { PullSource } from './pull-source.js';
import { WebhookSource } from './webhook-source.js';
import { createOsdpSource } from './osdp/osdp-source.js';
import { AppError } from '../errors.js';

export interface DoorSourceContext {
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

export type DoorSourceFactory = (config: DoorSourceConfig, context: DoorSourceContext) => DoorEventSource;

export const DOOR_SOURCE_FACTORIES: Partial<Record<DoorSourceKind, DoorSourceFactory>> = {
  webhook: (config, context) => new WebhookSource(config, context.clock),
  pull: (config, context) => new PullSource({ config, dataDir: context.dataDir, logger: context.logger, now: () => context.clock.now() }),
  osdp: (config, context) => {
    const reader = config.osdp;
    if (reader === undefined) throw new AppError('VALIDATION_FAILED', 'an OSDP source needs its reader (osdp)');
    return createOsdpSource(
      {
        id: config.id,
        name: config.name,
        doors: config.doors,
        devicePath: reader.devicePath,
        baudRate: reader.baudRate,
        address: reader.address,
        secureChannel: reader.secureChannel,
        installMode: reader.installMode,
        ...(reader.direction === undefined ? {} : { direction: reader.direction }),
        ...(config.secret === undefined ? {} : { scbk: config.secret }),
      },
      { clock: context.clock, logger: context.logger },
    );
  },
};
