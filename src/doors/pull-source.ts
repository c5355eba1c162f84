/**
 * The pull adapter: polls a controller's events feed the way Gallagher Command Centre's REST API
 * is read, `GET <url>?after=<cursor>` with the API key in a header, over HTTPS with the
 * controller's certificate pinned (its SHA-256 fingerprint) or its CA configured. A page is
 * `{ events: [...], cursor }`; a full page is followed at once, an empty one after the interval;
 * a failure backs off (doubling up to a minute).
 *
 * The cursor is written durably (durable-file.ts) only after every event of its page is stored:
 * a kill -9 at any moment repeats at most the page in flight, whose events the log already
 * knows by (source, event id). Nothing is lost, nothing is kept twice.
 */
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { AppError, errnoCode } from '../errors.js';
import { ensureDirectory, writeFileDurable } from '../storage/durable-file.js';
import type { DoorEventSink, DoorEventSource, DoorSourceHealth } from './door-event-source.js';
import { feedPage, doorEventOf } from './door-event-input.js';
import type { DoorSourceConfig } from './door-settings.js';

const MAX_BACKOFF_MS = 60_000;
const REQUEST_TIMEOUT_MS = 15_000;
const MAX_PAGE_BYTES = 1024 * 1024;

export interface PullSourceOptions {
  readonly config: DoorSourceConfig;
  /** Where the cursor is kept: <dataDir>/door-sources/<id>.cursor.json */
  readonly dataDir: string;
  readonly logger: Logger;
  readonly now: () => number;
}

export class PullSource implements DoorEventSource {
  readonly kind = 'pull' as const;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private cursor: string | null = null;
  private state: DoorSourceHealth['state'] = 'stopped';
  private lastHeardMs: number | null = null;
  private failures = 0;
  private readonly counters = { polls: 0, events: 0, pollFailures: 0, pinMismatches: 0, invalidPages: 0 };

  constructor(private readonly options: PullSourceOptions) {}

  get id(): string {
    return this.options.config.id;
  }

  private get cursorPath(): string {
    return join(this.options.dataDir, 'door-sources', `${this.id}.cursor.json`);
  }

  async start(sink: DoorEventSink): Promise<void> {
    await ensureDirectory(join(this.options.dataDir, 'door-sources'));
    this.cursor = await readCursor(this.cursorPath);
    this.running = true;
    this.state = 'starting';
    this.loop = this.run(sink);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    this.state = 'stopped';
  }

  health(): DoorSourceHealth {
    return { id: this.id, kind: this.kind, state: this.state, lastHeardAt: this.lastHeardMs === null ? null : new Date(this.lastHeardMs).toISOString(), counters: { ...this.counters, cursorSet: this.cursor === null ? 0 : 1 } };
  }

  private async run(sink: DoorEventSink): Promise<void> {
    while (this.running) {
      let delayMs: number;
      try {
        const full = await this.pollOnce(sink);
        this.failures = 0;
        this.state = 'up';
        delayMs = full ? 0 : this.pull.intervalSeconds * 1000;
      } catch (err) {
        if (!this.running) break;
        this.failures++;
        this.counters.pollFailures++;
        this.state = 'down';
        delayMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures - 1, 6));
        this.options.logger.warn('door events feed not read', { source: this.id, error: err instanceof AppError ? err.code : errnoCode(err) ?? 'unknown', retryInMs: delayMs });
      }
      if (!this.running) break;
      if (delayMs > 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, delayMs);
        });
      }
    }
  }

  private get pull(): NonNullable<DoorSourceConfig['pull']> {
    return this.options.config.pull!;
  }

  /** One page: stored event by event, then the cursor. True when the page was full of events. */
  private async pollOnce(sink: DoorEventSink): Promise<boolean> {
    this.counters.polls++;
    const url = new URL(this.pull.url);
    if (this.cursor !== null) url.searchParams.set('after', this.cursor);
    const text = await this.fetch(url);
    let page;
    try {
      page = feedPage.parse(JSON.parse(text));
    } catch {
      this.counters.invalidPages++;
      throw new AppError('DOOR_FEED_INVALID', 'the events feed answered something that is not a page of events');
    }
    this.lastHeardMs = this.options.now();
    // The page's events are written in order at once and share one group commit; the cursor
    // moves only once every one of them is stored.
    await Promise.all(page.events.map((event) => sink(doorEventOf(this.id, event))));
    this.counters.events += page.events.length;
    if (page.cursor !== this.cursor) {
      await writeFileDurable(this.cursorPath, JSON.stringify({ cursor: page.cursor }));
      this.cursor = page.cursor;
    }
    return page.events.length > 0;
  }

  /** GET over a TLS connection whose certificate was checked (pinned or by CA) before the key is sent. */
  private async fetch(url: URL): Promise<string> {
    const socket = await this.connectVerified(url);
    return new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: { host: url.host, accept: 'application/json', [this.pull.apiKeyHeader]: `${this.pull.apiKeyPrefix}${this.options.config.secret ?? ''}` },
          createConnection: () => socket,
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > MAX_PAGE_BYTES) req.destroy(new AppError('DOOR_FEED_INVALID', 'the events feed’s page is too large'));
            else chunks.push(chunk);
          });
          res.on('end', () => {
            socket.end();
            if (res.statusCode !== 200) reject(new AppError('DOOR_FEED_UNAVAILABLE', `the events feed answered ${res.statusCode ?? 0}`));
            else resolve(Buffer.concat(chunks).toString('utf8'));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new AppError('DOOR_FEED_UNAVAILABLE', 'the events feed did not answer in time')));
      req.on('error', (err) => {
        socket.destroy();
        reject(err);
      });
      req.end();
    });
  }

  private connectVerified(url: URL): Promise<TLSSocket> {
    const pinned = this.pull.fingerprint256?.toUpperCase();
    return new Promise((resolve, reject) => {
      const options: ConnectionOptions = {
        host: url.hostname,
        port: Number(url.port === '' ? 443 : url.port),
        minVersion: 'TLSv1.2',
        // Pinned: the fingerprint is the whole check (a controller's own certificate is self-signed).
        ...(pinned === undefined ? { ca: this.pull.ca, rejectUnauthorized: true } : { rejectUnauthorized: false }),
        ...(/^[0-9.]+$|:/.test(url.hostname) ? {} : { servername: url.hostname }),
      };
      const socket = connect(options);
      const fail = (err: Error): void => {
        socket.destroy();
        reject(err);
      };
      socket.setTimeout(REQUEST_TIMEOUT_MS, () => fail(new AppError('DOOR_FEED_UNAVAILABLE', 'the events feed did not answer in time')));
      socket.once('error', fail);
      socket.once('secureConnect', () => {
        socket.setTimeout(0);
        socket.removeListener('error', fail);
        if (pinned !== undefined && socket.getPeerCertificate().fingerprint256?.toUpperCase() !== pinned) {
          this.counters.pinMismatches++;
          fail(new AppError('DOOR_FEED_CERTIFICATE', 'the controller’s certificate is not the pinned one'));
          return;
        }
        resolve(socket);
      });
    });
  }
}

async function readCursor(path: string): Promise<string | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { cursor?: unknown };
    return typeof parsed.cursor === 'string' ? parsed.cursor : null;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
}
