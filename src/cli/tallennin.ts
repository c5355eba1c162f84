/**
 * The `tallennin` command. It parses arguments, runs one command, maps errors to exit codes
 * (src/cli/exit-codes.ts) and is the only place that exits the process.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, errnoCode } from '../errors.js';
import { EXIT_FAILURE, EXIT_NO_KEY, EXIT_USAGE } from './exit-codes.js';

// Each command's module is loaded when that command runs: `tallennin start` (the service, for
// months) then carries neither the demo's simulators nor the tools of the other commands.
const recordingsCommands = (): Promise<typeof import('./recordings-commands.js')> => import('./recordings-commands.js');

const USAGE = `Usage: tallennin <command> [options]

Commands:
  demo [--data-dir DIR] [--port N] [--speed F] [--seed-history DAYS:CALLS] [--faults]
                                           run the appliance with the firmware's simulated card;
                                           --faults adds link faults to show how they are reported;
                                           --seed-history 90:2000 first fills the history with
                                           synthetic, not-recorded calls over the past 90 days
  start --config FILE                      run the appliance (systemd runs this)
  recordings list                          list recordings (ids, times, outcome; no personal data)
  recordings verify [ID | --all]           check seals and chunks (--all: and every orphan file, key or
                                           recorded call); exit 1 naming each failure
  recordings export-wav ID --out FILE      write a recording as 16-bit PCM WAV
  purge [--dry-run [--list]]               destroy contact history and recordings past retention
                                           (audited; --list names what a dry run would remove)
  setup-token                              a new one-time token for creating the first administrator
  audit verify                             check the audit trail's hash chain and signatures; exit 1
                                           naming the first bad entry
  register [--lang fi|en] [--format text|html|pdf] [--out FILE]
                                           the register description and the record of processing
                                           (GDPR Art. 30) from the configuration, each promise
                                           P1-P14 with its live check; exit 1 if one fails
  disclosure verify BUNDLE [--passphrase-file FILE] [--public-key PEM]
                                           check a disclosure bundle on any machine: its directory,
                                           or the .age file with its passphrase; exit 1 naming
                                           every problem

Every command takes --config FILE (default /etc/tallennin/config.json) and --data-dir DIR
(overrides the config's data directory; a demo data directory is recognised by its demo key).`;

const OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  out: { type: 'string' },
  all: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  list: { type: 'boolean' },
  json: { type: 'boolean' },
  speed: { type: 'string' },
  port: { type: 'string' },
  'seed-history': { type: 'string' },
  faults: { type: 'boolean' },
  'passphrase-file': { type: 'string' },
  'public-key': { type: 'string' },
  lang: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export type CliOptions = {
  config?: string;
  'data-dir'?: string;
  out?: string;
  all?: boolean;
  'dry-run'?: boolean;
  list?: boolean;
  json?: boolean;
  speed?: string;
  port?: string;
  'seed-history'?: string;
  faults?: boolean;
  'passphrase-file'?: string;
  'public-key'?: string;
  lang?: string;
  format?: string;
  help?: boolean;
};

export class UsageError extends AppError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return fail(new UsageError((err as Error).message));
  }
  const options = parsed.values as CliOptions;
  const [command, sub, ...rest] = parsed.positionals;
  if (options.help === true || command === undefined || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command === undefined && options.help !== true ? EXIT_USAGE : 0;
  }
  try {
    switch (command) {
      case 'demo':
        return await (await import('./demo-command.js')).runDemo(options, positionalsNone(sub, rest));
      case 'start':
        return await (await import('./start-command.js')).runStart(options, positionalsNone(sub, rest));
      case 'purge':
        return await (await import('./purge-command.js')).runPurge(options, positionalsNone(sub, rest));
      case 'register':
        return await (await import('./register-command.js')).runRegister(options, positionalsNone(sub, rest));
      case 'setup-token':
        return await (await import('./setup-token-command.js')).runSetupToken(options, positionalsNone(sub, rest));
      case 'recordings':
        switch (sub) {
          case 'list':
            return await (await recordingsCommands()).runRecordingsList(options, positionalsNone(undefined, rest));
          case 'verify':
            return await (await recordingsCommands()).runRecordingsVerify(options, rest);
          case 'export-wav':
            return await (await recordingsCommands()).runRecordingsExportWav(options, rest);
          default:
            throw new UsageError(`unknown recordings command ${sub === undefined ? '(none)' : `"${sub}"`}: list, verify or export-wav`);
        }
      case 'audit':
        if (sub === 'verify') return await (await import('./audit-command.js')).runAuditVerify(options, rest);
        throw new UsageError(`unknown audit command ${sub === undefined ? '(none)' : `"${sub}"`}: verify`);
      case 'disclosure':
        if (sub === 'verify') return await (await import('./disclosure-command.js')).runDisclosureVerify(options, rest);
        throw new UsageError(`unknown disclosure command ${sub === undefined ? '(none)' : `"${sub}"`}: verify`);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    return fail(err);
  }
}

function positionalsNone(first: string | undefined, rest: string[]): void {
  const extra = [first, ...rest].filter((value): value is string => value !== undefined);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
}

function fail(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`tallennin: ${err.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof AppError) {
    process.stderr.write(`tallennin: ${err.message} [${err.code}]\n`);
    if (err.code.startsWith('CONFIG_') || err.code === 'RECORDING_ID_INVALID') return EXIT_USAGE;
    if (err.code.startsWith('MASTER_KEY_') || err.code === 'KEY_INVALID') return EXIT_NO_KEY;
    return EXIT_FAILURE;
  }
  const code = errnoCode(err);
  process.stderr.write(`tallennin: unexpected failure${code === undefined ? '' : ` (${code})`}: ${(err as Error)?.message ?? String(err)}\n`);
  return EXIT_FAILURE;
}

// Long-running commands (demo, start) resolve only after a signal has stopped the service.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = fail(err);
  },
);
