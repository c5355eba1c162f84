/**
 * Two pseudo-terminals wired back to back by socat: what the reader simulator and the box open in
 * place of the two ends of an RS-485 line (the demo and the tests). Closing the pair is pulling
 * the USB adapter: both ends see the line go, and their paths disappear until a new pair is made
 * on the same paths (the adapter plugged back in).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { AppError } from '../../errors.js';

export const OSDP_PTY_UNAVAILABLE = 'OSDP_PTY_UNAVAILABLE';
/** A hang guard only: socat makes its pair in milliseconds. */
const START_GUARD_MS = 15_000;

export interface PtyPair {
  /** The end the box opens (the USB adapter's device). */
  readonly acuPath: string;
  /** The end the reader simulator opens. */
  readonly readerPath: string;
  /** Pulls the adapter: the pair is gone; resolves when socat has exited. */
  close(): Promise<void>;
}

/** Makes a pair whose ends are the symbolic links `acuPath` and `readerPath`. */
export function openPtyPair(acuPath: string, readerPath: string, socatPath = 'socat'): Promise<PtyPair> {
  const ends = [acuPath, readerPath].map((path) => `pty,raw,echo=0,link=${path}`);
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(socatPath, ['-d', '-d', ...ends], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      reject(new AppError(OSDP_PTY_UNAVAILABLE, 'socat cannot be started', { cause: err }));
      return;
    }
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    let stderr = '';
    let settled = false;
    const guard = setTimeout(() => fail(new AppError(OSDP_PTY_UNAVAILABLE, 'socat made no pseudo-terminal pair')), START_GUARD_MS);
    const fail = (err: AppError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      child.kill('SIGTERM');
      reject(err);
    };
    child.once('error', (err) => fail(new AppError(OSDP_PTY_UNAVAILABLE, `socat cannot be started (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err })));
    child.once('exit', () => fail(new AppError(OSDP_PTY_UNAVAILABLE, `socat exited: ${stderr.trim().split('\n').pop() ?? ''}`)));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (settled || !stderr.includes('starting data transfer loop')) return;
      settled = true;
      clearTimeout(guard);
      resolve({
        acuPath,
        readerPath,
        async close() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
