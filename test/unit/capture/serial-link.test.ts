import t from 'tap';
import { LINK_NOT_OPEN, LinkError, type LinkCloseInfo, SerialLink } from '../../../src/capture/serial-link.js';
import { failPendingRead, MockBinding, nextEvent, recordingBinding, sleep, until } from './mock-port.js';

const PATH = '/dev/serial/by-id/usb-Tallennin_Bridge-if00';

function makeLink(binding = recordingBinding()): { link: SerialLink; mock: ReturnType<typeof recordingBinding> } {
  const link = new SerialLink({ path: PATH, binding: binding.binding, reconnectInitialDelayMs: 10, reconnectMaxDelayMs: 40 });
  return { link, mock: binding };
}

t.beforeEach(() => MockBinding.reset());

void t.test('when the port exists, then start opens it, delivers its bytes and writes with counters', async (t) => {
  MockBinding.createPort(PATH, { record: true });
  const { link, mock } = makeLink();
  t.teardown(() => link.stop());
  const opened = nextEvent(link, 'open');
  link.start();
  await opened;
  t.ok(link.isOpen);
  const data = nextEvent(link, 'data');
  mock.current().emitData(Buffer.from([1, 2, 3]));
  t.same([...(await data)], [1, 2, 3]);
  await link.write(Buffer.from('abcd'));
  t.equal(mock.current().recording.toString(), 'abcd');
  t.match(link.stats(), { opens: 1, openFailures: 0, disconnects: 0, bytesIn: 3, bytesOut: 4 });
});

void t.test('when the port is missing, then the link retries with doubling delays and opens once it appears', async (t) => {
  const { link } = makeLink();
  t.teardown(() => link.stop());
  link.start();
  await until(() => link.stats().openFailures >= 3, 2000, 'three failed opens');
  t.ok(link.reconnectDelayMs >= 40, 'the delay grew to the maximum');
  t.equal(link.reconnectDelayMs, 40, 'and no further');
  MockBinding.createPort(PATH);
  await nextEvent(link, 'open');
  t.equal(link.stats().opens, 1);
  t.equal(link.reconnectDelayMs, 10, 'a good open resets the back-off');
});

void t.test('when the device goes away while open, then close says disconnected and the link reopens when it returns', async (t) => {
  MockBinding.createPort(PATH);
  const { link, mock } = makeLink();
  t.teardown(() => link.stop());
  link.start();
  await nextEvent(link, 'open');
  await sleep(5); // let the stream start its read
  const closed = nextEvent(link, 'close');
  MockBinding.reset(); // the device node is gone
  failPendingRead(mock.current());
  const info = await closed;
  t.equal(info.reason, 'disconnected');
  t.notOk(link.isOpen);
  await t.rejects(link.write(Buffer.from([1])), { code: LINK_NOT_OPEN, disconnected: true });
  await until(() => link.stats().openFailures >= 1, 2000, 'a failed reopen');
  MockBinding.createPort(PATH);
  await nextEvent(link, 'open');
  t.match(link.stats(), { opens: 2, disconnects: 1 });
});

void t.test('when the read side ends (end of file), then the link closes as disconnected and reopens', async (t) => {
  MockBinding.createPort(PATH);
  const { link, mock } = makeLink();
  t.teardown(() => link.stop());
  link.start();
  await nextEvent(link, 'open');
  await sleep(5);
  const port = mock.current();
  const internal = port as unknown as { pendingRead: ((err?: Error) => void) | null; read: (...args: unknown[]) => Promise<unknown> };
  internal.read = async (buffer: unknown) => ({ bytesRead: 0, buffer });
  const closed = nextEvent(link, 'close');
  const pending = internal.pendingRead;
  t.ok(pending, 'a read was pending');
  pending?.();
  t.same(await closed, { reason: 'disconnected', detail: 'end of file' });
  await nextEvent(link, 'open');
  t.equal(link.stats().opens, 2);
});

void t.test('when reconnect is requested, then the port closes with reason requested and opens again', async (t) => {
  MockBinding.createPort(PATH);
  const { link, mock } = makeLink();
  t.teardown(() => link.stop());
  link.start();
  await nextEvent(link, 'open');
  const closed = nextEvent(link, 'close');
  const reopened = nextEvent(link, 'open');
  link.reconnect('no valid frame for 2500 ms');
  t.same(await closed, { reason: 'requested', detail: 'no valid frame for 2500 ms' });
  await reopened;
  t.equal(mock.opened.length, 2);
  t.match(link.stats(), { opens: 2, disconnects: 0 });
  link.reconnect('again');
  link.reconnect('twice in a row closes once');
  await nextEvent(link, 'open');
  t.equal(mock.opened.length, 3);
});

void t.test('when the link is stopped, then the port closes, nothing reopens and writes fail as disconnected', async (t) => {
  MockBinding.createPort(PATH);
  const { link, mock } = makeLink();
  link.start();
  await nextEvent(link, 'open');
  const closes: LinkCloseInfo[] = [];
  link.on('close', (info) => closes.push(info));
  await link.stop();
  t.same(closes, [{ reason: 'stopped' }]);
  t.notOk(mock.current().isOpen, 'the driver port is closed');
  await sleep(50);
  t.equal(mock.opened.length, 1, 'no reopen after stop');
  const err = await link.write(Buffer.from([1])).catch((e: unknown) => e);
  t.type(err, LinkError);
  t.equal((err as LinkError).disconnected, true);
  link.reconnect('ignored when stopped');
  await link.stop();
});

void t.test('when the link is stopped while the port is still missing, then retrying ends', async (t) => {
  const { link } = makeLink();
  link.start();
  link.start(); // a second start changes nothing
  await until(() => link.stats().openFailures >= 1);
  await link.stop();
  const failures = link.stats().openFailures;
  await sleep(60);
  t.equal(link.stats().openFailures, failures);
});

void t.test('when the link is stopped while the port is opening, then the port opened late is closed again', async (t) => {
  MockBinding.createPort(PATH);
  const { link, mock } = makeLink();
  link.start();
  await link.stop(); // the open is still in flight
  await until(() => mock.opened.length === 1);
  await sleep(5);
  t.notOk(mock.current().isOpen);
  t.notOk(link.isOpen);
});

void t.test('when a write fails in the driver, then it rejects with a LinkError and the link reopens', async (t) => {
  MockBinding.createPort(PATH);
  const { link, mock } = makeLink();
  t.teardown(() => link.stop());
  link.start();
  await nextEvent(link, 'open');
  mock.current().write = async () => {
    throw new Error('EIO: i/o error, write');
  };
  const closed = nextEvent(link, 'close');
  const err = await link.write(Buffer.from([1])).catch((e: unknown) => e);
  t.type(err, LinkError);
  t.match(err, { code: 'CAPTURE_LINK_WRITE_FAILED' });
  t.equal(link.stats().writeErrors, 1);
  t.match(await closed, { reason: 'disconnected' });
  await nextEvent(link, 'open');
});

void t.test('when a data listener throws, then the error is counted and the next listener and chunk still arrive', async (t) => {
  MockBinding.createPort(PATH);
  const { link, mock } = makeLink();
  t.teardown(() => link.stop());
  link.on('data', () => {
    throw new Error('listener bug');
  });
  const seen: number[] = [];
  link.on('data', (chunk) => seen.push(...chunk));
  link.start();
  await nextEvent(link, 'open');
  mock.current().emitData(Buffer.from([7]));
  await until(() => seen.length === 1);
  mock.current().emitData(Buffer.from([8]));
  await until(() => seen.length === 2);
  t.same(seen, [7, 8]);
  t.equal(link.stats().linkListenerErrors, 2);
});
