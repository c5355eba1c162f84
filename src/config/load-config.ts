import { readFile } from 'node:fs/promises';
import { AppError, errnoCode } from '../errors.js';
import { configSchema, type Config, type RegisterIdentity } from './config-schema.js';

/** Validates a parsed config object; all problems in one AppError('CONFIG_INVALID'). */
export function parseConfig(input: unknown): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new AppError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, {
      details: { problems },
    });
  }
  return deepFreeze(result.data);
}

/**
 * The register and its controller, which the register description names: a production box must
 * set them (a demo has the demo's). CONFIG_REGISTER_MISSING says which fields.
 */
export function requireRegisterIdentity(config: Config): RegisterIdentity {
  if (config.register === undefined) {
    throw new AppError('CONFIG_REGISTER_MISSING', 'register: the configuration must name the register and its controller, as the register description does: "register": { "name": ..., "controller": { "name": ..., "address": ... } }');
  }
  return config.register;
}

/** Reads and validates a JSON config file. */
export async function loadConfigFile(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('CONFIG_UNREADABLE', `cannot read config file ${path}: ${errnoCode(err) ?? String(err)}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `config file ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseConfig(parsed);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

