/**
 * Which configuration a command works with: --config FILE (default /etc/tallennin/config.json),
 * with --data-dir DIR overriding its data directory. With only --data-dir and no config file, a
 * directory holding a demo key is a demo data directory; anything else is production.
 */
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfigFile, parseConfig } from '../config/load-config.js';
import type { Config } from '../config/config-schema.js';
import { DEMO_MASTER_KEY_FILE } from '../storage/master-key.js';
import { AppError } from '../errors.js';
import type { CliOptions } from './tallennin.js';

export const DEFAULT_CONFIG_PATH = '/etc/tallennin/config.json';

export async function resolveConfig(options: CliOptions): Promise<Config> {
  const dataDir = options['data-dir'] === undefined ? undefined : resolve(options['data-dir']);
  if (options.config !== undefined || dataDir === undefined) {
    const config = await loadConfigFile(options.config ?? DEFAULT_CONFIG_PATH);
    return dataDir === undefined ? config : parseConfig({ ...config, dataDir });
  }
  const demo = await exists(join(dataDir, DEMO_MASTER_KEY_FILE));
  return parseConfig({ mode: demo ? 'demo' : 'production', dataDir });
}

/**
 * Offline commands read what the service wrote; they must never make a new demo key (that
 * would make every existing file unreadable), so a demo data directory must already have one.
 */
export async function requireExistingDemoKey(config: Config): Promise<void> {
  if (config.mode === 'demo' && !(await exists(join(config.dataDir, DEMO_MASTER_KEY_FILE)))) {
    throw new AppError('MASTER_KEY_MISSING', `no demo key in ${config.dataDir}: is this a Tallennin data directory?`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
