import t from 'tap';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ManualClock } from '../../../src/clock.js';
import { DeviceCookies, DEVICE_COOKIE_MAX_AGE_MS, MAX_DEVICE_COOKIE_ACCOUNTS } from '../../../src/access/device-cookie.js';
import { START_MS } from './auth-fixtures.js';

const USER = '3f0c1b9e-5d7a-4c2b-9a51-0e6f2d8c4b17';
const OTHER = 'a7d2e4f6-1b3c-4d5e-8f90-123456789abc';

t.test('when a browser signs in, then its cookie names a device of that account only', async (t) => {
  const clock = new ManualClock(START_MS);
  const key = randomBytes(32);
  const devices = new DeviceCookies({ key, clock });
  const cookie = devices.issue(USER);
  t.match(cookie, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
  const device = devices.deviceOf(cookie, USER);
  t.equal(device, cookie.split('.')[2], 'the nonce names the device');
  t.not(devices.deviceOf(devices.issue(USER), USER), device, 'every sign-in a new device id');
  t.equal(devices.deviceOf(cookie, OTHER), undefined, 'not a device of another account');
  t.equal(new DeviceCookies({ key, clock }).deviceOf(cookie, USER), device, 'the same key after a restart still knows it');
  t.equal(new DeviceCookies({ key: randomBytes(32), clock }).deviceOf(cookie, USER), undefined, 'another key does not');
  t.notOk(JSON.stringify({ devices }).includes(key.toString('hex')) || inspect(devices).includes(key.toString('base64')), 'the key never prints');
});

t.test('when a cookie is forged, altered, malformed or too old, then it names no device', async (t) => {
  const clock = new ManualClock(START_MS);
  const devices = new DeviceCookies({ key: randomBytes(32), clock });
  const cookie = devices.issue(USER);
  const [version, user, nonce, issued, mac] = cookie.split('.') as [string, string, string, string, string];
  const flip = (text: string): string => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
  const bad = [
    undefined,
    '',
    'v1',
    [version, Buffer.from(OTHER).toString('base64url'), nonce, issued, mac].join('.'),
    [version, user, flip(nonce), issued, mac].join('.'),
    [version, user, nonce, (parseInt(issued, 36) + 1000).toString(36), mac].join('.'),
    [version, user, nonce, issued, flip(mac)].join('.'),
    [version, user, nonce, issued, mac.slice(0, 20)].join('.'),
    ['v2', user, nonce, issued, mac].join('.'),
    [version, user, 'short', issued, mac].join('.'),
    [version, user, nonce, 'NOT-BASE36', mac].join('.'),
    `${cookie}.extra`,
    cookie + 'x'.repeat(400),
  ];
  for (const value of bad) t.equal(devices.deviceOf(value, USER), undefined, JSON.stringify(value)?.slice(0, 80) ?? 'undefined');
  clock.advance(DEVICE_COOKIE_MAX_AGE_MS - 1000);
  t.ok(devices.deviceOf(cookie, USER), 'still trusted just before its age runs out');
  clock.advance(1000);
  t.equal(devices.deviceOf(cookie, USER), undefined, 'not after');
  clock.set(START_MS - 120_000);
  t.equal(devices.deviceOf(cookie, USER), undefined, 'nor one from the future');
  t.equal(devices.maxAgeSeconds, DEVICE_COOKIE_MAX_AGE_MS / 1000);
});

t.test('when several people sign in from one browser, then it stays a trusted device of each of the last five accounts', async (t) => {
  const clock = new ManualClock(START_MS);
  const devices = new DeviceCookies({ key: randomBytes(32), clock });
  const users = Array.from({ length: 6 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
  let cookie: string | undefined;
  const devicesOf: string[] = [];
  for (const user of users) {
    cookie = devices.issue(user, cookie);
    devicesOf.push(devices.deviceOf(cookie, user)!);
    clock.advance(60_000);
  }
  t.equal(cookie!.split('~').length, MAX_DEVICE_COOKIE_ACCOUNTS, 'one entry per account, at most five');
  t.same(users.slice(1).map((user) => devices.deviceOf(cookie, user)), devicesOf.slice(1), 'each of the last five keeps its device');
  t.equal(devices.deviceOf(cookie, users[0]!), undefined, 'the first of six is forgotten');
  const again = devices.issue(users[3]!, cookie);
  t.equal(again.split('~').length, MAX_DEVICE_COOKIE_ACCOUNTS, 'signing in again replaces the account’s own entry');
  t.not(devices.deviceOf(again, users[3]!), devicesOf[3], 'with a fresh device id');
  t.equal(devices.deviceOf(again, users[5]!), devicesOf[5], 'and keeps the others');
  // An entry of another box (another key), or an expired one, is dropped at the next sign-in.
  const foreign = new DeviceCookies({ key: randomBytes(32), clock }).issue(users[1]!);
  t.equal(devices.issue(users[2]!, `${foreign}~${devices.issue(users[4]!)}`).split('~').length, 2, 'the foreign entry is not carried on');
});

t.test('when the key or the lifetime is unusable, then the cookies refuse to start', async (t) => {
  const clock = new ManualClock(START_MS);
  t.throws(() => new DeviceCookies({ key: randomBytes(16), clock }), { code: 'KEY_INVALID' });
  t.throws(() => new DeviceCookies({ key: randomBytes(32), clock, maxAgeMs: 10 }), { code: 'CONFIG_INVALID' });
});
