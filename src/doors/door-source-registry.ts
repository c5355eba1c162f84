/**
 * How a configured source becomes a running adapter: one factory per kind. The OSDP reader's
 * adapter (src/doors/osdp/) adds its factory here under `osdp`; a kind without a factory is
 * shown in the System view as down, with the reason, and takes no events.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { DoorEventSource, DoorSourceKind } from './door-event-source.js';
import type { DoorSourceConfig } from './door-settings.js';
import { PullSource } from './pull-source.js';
import { WebhookSource } from './webhook-source.js';

export interface DoorSourceContext {
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

export type DoorSourceFactory = (config: DoorSourceConfig, context: DoorSourceContext) => DoorEventSource;

export const DOOR_SOURCE_FACTORIES: Partial<Record<DoorSourceKind, DoorSourceFactory>> = {
  webhook: (config, context) => new WebhookSource(config, context.clock),
  pull: (config, context) => new PullSource({ config, dataDir: context.dataDir, logger: context.logger, now: () => context.clock.now() }),
};
