/**
 * How systemd starts the service, read from the unit (systemd/tallennin.service): the
 * `Environment=` variables and the node options of `ExecStart=`, so that a benchmark measures the
 * process as it ships (the allocator's and V8's settings included), not a bare `node`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './setup.js';

/** Words of a unit value: split at blanks, "double quotes" keep blanks inside. */
function words(value) {
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]);
}

/** { env, nodeArgs } of the unit: the environment it sets and the options before the script. */
export function unitLaunch(unitFile = join(REPO_ROOT, 'systemd', 'tallennin.service')) {
  const lines = readFileSync(unitFile, 'utf8').split('\n');
  const env = {};
  for (const line of lines.filter((l) => l.startsWith('Environment='))) {
    for (const word of words(line.slice('Environment='.length))) {
      const at = word.indexOf('=');
      env[word.slice(0, at)] = word.slice(at + 1);
    }
  }
  const exec = words(lines.find((l) => l.startsWith('ExecStart='))?.slice('ExecStart='.length) ?? '');
  const script = exec.findIndex((word) => word.endsWith('tallennin.js'));
  return { env, nodeArgs: exec.slice(1, script).filter((word) => word.startsWith('--')) };
}
