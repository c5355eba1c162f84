/**
 * `tallennin setup-token`: a new one-time token for creating the first administrator (for when
 * the one printed at first start was lost or has expired). Any earlier token stops working.
 */
import { systemClock } from '../clock.js';
import { SetupTokens } from '../access/setup-token.js';
import { resolveConfig } from './resolve-config.js';
import { EXIT_OK } from './exit-codes.js';
import type { CliOptions } from './tallennin.js';

export async function runSetupToken(options: CliOptions, _none: void): Promise<number> {
  const config = await resolveConfig(options);
  const token = await new SetupTokens({ dataDir: config.dataDir, clock: systemClock }).issue();
  process.stdout.write(`one-time setup token (valid 24 h, replaces any earlier one):\n\n    ${token}\n\nIt creates the first administrator only; once a user exists it has no use.\n`);
  return EXIT_OK;
}
