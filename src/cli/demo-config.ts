/**
 * The demo's configuration: a local data directory, the firmware's host build as the card, and
 * a small fictional service desk. Everything else is the production default.
 */
import { join } from 'node:path';
import { parseConfig } from '../config/load-config.js';
import { DEMO_REGISTER_IDENTITY, type Config } from '../config/config-schema.js';

/**
 * The desk's switchboard: its calls get a contact record but no recording (P4), as in the demo
 * scenario; a seeded history (`--seed-history`) is made of such calls.
 */
export const DEMO_SWITCHBOARD_NUMBER = '09 1234 5678';

export function demoConfig(dataDir: string, port: number): Config {
  return parseConfig({
    mode: 'demo',
    dataDir,
    bridge: { path: join(dataDir, 'bridge-link') },
    // The demo is for this machine only.
    http: { host: '127.0.0.1', port },
    recording: { recordedServiceNumbers: ['020 123 4567', '020 765 4321'] },
    // The register description names these (tallennin register, the Register view).
    register: DEMO_REGISTER_IDENTITY,
    agents: [
      { extension: '2001', name: 'Aino Asiakaspalvelija', phone: '050 100 2001' },
      { extension: '2002', name: 'Eero Esimerkki', phone: '050 100 2002' },
      { extension: '2003', name: 'Liisa Laaksonen', phone: '050 100 2003' },
      { extension: '2004', name: 'Matti Meikäläinen', phone: '050 100 2004' },
    ],
  });
}
