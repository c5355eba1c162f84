/**
 * Drives the firmware's host build (firmware-bridge/build/host/tallennin-bridge-sim): the real
 * bridge firmware playing a telephony card on a real pseudo-terminal. Tests wait on the lines it
 * prints (PTY, CALL_START, CALL_END, DISCONNECT, RECONNECT, DONE).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

export const BRIDGE_SIM_PATH = fileURLToPath(new URL('../../../firmware-bridge/build/host/tallennin-bridge-sim', import.meta.url));

export interface BridgeSim {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line (already printed or still to come) that starts with `prefix`. */
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
  /** Resolves with the n-th line starting with `prefix` (1-based). */
  waitForCount(prefix: string, count: number, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function startBridgeSim(args: string[]): BridgeSim {
  if (!existsSync(BRIDGE_SIM_PATH)) throw new Error(`the firmware host build is missing: run make -C firmware-bridge host (${BRIDGE_SIM_PATH})`);
  const child = spawn(BRIDGE_SIM_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ prefix: string; count: number; resolve: (line: string) => void }> = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      const matches = lines.filter((line) => line.startsWith(waiter.prefix));
      const hit = matches[waiter.count - 1];
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(hit);
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    check();
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitForCount = (prefix: string, count: number, timeoutMs = 30_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bridge sim: no ${count}x "${prefix}" within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
      waiters.push({ prefix, count, resolve: (line) => { clearTimeout(timer); resolve(line); } });
      check();
    });
  return {
    process: child,
    lines,
    waitFor: (prefix, timeoutMs) => waitForCount(prefix, 1, timeoutMs),
    waitForCount,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
