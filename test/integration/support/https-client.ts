/**
 * A small HTTPS client for the API tests: real TLS (the appliance's own certificate pinned as
 * the only CA), a cookie jar (the session cookie and the device cookie), and the CSRF header on
 * state changes, the way the web UI sends requests. `localAddress` makes the client come from
 * another loopback address (127.0.0.2...), as another workstation would.
 * Every answer is held against the OpenAPI document (openapi-contract.ts): one it does not
 * describe rejects the request, failing its test.
 */
import { request } from 'node:https';
import { contractProblems } from './openapi-contract.js';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

const SESSION_COOKIE = '__Host-tallennin';

export class ApiClient {
  /** Cookie name -> value, as a browser keeps them. */
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header of the last response, as sent. */
  lastSetCookies: string[] = [];
  csrfToken: string | undefined;

  constructor(readonly port: number, readonly ca: string, readonly localAddress?: string) {}

  /** The session cookie as "name=value" (undefined without one); setting it plants one. */
  get cookie(): string | undefined {
    const value = this.cookies.get(SESSION_COOKIE);
    return value === undefined ? undefined : `${SESSION_COOKIE}=${value}`;
  }

  set cookie(pair: string | undefined) {
    if (pair === undefined) this.cookies.delete(SESSION_COOKIE);
    else this.cookies.set(SESSION_COOKIE, pair.slice(pair.indexOf('=') + 1));
  }

  async send(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<ApiResponse> {
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = {
      // The server is reached at 127.0.0.1 (so that localAddress works), by its name as a browser would.
      host: `localhost:${this.port}`,
      accept: 'application/json',
      'sec-fetch-site': 'same-origin',
      origin: `https://localhost:${this.port}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(payload.length) }),
      ...(this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }),
      ...(options.csrf !== false && this.csrfToken !== undefined ? { 'x-csrf-token': this.csrfToken } : {}),
      ...options.headers,
    };
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.port, path, method, headers, ca: this.ca, servername: 'localhost', ...(this.localAddress === undefined ? {} : { localAddress: this.localAddress }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          this.lastSetCookies = res.headers['set-cookie'] ?? [];
          for (const setCookie of this.lastSetCookies) {
            const pair = setCookie.split(';')[0]!;
            const eq = pair.indexOf('=');
            const value = pair.slice(eq + 1);
            if (value === '' || /;\s*Max-Age=0\b/i.test(setCookie)) this.cookies.delete(pair.slice(0, eq));
            else this.cookies.set(pair.slice(0, eq), value);
          }
          const body = Buffer.concat(chunks);
          // A change of privilege (second factor confirmed, re-authentication) brings a new CSRF token with the new session.
          if ((res.statusCode ?? 0) < 300 && String(res.headers['content-type']).startsWith('application/json')) {
            const token = (JSON.parse(body.toString('utf8')) as { csrfToken?: unknown }).csrfToken;
            if (typeof token === 'string') this.csrfToken = token;
          }
          let problems: string[];
          try {
            problems = contractProblems(method, path, { status: res.statusCode ?? 0, headers: res.headers, body });
          } catch (err) {
            problems = [`the document's schemas do not compile: ${(err as Error).message}`];
          }
          if (problems.length > 0) {
            reject(new Error(`the answer is not as /api/v1/openapi.json describes it:\n${problems.join('\n')}`));
            return;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  get(path: string, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.send('GET', path, headers === undefined ? {} : { headers });
  }

  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.send('POST', path, { body: body ?? {}, ...(headers === undefined ? {} : { headers }) });
  }

  patch(path: string, body: unknown): Promise<ApiResponse> {
    return this.send('PATCH', path, { body });
  }

  delete(path: string): Promise<ApiResponse> {
    return this.send('DELETE', path);
  }

  /** Signs in; keeps the cookie and CSRF token. */
  async login(username: string, password: string, totpCode?: string): Promise<ApiResponse> {
    const res = await this.post('/api/v1/session', { username, password, ...(totpCode === undefined ? {} : { totpCode }) });
    if (res.status === 201) this.csrfToken = res.json<{ csrfToken: string }>().csrfToken;
    return res;
  }
}
