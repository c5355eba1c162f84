/**
 * An OSDP reader at a door, for the tests: a pseudo-terminal pair (socat) in place of the RS-485
 * line, the reader simulator on one end and the box's OSDP source on the other, its events
 * collected as the door store would receive them. Waits are on events, with hang guards only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../../src/clock.js';
import { createLogger, type Logger } from '../../../src/log.js';
import type { DoorEvent, DoorEventSink } from '../../../src/doors/door-event-source.js';
import { openPtyPair, type PtyPair } from '../../../src/doors/osdp/pty-pair.js';
import { ReaderSimulator, type ReaderSimulatorOptions } from '../../../src/doors/osdp/reader-simulator.js';
import { createOsdpSource, type OsdpSource } from '../../../src/doors/osdp/osdp-source.js';
import type { OsdpSourceConfigInput } from '../../../src/doors/osdp/osdp-source-config.js';

export const TEST_SCBK_HEX = '000102030405060708090a0b0c0d0e0f';
/** A hang guard: events come in well under a second on an idle machine. */
const GUARD_MS = 30_000;

export interface OsdpRig {
  readonly reader: ReaderSimulator;
  readonly source: OsdpSource;
  readonly events: DoorEvent[];
  readonly logLines: string[];
  /** Resolves with the n-th event (1-based) of `kind`, already received or still to come. */
  waitFor(kind: DoorEvent['kind'], count?: number): Promise<DoorEvent>;
  /** Resolves once the reader has taken `count` commands of `code`. */
  waitForCommand(code: number, count: number): Promise<void>;
  /** Pulls the USB adapter: the pty pair is gone. */
  unplug(): Promise<void>;
  /** Plugs it back: a new pair on the same paths. */
  plugIn(): Promise<void>;
  close(): Promise<void>;
}

export interface OsdpRigOptions {
  readonly source?: Partial<OsdpSourceConfigInput>;
  readonly reader?: Partial<Omit<ReaderSimulatorOptions, 'path'>>;
  readonly sink?: DoorEventSink;
}

export async function startOsdpRig(options: OsdpRigOptions = {}): Promise<OsdpRig> {
  const dir = mkdtempSync(join(tmpdir(), 'tallennin-osdp-'));
  const acuPath = join(dir, 'rs485-adapter');
  const readerPath = join(dir, 'reader');
  let pair: PtyPair | null = await openPtyPair(acuPath, readerPath);
  const logLines: string[] = [];
  const logger: Logger = createLogger({ level: 'debug', sink: { write: (line) => logLines.push(line) } });
  const reader = new ReaderSimulator({ path: readerPath, address: 3, scbk: Buffer.from(TEST_SCBK_HEX, 'hex'), logger, ...options.reader });
  const events: DoorEvent[] = [];
  const waiters: Array<() => void> = [];
  const sink: DoorEventSink = async (event) => {
    if (options.sink !== undefined) await options.sink(event);
    events.push(event);
    for (const wake of [...waiters]) wake();
  };
  const source = createOsdpSource(
    {
      id: 'server-room-reader',
      name: 'Server room reader',
      devicePath: acuPath,
      address: 3,
      scbk: TEST_SCBK_HEX,
      doors: ['server-room'],
      direction: 'in',
      // Generous for a busy test machine; a miss only costs a resend.
      replyTimeoutMs: 400,
      ...options.source,
    },
    { clock: systemClock, logger },
  );
  reader.start();
  await source.start(sink);
  const waitFor = (kind: DoorEvent['kind'], count = 1): Promise<DoorEvent> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = events.filter((event) => event.kind === kind)[count - 1];
        if (hit === undefined) return false;
        clearTimeout(guard);
        waiters.splice(waiters.indexOf(wake), 1);
        resolve(hit);
        return true;
      };
      const wake = (): void => void check();
      const guard = setTimeout(() => {
        waiters.splice(waiters.indexOf(wake), 1);
        reject(new Error(`no ${count}x ${kind} within ${GUARD_MS} ms; events: ${events.map((e) => e.kind).join(', ')}; counters: ${JSON.stringify(source.health().counters)}`));
      }, GUARD_MS);
      waiters.push(wake);
      check();
    });
  return {
    reader,
    source,
    events,
    logLines,
    waitFor,
    waitForCommand: (code, count) =>
      new Promise((resolve, reject) => {
        const guard = setTimeout(() => reject(new Error(`the reader did not take ${count}x command 0x${code.toString(16)}`)), GUARD_MS);
        const check = (): void => {
          if ((reader.commands.get(code) ?? 0) < count) return;
          clearTimeout(guard);
          reader.off('command', check);
          resolve();
        };
        reader.on('command', check);
        check();
      }),
    async unplug() {
      await pair?.close();
      pair = null;
    },
    async plugIn() {
      pair = await openPtyPair(acuPath, readerPath);
    },
    async close() {
      await source.stop();
      await reader.stop();
      await pair?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
