import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import type { DoorEvent } from '../../src/doors/door-event-source.js';
import { DEMO_CARD_NUMBERS, startDemoReader } from '../../src/doors/osdp/demo-reader.js';
import { createOsdpSource } from '../../src/doors/osdp/osdp-source.js';

void t.test('when the demo reader runs, then an OSDP source with its settings gets the demo cards in turn', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tallennin-osdp-demo-'));
  // Swipes every 50 ms: the test waits for three of them, whatever the machine's speed.
  const reader = await startDemoReader(dir, silentLogger, 50);
  const source = createOsdpSource(reader.sourceConfig, { clock: systemClock, logger: silentLogger });
  t.teardown(async () => {
    await source.stop();
    await reader.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const cards: string[] = [];
  const guard = setTimeout(() => t.fail(`no three card reads within the hang guard: ${JSON.stringify(source.health().counters)}`), 30_000);
  await new Promise<void>((resolve) => {
    void source.start(async (event: DoorEvent) => {
      if (event.kind === 'card-read' && event.card !== undefined) cards.push(event.card);
      if (cards.length === 3) resolve();
    });
  });
  clearTimeout(guard);
  t.equal(new Set(cards).size, 3, 'three different cards');
  t.same([...cards].sort(), [...DEMO_CARD_NUMBERS].sort());
});
