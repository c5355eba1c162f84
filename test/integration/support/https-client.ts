/**
 * A small HTTPS client for the API tests: real TLS (the appliance's own certificate pinned as
 * the only CA), a cookie jar of one session cookie, and the CSRF header on state changes, the
 * way the web UI sends requests. Every answer is held against the OpenAPI document
 * (openapi-contract.ts): one it does not describe rejects the request, failing its test.
 */
import { request } from 'node:https';
import { contractProblems } from './openapi-contract.js';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly port: number, readonly ca: string) {}

  async send(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<ApiResponse> {
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = {
      accept: 'application/json',
      'sec-fetch-site': 'same-origin',
      origin: `https://localhost:${this.port}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(payload.length) }),
      ...(this.cookie === undefined ? {} : { cookie: this.cookie }),
      ...(options.csrf !== false && this.csrfToken !== undefined ? { 'x-csrf-token': this.csrfToken } : {}),
      ...options.headers,
    };
    return new Promise((resolve, reject) => {
      const req = request({ host: 'localhost', port: this.port, path, method, headers, ca: this.ca, servername: 'localhost' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie']?.[0];
          if (setCookie !== undefined) {
            const pair = setCookie.split(';')[0]!;
            this.cookie = pair.endsWith('=') ? undefined : pair;
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
