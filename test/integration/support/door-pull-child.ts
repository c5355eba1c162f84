/**
 * A process that reads a door controller's events feed into the door event log, the way the
 * service does (the real PullSource, the real DoorEventLog), until it is killed: the pull
 * cursor's kill -9 test starts it again and again. argv[2]: JSON of { dataDir, source }.
 */
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { DoorEventLog } from '../../../src/doors/door-event-log.js';
import { CardPseudonyms } from '../../../src/doors/card-pseudonym.js';
import { PullSource } from '../../../src/doors/pull-source.js';
import { systemClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import type { DoorSourceConfig } from '../../../src/doors/door-settings.js';

const { dataDir, source } = JSON.parse(process.argv[2]!) as { dataDir: string; source: DoorSourceConfig };
const keys = createKeyHierarchy(Buffer.alloc(32, 9));
const { log } = await DoorEventLog.open({ dataDir, signingKey: keys.signingKey('door-events-signing'), cards: new CardPseudonyms(keys.symmetricKey('door-card-pseudonym')), clock: systemClock, logger: silentLogger });
const pull = new PullSource({ config: source, dataDir, logger: silentLogger, now: () => Date.now() });
await pull.start(async (event) => {
  await log.append(event);
});
process.stdout.write('pulling\n');
