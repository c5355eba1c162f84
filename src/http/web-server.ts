/**
 * The HTTPS server (TLS 1.2 or newer, only). `startWebServer` resolves with the bound address
 * (port 0 in tests); `stop` closes listeners and open connections.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { TlsMaterial } from './tls-certificate.js';

export interface WebServer {
  readonly address: AddressInfo;
  stop(): Promise<void>;
}

export function startWebServer(app: Express, options: { host: string; port: number; tls: TlsMaterial }): Promise<WebServer> {
  const server = createServer({ key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2' }, app);
  // Slow or idle clients must not hold sockets for ever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve({
        address: server.address() as AddressInfo,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
