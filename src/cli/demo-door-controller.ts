/**
 * The demo's door controller: a webhook sender that plays the server room's door for a
 * newcomer. At start it sets up its own webhook source (a random secret) unless the door
 * settings already have sources, then posts signed events to the service's own webhook over
 * HTTPS, as a real controller would: a technician badges in at once, a visitor follows, leaves,
 * and the technician leaves; the round repeats, each event with a new id. Where socat is at hand
 * the box also reads a simulated OSDP reader at the listening room's door (cards swiped in turn).
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:https';
import type { Logger } from '../log.js';
import type { DoorSettings } from '../doors/door-settings.js';
import { signatureHeader } from '../doors/webhook-signature.js';

export const DEMO_DOOR_SOURCE = 'demo-ovijarjestelma';
const DOOR = 'Palvelinhuone';
/** The round: [seconds into it, card, direction, kind]. Fictional cards. */
const ROUND: ReadonlyArray<readonly [number, string, 'in' | 'out' | undefined, string]> = [
  [2, '1000001', 'in', 'access-granted'],
  [15, '2000002', 'in', 'access-granted'],
  [40, '2000002', 'out', 'access-granted'],
  [45, '3000003', undefined, 'access-denied'],
  [80, '1000001', 'out', 'access-granted'],
];
const ROUND_SECONDS = 90;

export interface DemoDoorController {
  stop(): void;
}

/** The demo's OSDP reader (src/doors/osdp/demo-reader.ts), read by the box itself, at the listening room's door. */
export interface DemoReaderSource {
  readonly devicePath: string;
  readonly address: number;
  readonly scbk: string;
}
export const DEMO_READER_SOURCE = 'demo-osdp-lukija';
const READER_DOOR = 'Kuunteluhuone';

export async function startDemoDoorController(options: { settings: DoorSettings; port: number; ca: string; logger: Logger; reader?: DemoReaderSource }): Promise<DemoDoorController | undefined> {
  const current = options.settings.current;
  if (current.sources.length > 0 && !current.sources.some((source) => source.id === DEMO_DOOR_SOURCE)) return undefined;
  const secret = randomBytes(24).toString('hex');
  // A new secret at every demo start: the controller and the box agree on it here.
  const reader = options.reader === undefined
    ? []
    : [{ id: DEMO_READER_SOURCE, name: 'Demo reader (OSDP)', kind: 'osdp' as const, doors: [READER_DOOR], secret: options.reader.scbk, osdp: { devicePath: options.reader.devicePath, address: options.reader.address, direction: 'in' as const } }];
  await options.settings.replace({ ...current, sources: [{ id: DEMO_DOOR_SOURCE, name: 'Demo door controller', kind: 'webhook', doors: [DOOR], secret }, ...reader], serverRoomDoors: [DOOR] });
  const timers: NodeJS.Timeout[] = [];
  let round = 0;
  const post = (events: unknown[]): void => {
    const body = Buffer.from(JSON.stringify({ events }));
    const req = request({
      host: '127.0.0.1',
      port: options.port,
      path: '/api/v1/door-events',
      method: 'POST',
      ca: options.ca,
      servername: 'localhost',
      headers: { host: `localhost:${options.port}`, 'content-type': 'application/json', 'content-length': String(body.length), 'tallennin-source': DEMO_DOOR_SOURCE, 'tallennin-signature': signatureHeader(secret, Math.floor(Date.now() / 1000), body) },
    }, (res) => {
      res.resume();
      if (res.statusCode !== 200) options.logger.warn('demo door controller: an event was refused', { status: res.statusCode ?? 0 });
    });
    req.on('error', () => options.logger.warn('demo door controller: the webhook could not be reached'));
    req.end(body);
  };
  const playRound = (): void => {
    const r = round++;
    for (const [second, card, direction, kind] of ROUND) {
      timers.push(setTimeout(() => post([{ id: `demo-${Date.now()}-${r}-${second}`, kind, door: DOOR, card, ...(direction === undefined ? {} : { direction }), occurredAt: new Date().toISOString() }]), second * 1000));
    }
    // An empty batch is the controller's heartbeat: the source is not silent between rounds.
    timers.push(setTimeout(() => post([]), (ROUND_SECONDS - 5) * 1000));
  };
  playRound();
  const roundTimer = setInterval(playRound, ROUND_SECONDS * 1000);
  for (const timer of [...timers, roundTimer]) timer.unref();
  return {
    stop: () => {
      clearInterval(roundTimer);
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
