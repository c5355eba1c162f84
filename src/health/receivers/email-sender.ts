/**
 * Alarms by e-mail through the fund's SMTP relay (nodemailer). STARTTLS is required (the
 * connection fails rather than sending in clear) unless the maintainer turned it off, which the
 * settings allow only for a relay on this machine. Port 465 is TLS from the start.
 */
import nodemailer from 'nodemailer';
import type { DeliverySettingsData } from '../delivery-settings.js';
import { summaryOf, textOf, type AlarmMessage } from '../alarm-message.js';
import { SEND_TIMEOUT_MS, type AlarmSender } from './alarm-sender.js';

export function createEmailSender(settings: DeliverySettingsData['email']): AlarmSender {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.port === 465,
    requireTLS: settings.starttls && settings.port !== 465,
    ignoreTLS: !settings.starttls && settings.port !== 465,
    ...(settings.username === '' ? {} : { auth: { user: settings.username, pass: settings.password } }),
    tls: { minVersion: 'TLSv1.2', ...(settings.caPem === '' ? {} : { ca: settings.caPem }) },
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
    // The transport's own logger would print the SMTP dialogue; the service logs only error codes.
    logger: false,
  });
  return {
    async send(message: AlarmMessage): Promise<void> {
      await transport.sendMail({
        from: settings.from,
        to: settings.to,
        subject: `[Tallennin ${message.host}] ${summaryOf(message)}`.slice(0, 200),
        text: textOf(message),
      });
    },
    close: () => transport.close(),
  };
}
