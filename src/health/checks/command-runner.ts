/** The real command runner of the clock check: no shell, the C locale, a 5 s limit. */
import { execFile } from 'node:child_process';
import type { CommandRunner } from './clock-check.js';

export const runCommand: CommandRunner = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: 5000, env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
