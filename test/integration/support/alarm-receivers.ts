/**
 * Real alarm receivers started by the tests: an SMTP server (smtp-server) that requires STARTTLS
 * and a password, a syslog listener over TLS (node:tls, RFC 5425 octet counting) and over UDP,
 * and an SNMP trap receiver (net-snmp's own). Each keeps what it received and resolves a wait as
 * soon as a matching message arrives (the deadline is only a hang guard).
 */
import { createSocket } from 'node:dgram';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import snmp from 'net-snmp';

const HANG_GUARD_MS = 60_000;

export class Inbox<T> {
  readonly items: T[] = [];
  private waiters: Array<{ match: (item: T) => boolean; resolve: (item: T) => void }> = [];

  add(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(item)) {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        waiter.resolve(item);
      }
    }
  }

  /** The first item (received already or to come) that matches. */
  waitFor(match: (item: T) => boolean, what: string): Promise<T> {
    const found = this.items.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hang guard: no ${what} within ${HANG_GUARD_MS} ms`)), HANG_GUARD_MS);
      this.waiters.push({ match, resolve: (item) => (clearTimeout(timer), resolve(item)) });
    });
  }
}

export interface SmtpReceiver {
  readonly port: number;
  readonly mails: Inbox<{ from: string; to: string[]; data: string; secure: boolean; user: string | undefined }>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(tls: { key: string; cert: string }, account: { user: string; pass: string }): Promise<SmtpReceiver> {
  const mails = new Inbox<{ from: string; to: string[]; data: string; secure: boolean; user: string | undefined }>();
  const server = new SMTPServer({
    key: tls.key,
    cert: tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    // As a relay that takes passwords should be: no AUTH before STARTTLS.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === account.user && auth.password === account.pass) callback(null, { user: auth.username });
      else callback(new Error('invalid credentials'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.add({ from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((rcpt) => rcpt.address), data: Buffer.concat(chunks).toString('utf8'), secure: session.secure, user: typeof session.user === 'string' ? session.user : undefined });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface SyslogReceiver {
  readonly port: number;
  readonly messages: Inbox<string>;
  close(): Promise<void>;
}

/** RFC 5425: each message is "LEN SP MSG"; a frame may come in pieces or several in one read. */
export async function startTlsSyslogReceiver(tls: { key: string; cert: string }): Promise<SyslogReceiver> {
  const messages = new Inbox<string>();
  const sockets = new Set<TLSSocket>();
  const server = createTlsServer({ key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) return;
        const length = Number(buffer.subarray(0, space).toString('ascii'));
        if (!Number.isInteger(length) || length <= 0) throw new Error('not octet-counted');
        if (buffer.length < space + 1 + length) return;
        messages.add(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
        buffer = buffer.subarray(space + 1 + length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startUdpSyslogReceiver(): Promise<SyslogReceiver> {
  const messages = new Inbox<string>();
  const socket = createSocket('udp4');
  socket.on('message', (data) => messages.add(data.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, messages, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

export interface TrapReceiver {
  readonly port: number;
  readonly traps: Inbox<{ trapOid: string; values: Record<string, string | number> }>;
  close(): Promise<void>;
}

/** A UDP port free now (the trap receiver takes a port number, not 0). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function startTrapReceiver(access: { community?: string; user?: { name: string; authKey: string; privKey: string } }): Promise<TrapReceiver> {
  const traps = new Inbox<{ trapOid: string; values: Record<string, string | number> }>();
  const port = await freeUdpPort();
  const receiver = snmp.createReceiver({ port, address: '127.0.0.1', transport: 'udp4' }, (error: Error | null, notification: { pdu: { varbinds: Array<{ oid: string; value: unknown }> } } | null) => {
    if (error !== null || notification === null) return;
    const values: Record<string, string | number> = {};
    let trapOid = '';
    for (const varbind of notification.pdu.varbinds) {
      // snmpTrapOID.0 names the trap; the others are its variables.
      if (varbind.oid === '1.3.6.1.6.3.1.1.4.1.0') trapOid = String(varbind.value);
      else values[varbind.oid] = Buffer.isBuffer(varbind.value) ? varbind.value.toString('utf8') : (varbind.value as number);
    }
    traps.add({ trapOid, values });
  });
  const authorizer = receiver.getAuthorizer();
  if (access.community !== undefined) authorizer.addCommunity(access.community);
  if (access.user !== undefined) {
    authorizer.addUser({ name: access.user.name, level: snmp.SecurityLevel.authPriv, authProtocol: snmp.AuthProtocols.sha, authKey: access.user.authKey, privProtocol: snmp.PrivProtocols.aes, privKey: access.user.privKey });
  }
  return { port, traps, close: () => new Promise<void>((resolve) => receiver.close(() => resolve())) };
}
