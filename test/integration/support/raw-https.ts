/**
 * Raw HTTP/1.1 over TLS, byte for byte: for requests an ordinary client refuses to send (bad
 * percent-encoding, a length with no body, broken framing). The answer is read until the server
 * closes; a hang guard (never a timing assertion) ends a test that would otherwise wait for ever.
 */
import { connect } from 'node:tls';

export interface RawResponse {
  /** 0 when the server closed without an answer. */
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The stable error code of a JSON error body, if there is one. */
  readonly code: string | undefined;
  /** True when the hang guard fired: the server neither answered in full nor closed. */
  readonly hung: boolean;
}

export function rawHttps(port: number, ca: string, request: string | Buffer, options: { hangGuardMs?: number; endAfterWrite?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
    const chunks: Buffer[] = [];
    let hung = false;
    const guard = setTimeout(() => {
      hung = true;
      socket.destroy();
    }, options.hangGuardMs ?? 60_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(parse(Buffer.concat(chunks).toString('utf8'), hung));
    });
    socket.once('secureConnect', () => socket.write(request));
  });
}

function parse(text: string, hung: boolean): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split + 4);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let code: string | undefined;
  try {
    code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status, headers, body, code, hung };
}
