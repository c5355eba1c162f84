#!/usr/bin/env node
/**
 * The appliance's ingest path without the web UI and accounts, for `bench/run.js --ingest-only`:
 * storage, start-up recovery, contact history, the call tracker and the bridge client, wired as
 * src/main.ts wires them (same modules, same order, same JSON log lines on stderr). It exists so
 * the ingest can be measured while the full service does not start; the default is the real
 * `tallennin start`.
 *
 * Usage: node bench/ingest-only-service.js CONFIG_FILE
 */
import { systemClock } from '../dist/clock.js';
import { createLogger } from '../dist/log.js';
import { loadConfigFile } from '../dist/config/load-config.js';
import { openStorage } from '../dist/storage/open-storage.js';
import { ContactHistory } from '../dist/history/contact-history.js';
import { AgentDirectory } from '../dist/calls/agent-directory.js';
import { RecordingRules } from '../dist/calls/recording-rules.js';
import { CallTracker } from '../dist/calls/call-tracker.js';
import { BridgeClient } from '../dist/capture/bridge-client.js';
import { SerialLink } from '../dist/capture/serial-link.js';
import { AlarmLog } from '../dist/health/alarms.js';

const config = await loadConfigFile(process.argv[2]);
const clock = systemClock;
const logger = createLogger({ level: config.log.level });
const alarms = new AlarmLog(clock, logger.child('alarms'));
const storage = await openStorage({ dataDir: config.dataDir, mode: config.mode, clock, logger: logger.child('storage') });
await storage.recordings.recoverOpen();
const history = new ContactHistory(storage.documents);
const tracker = new CallTracker({
  history,
  recordings: storage.recordings,
  rules: new RecordingRules(config.recording.recordedServiceNumbers, config.phone.defaultRegion),
  agents: new AgentDirectory(config.agents, config.phone.defaultRegion),
  clock,
  logger: logger.child('calls'),
  alarms,
  defaultRegion: config.phone.defaultRegion,
});
const bridge = new BridgeClient({
  link: new SerialLink({ path: config.bridge.path, baudRate: config.bridge.baudRate, logger: logger.child('link') }),
  clock,
  logger: logger.child('capture'),
});
bridge.on('callStart', (event) => tracker.onCallStart(event));
bridge.on('callEnd', (event) => tracker.onCallEnd(event));
bridge.on('audio', (event) => tracker.onAudio(event));
bridge.on('heartbeat', (event) => tracker.onHeartbeat(event));
bridge.on('linkDown', (event) => {
  tracker.onLinkDown();
  alarms.raise('BRIDGE_LINK_DOWN', 'the link to the firmware bridge was lost', { reason: event.reason });
});
bridge.on('bridgeRestarted', () => tracker.onBridgeRestarted());
bridge.start();
logger.info('service started', { mode: config.mode, keySource: storage.masterKey.source, ingestOnly: true });

const onSignal = () => {
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  void (async () => {
    await bridge.stop();
    await tracker.stop();
    logger.info('service stopped');
  })();
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
