import t from 'tap';
import { TEST_SCBK_HEX, startOsdpRig } from './support/osdp-rig.js';
import { COMMAND } from '../../src/doors/osdp/messages.js';

// A 26-bit card: 0x12345640 left-aligned is 0x48d159 in the box's name for it.
const CARD_BITS = 26;
const CARD_DATA = Buffer.from([0x12, 0x34, 0x56, 0x40]);
const CARD_NUMBER = '26:48d159';

void t.test('when a card is swiped at the reader, then the box gets a card read over the Secure Channel, and the number is in no log line', async (t) => {
  const rig = await startOsdpRig();
  t.teardown(() => rig.close());
  const online = await rig.waitFor('source-online');
  t.match(online, { sourceId: 'server-room-reader', door: 'server-room', direction: 'in' });
  t.ok(rig.reader.secure, 'the reader is in the Secure Channel');
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  const read = await rig.waitFor('card-read');
  t.match(read, { kind: 'card-read', card: CARD_NUMBER, door: 'server-room', direction: 'in' });
  t.ok(Date.parse(read.occurredAt) > 0);
  const health = rig.source.health();
  t.match(health, { id: 'server-room-reader', kind: 'osdp', state: 'up' });
  t.ok(health.lastHeardAt !== null);
  t.equal(health.counters.secureChannelsOpened, 1);
  t.equal(health.counters.cardReads, 1);
  t.notOk(rig.logLines.some((line) => line.includes('48d159') || line.includes('12345640')), 'no card number in the logs');
});

void t.test('when keys are pressed and the tamper switch and power fail, then each is one event (a PIN is not passed on)', async (t) => {
  const rig = await startOsdpRig();
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  rig.reader.press('1234#');
  rig.reader.setTamper(true);
  rig.reader.setPowerFailure(true);
  rig.reader.setTamper(false);
  rig.reader.setTamper(true);
  const keypad = await rig.waitFor('keypad');
  t.equal(keypad.card, undefined);
  t.notOk(JSON.stringify(keypad).includes('1234'), 'the keys are not in the event');
  await rig.waitFor('reader-power');
  await rig.waitFor('reader-tamper', 2);
  t.equal(rig.events.filter((e) => e.kind === 'reader-power').length, 1, 'one power failure, told when it began');
});

void t.test('when a reply comes with a bad CRC, then it is counted, asked for again, and the card read still arrives once', async (t) => {
  const rig = await startOsdpRig();
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  rig.reader.corruptNextReply();
  await rig.waitFor('card-read');
  const counters = rig.source.health().counters;
  t.equal(counters.checkErrors, 1);
  t.ok((counters.retransmissions ?? 0) >= 1, 'the same command went again');
  t.equal(rig.events.filter((e) => e.kind === 'card-read').length, 1);
  t.equal(rig.events.filter((e) => e.kind === 'source-offline').length, 0);
});

void t.test('when noise comes before a reply, then the bytes are counted as garbage and the reply is found behind them', async (t) => {
  const rig = await startOsdpRig();
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  // Noise with a false start of message and an impossible length in it.
  rig.reader.noiseBeforeNextReply(Buffer.from([0x00, 0x13, 0x53, 0x83, 0xff, 0xff, 0x07, 0x42]));
  await rig.waitFor('card-read');
  const counters = rig.source.health().counters;
  // Every byte but the 0xFF ones (the mark byte of the protocol, never counted as noise).
  t.ok((counters.garbageBytes ?? 0) >= 6, `garbage counted (${counters.garbageBytes})`);
  t.equal(rig.events.filter((e) => e.kind === 'source-offline').length, 0);
});

void t.test('when a reply comes with the wrong sequence number, then it is counted, the reader is restarted with a new Secure Channel, and reads go on', async (t) => {
  const rig = await startOsdpRig();
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  rig.reader.wrongSequenceOnNextReply();
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  await rig.waitFor('card-read');
  const counters = rig.source.health().counters;
  t.equal(counters.sequenceErrors, 1);
  t.equal(counters.resyncs, 1);
  t.equal(counters.secureChannelsOpened, 2, 'a new session after the restart');
  t.equal(rig.events.filter((e) => e.kind === 'source-offline').length, 0, 'a resynchronisation is not an outage');
});

void t.test('when the reader falls silent, then it is offline after the missed polls, and online again when it answers', async (t) => {
  const rig = await startOsdpRig();
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  rig.reader.mute();
  await rig.waitFor('source-offline');
  t.equal(rig.source.health().state, 'down');
  t.ok((rig.source.health().counters.missedReplies ?? 0) >= 8, '8 missed replies');
  rig.reader.unmute();
  await rig.waitFor('source-online', 2);
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  await rig.waitFor('card-read');
  t.equal(rig.source.health().state, 'up');
});

void t.test('when the USB adapter is pulled and plugged back, then the reader is offline at once and online again after it returns', async (t) => {
  const rig = await startOsdpRig();
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  await rig.unplug();
  await rig.waitFor('source-offline');
  t.equal(rig.source.health().state, 'down');
  t.ok((rig.source.health().counters.lineLosses ?? 0) >= 1);
  await rig.plugIn();
  await rig.waitFor('source-online', 2);
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  await rig.waitFor('card-read');
});

void t.test('when the reader has another SCBK, then no Secure Channel opens, the reader is offline, and nothing it says is taken', async (t) => {
  const rig = await startOsdpRig({ reader: { scbk: Buffer.alloc(16, 0x77) } });
  t.teardown(() => rig.close());
  await rig.waitFor('source-offline');
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  await rig.waitForCommand(COMMAND.CHLNG, 3); // the box tried again after its pause, twice
  t.equal(rig.source.health().state, 'down');
  t.ok((rig.source.health().counters.secureChannelFailures ?? 0) >= 2);
  t.equal(rig.reader.commands.get(COMMAND.POLL), undefined, 'the reader is never polled outside the Secure Channel');
  t.equal(rig.events.filter((e) => e.kind === 'card-read').length, 0);
  t.ok(rig.logLines.some((line) => line.includes('refused the secure channel')));
});

void t.test('when the reader is new and install mode is on, then the Secure Channel opens with SCBK-D', async (t) => {
  const rig = await startOsdpRig({ source: { scbk: undefined, installMode: true }, reader: { scbk: undefined, installMode: true } });
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  t.ok(rig.reader.secure);
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  t.match(await rig.waitFor('card-read'), { card: CARD_NUMBER });
});

void t.test('when the store refuses an event for a while, then the same event is handed over again until it is taken', async (t) => {
  let refusals = 2;
  const rig = await startOsdpRig({
    sink: async () => {
      if (refusals-- > 0) throw new Error('store busy');
    },
  });
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  await rig.waitFor('card-read');
  const counters = rig.source.health().counters;
  t.equal(counters.sinkFailures, 2);
  t.ok((counters.eventsDelivered ?? 0) >= 1);
  t.same(rig.events.map((e) => e.kind), ['source-online', 'card-read'], 'in order, none lost, none twice');
});

void t.test('when install mode is on and an SCBK is given, then the reader is given that key and the box goes on with it', async (t) => {
  const rig = await startOsdpRig({ source: { installMode: true }, reader: { scbk: undefined, installMode: true } });
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  await rig.waitFor('card-read');
  t.same(rig.reader.currentScbk, Buffer.from(TEST_SCBK_HEX, 'hex'), 'the reader holds the configured key');
  const counters = rig.source.health().counters;
  t.equal(counters.keysProvisioned, 1);
  t.equal(counters.secureChannelsOpened, 2, 'SCBK-D first, then the new key');
  t.ok(rig.logLines.some((line) => line.includes('took its SCBK')));
  t.notOk(rig.logLines.some((line) => line.includes(TEST_SCBK_HEX)), 'the key is in no log line');
});

void t.test('when install mode is left on after the reader took its key, then the box opens the Secure Channel with that key', async (t) => {
  const rig = await startOsdpRig({ source: { installMode: true } });
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  t.equal(rig.source.health().counters.keysProvisioned, 0);
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  t.match(await rig.waitFor('card-read'), { card: CARD_NUMBER });
});

void t.test('when a late second copy of a reply comes while the next command waits, then it is skipped, not taken for a wrong sequence', async (t) => {
  const rig = await startOsdpRig();
  t.teardown(() => rig.close());
  await rig.waitFor('source-online');
  rig.reader.repeatNextReplyLate();
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  await rig.waitFor('card-read');
  rig.reader.swipe(CARD_BITS, CARD_DATA);
  await rig.waitFor('card-read', 2);
  const counters = rig.source.health().counters;
  t.equal(counters.lateReplies, 1);
  t.equal(counters.sequenceErrors, 0);
  t.equal(counters.resyncs, 0);
  t.equal(rig.events.filter((e) => e.kind === 'card-read').length, 2, 'each card read once');
});
