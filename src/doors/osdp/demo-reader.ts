/**
 * The demo's reader at the server-room door: a pseudo-terminal pair under the demo's data
 * directory, the reader simulator on one end swiping one of the demo cards now and then, and the
 * settings of the OSDP source that reads it on the other end (the same SCBK on both sides).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import { cardNumberOf } from './messages.js';
import type { OsdpSourceConfigInput } from './osdp-source-config.js';
import { openPtyPair } from './pty-pair.js';
import { ReaderSimulator } from './reader-simulator.js';

/** The demo reader's key: fine for a demo on one machine, never for a real reader. */
const DEMO_SCBK_HEX = '7a616c6c656e6e696e2d64656d6f2121';
export const DEMO_READER_ADDRESS = 1;
export const DEMO_SWIPE_INTERVAL_MS = 20_000;

/** The demo's cards, 26-bit: two to enrol and one that stays a visitor's. */
export const DEMO_CARDS: ReadonlyArray<{ readonly bits: number; readonly data: Buffer }> = [
  { bits: 26, data: Buffer.from([0x0a, 0x1b, 0x2c, 0x40]) },
  { bits: 26, data: Buffer.from([0x15, 0x26, 0x37, 0x80]) },
  { bits: 26, data: Buffer.from([0x33, 0x44, 0x55, 0x00]) },
];

/** The demo cards as the door events name them ("26:..."), for enrolling them in the demo. */
export const DEMO_CARD_NUMBERS: readonly string[] = DEMO_CARDS.map((card) => cardNumberOf(card.bits, card.data));

export interface DemoReader {
  /** The settings of the OSDP source that reads the demo reader. */
  readonly sourceConfig: OsdpSourceConfigInput;
  readonly simulator: ReaderSimulator;
  stop(): Promise<void>;
}

/** Starts the demo reader under `dir`; rejects with OSDP_PTY_UNAVAILABLE when socat is missing. */
export async function startDemoReader(dir: string, logger: Logger, swipeEveryMs = DEMO_SWIPE_INTERVAL_MS): Promise<DemoReader> {
  mkdirSync(dir, { recursive: true });
  const pair = await openPtyPair(join(dir, 'rs485-adapter'), join(dir, 'reader'));
  const simulator = new ReaderSimulator({ path: pair.readerPath, address: DEMO_READER_ADDRESS, scbk: Buffer.from(DEMO_SCBK_HEX, 'hex'), logger });
  simulator.start();
  let swipes = 0;
  const timer = setInterval(() => {
    const card = DEMO_CARDS[swipes++ % DEMO_CARDS.length] as (typeof DEMO_CARDS)[number];
    simulator.swipe(card.bits, card.data);
  }, swipeEveryMs);
  timer.unref();
  return {
    sourceConfig: {
      id: 'demo-server-room-reader',
      name: 'Server room reader (simulated)',
      devicePath: pair.acuPath,
      address: DEMO_READER_ADDRESS,
      scbk: DEMO_SCBK_HEX,
      doors: ['server-room'],
      direction: 'in',
    },
    simulator,
    async stop() {
      clearInterval(timer);
      await simulator.stop();
      await pair.close();
    },
  };
}
