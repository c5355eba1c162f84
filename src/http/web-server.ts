/**
 * The HTTPS server: TLS 1.2 or 1.3 only, with ECDHE and AEAD suites only (TLS_CIPHERS). `startWebServer` resolves with the bound address
 * (port 0 in tests); `stop` closes listeners and open connections.
 *
 * Its limits keep a slow, idle or malformed client from holding a socket: the appliance serves
 * a handful of people on a LAN, whose browsers send a request's headers and its small JSON body
 * in milliseconds, so the timeouts below are far above any real client and far below node's
 * defaults (which let a client that declares a body and never sends it wait 5 minutes).
 */
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Express } from 'express';
import type { TlsMaterial } from './tls-certificate.js';
import { clientErrorResponse } from './http-errors.js';

export interface WebServer {
  readonly address: AddressInfo;
  stop(): Promise<void>;
}

export interface WebServerLimits {
  /** The whole header block must arrive within this (slowloris). */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this; then 408 and close. */
  readonly requestTimeoutMs: number;
  /** How often node looks for requests past the two limits above (its default is 30 s). */
  readonly connectionsCheckingIntervalMs: number;
  /** An idle kept-alive connection closes after this. */
  readonly keepAliveTimeoutMs: number;
  /** A connection with no traffic either way (a client that stopped reading) closes after this. */
  readonly socketIdleTimeoutMs: number;
  /** The TLS handshake must finish within this. */
  readonly handshakeTimeoutMs: number;
}

export const WEB_SERVER_LIMITS: WebServerLimits = {
  headersTimeoutMs: 10_000,
  // Bodies are at most 64 KiB: 30 s is 2 KiB/s, slower than any link a browser works over.
  requestTimeoutMs: 30_000,
  connectionsCheckingIntervalMs: 1_000,
  // Long enough for a player's next range request on the same connection, short enough that idle
  // browsers do not pile up sockets.
  keepAliveTimeoutMs: 5_000,
  // Longer than any wait inside a request (a password check waits at most 20 s for a slot).
  socketIdleTimeoutMs: 120_000,
  handshakeTimeoutMs: 10_000,
};

/**
 * Mozilla's "intermediate" profile (v5.7), less its DHE suites: forward secrecy by ECDHE and
 * authenticated encryption (AES-GCM, CHACHA20-POLY1305) only. No CBC (padding oracles, Lucky13),
 * no SHA-1 MACs, no RSA key exchange (no forward secrecy), no CCM/CCM8 (short tags), no ARIA or
 * CAMELLIA (no browser needs them). The TLS 1.3 suites are named too: node reads them from the
 * same list and, given none, would turn TLS 1.3 off.
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');
/** The key-exchange groups of the same profile, in its order. */
export const TLS_GROUPS = 'X25519:prime256v1:secp384r1';

/** A session cookie, a CSRF token and a browser's usual headers fit many times over. */
const MAX_HEADER_BYTES = 16 * 1024;
/** A kept-alive connection is renewed now and then rather than living for ever. */
const MAX_REQUESTS_PER_SOCKET = 1000;

export function startWebServer(app: Express, options: { host: string; port: number; tls: TlsMaterial; limits?: Partial<WebServerLimits> }): Promise<WebServer> {
  const limits = { ...WEB_SERVER_LIMITS, ...options.limits };
  const server = createServer(
    {
      key: options.tls.key,
      cert: options.tls.cert,
      minVersion: 'TLSv1.2',
      ciphers: TLS_CIPHERS,
      ecdhCurve: TLS_GROUPS,
      // Every suite left is strong, so the client picks (as Mozilla's profile says): a phone or
      // small laptop without AES instructions then chooses CHACHA20-POLY1305.
      honorCipherOrder: false,
      handshakeTimeout: limits.handshakeTimeoutMs,
      maxHeaderSize: MAX_HEADER_BYTES,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Checked by the app (request-guards.ts hostRequired), whose answer carries a code.
      requireHostHeader: false,
    },
    app,
  );
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = MAX_REQUESTS_PER_SOCKET;
  server.setTimeout(limits.socketIdleTimeoutMs, (socket: Socket) => socket.destroy());
  // A request HTTP cannot parse (or that timed out) gets a coded JSON answer, then the socket closes.
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code !== 'ECONNRESET' && socket.writable && response?.headersSent !== true) socket.end(clientErrorResponse(err));
    else socket.destroy();
  });
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
