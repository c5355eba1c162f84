/**
 * Alarms to the fund's log server: RFC 5424 messages over TLS (RFC 5425, one connection kept open
 * and opened again after a failure, the server's certificate checked against the system's CAs or
 * the configured one) or over UDP (RFC 5426: one datagram each, no acknowledgement).
 */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import type { DeliverySettingsData } from '../delivery-settings.js';
import type { AlarmMessage } from '../alarm-message.js';
import { SEND_TIMEOUT_MS, type AlarmSender } from './alarm-sender.js';
import { octetCounted, syslogMessage } from './syslog-format.js';

export function createSyslogSender(settings: DeliverySettingsData['syslog'], now: () => Date = () => new Date()): AlarmSender {
  return settings.transport === 'udp' ? udpSender(settings, now) : tlsSender(settings, now);
}

function udpSender(settings: DeliverySettingsData['syslog'], now: () => Date): AlarmSender {
  const socket = createSocket(isIPv6(settings.host) ? 'udp6' : 'udp4');
  socket.on('error', () => undefined);
  socket.unref();
  return {
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        socket.send(Buffer.from(syslogMessage(message, now()), 'utf8'), settings.port, settings.host, (err) => (err ? reject(err) : resolve()));
      }),
    close: () => socket.close(),
  };
}

function tlsSender(settings: DeliverySettingsData['syslog'], now: () => Date): AlarmSender {
  let socket: TLSSocket | undefined;
  let connecting: Promise<TLSSocket> | undefined;
  const drop = (): void => {
    socket?.destroy();
    socket = undefined;
    connecting = undefined;
  };
  const open = (): Promise<TLSSocket> => {
    if (socket !== undefined && !socket.destroyed) return Promise.resolve(socket);
    connecting ??= new Promise<TLSSocket>((resolve, reject) => {
      const next = connect({ host: settings.host, port: settings.port, servername: isIPv6(settings.host) || /^[0-9.]+$/.test(settings.host) ? undefined : settings.host, minVersion: 'TLSv1.2', ...(settings.caPem === '' ? {} : { ca: settings.caPem }), timeout: SEND_TIMEOUT_MS });
      next.once('secureConnect', () => {
        socket = next;
        connecting = undefined;
        next.setTimeout(0);
        resolve(next);
      });
      next.once('timeout', () => next.destroy(Object.assign(new Error('syslog connection timed out'), { code: 'ETIMEDOUT' })));
      next.once('error', (err) => {
        drop();
        reject(err);
      });
      // The server closing (or a later error) means the next message opens a new connection.
      next.on('close', () => {
        if (socket === next) socket = undefined;
      });
      next.on('error', () => undefined);
    });
    return connecting;
  };
  return {
    async send(message: AlarmMessage): Promise<void> {
      const connection = await open();
      await new Promise<void>((resolve, reject) => {
        connection.write(octetCounted(syslogMessage(message, now())), (err) => {
          if (err) {
            drop();
            reject(err);
          } else resolve();
        });
      });
    },
    close: drop,
  };
}
