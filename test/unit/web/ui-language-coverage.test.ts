/// <reference lib="dom" />
/**
 * Every message a user can see exists in Finnish and in English: each error code the API can
 * answer (src/http/http-errors.ts), each alarm code the service raises (the System view shows
 * them), and each reason a password is refused for its context. The catalogue is the web UI's
 * own (web/src/i18n.ts), loaded as the browser loads it; the codes are read from the service.
 */
import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../../src/http/http-errors.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/** The catalogue reads the chosen language from localStorage when it loads: none chosen here. */
async function catalogues(): Promise<{ fi: Readonly<Record<string, string>>; en: Readonly<Record<string, string>> }> {
  (globalThis as { localStorage?: unknown }).localStorage ??= { getItem: () => null, setItem: () => undefined };
  const i18n = await import('../../../web/src/i18n.js');
  return { fi: i18n.catalogue('fi'), en: i18n.catalogue('en') };
}

/** The codes of every `alarms.raise('CODE', ...)` in the service's source. */
async function alarmCodes(): Promise<string[]> {
  const codes = new Set<string>();
  for (const entry of await readdir(SRC, { recursive: true })) {
    if (!entry.endsWith('.ts')) continue;
    const text = await readFile(join(SRC, entry), 'utf8');
    for (const match of text.matchAll(/\.raise\(\s*'([A-Z_]+)'/g)) codes.add(match[1]!);
  }
  return [...codes].sort();
}

t.test('when the UI shows an error code the API answered, then it has a Finnish and an English text', async (t) => {
  const { fi, en } = await catalogues();
  t.ok(ERROR_CODES.length > 40, 'the codes are read from the service');
  const missing = ERROR_CODES.flatMap((code) => [...(fi[`error.${code}`] === undefined ? [`fi ${code}`] : []), ...(en[`error.${code}`] === undefined ? [`en ${code}`] : [])]);
  t.same(missing, [], 'no error code without its text');
});

t.test('when the System view shows an alarm, then its code has a Finnish and an English text', async (t) => {
  const { fi, en } = await catalogues();
  const codes = await alarmCodes();
  t.ok(codes.includes('BRIDGE_LINK_DOWN') && codes.includes('RECORDING_FAILED'), 'the codes are read from the source');
  const missing = codes.flatMap((code) => [...(fi[`alarm.${code}`] === undefined ? [`fi ${code}`] : []), ...(en[`alarm.${code}`] === undefined ? [`en ${code}`] : [])]);
  t.same(missing, [], 'no alarm code without its text');
});

t.test('when the audit view shows an action, then every action the service writes has a Finnish and an English name', async (t) => {
  const { fi, en } = await catalogues();
  const actions = new Set<string>();
  for (const entry of await readdir(SRC, { recursive: true })) {
    if (!entry.endsWith('.ts')) continue;
    const text = await readFile(join(SRC, entry), 'utf8');
    for (const match of text.matchAll(/action: '([a-z-]+\.[a-z.-]+)'|this\.audit\(\w+, '([a-z-]+\.[a-z.-]+)'/g)) actions.add((match[1] ?? match[2])!);
  }
  t.ok(actions.has('recording.play') && actions.has('users.list'), 'the actions are read from the source');
  const missing = [...actions].sort().flatMap((action) => [...(fi[`action.${action}`] === undefined ? [`fi ${action}`] : []), ...(en[`action.${action}`] === undefined ? [`en ${action}`] : [])]);
  t.same(missing, [], 'no action without its name');
});

t.test('when a password is refused for its context, then each reason has its own text in both languages', async (t) => {
  const { fi, en } = await catalogues();
  for (const reason of ['user-name', 'person-name', 'product-name', 'repeated-character']) {
    t.type(fi[`error.PASSWORD_CONTEXT.${reason}`], 'string', `fi ${reason}`);
    t.type(en[`error.PASSWORD_CONTEXT.${reason}`], 'string', `en ${reason}`);
  }
});

t.test('when the Finnish texts are read, then they use the plain words the staff use', async (t) => {
  const { fi, en } = await catalogues();
  const all = Object.values(fi).join('\n');
  t.notMatch(all, /\(pilkuin\)/, '"pilkuilla erotettuina" instead');
  t.notMatch(all, /Lokitiedot/, '"Käyttöloki" instead');
  t.notMatch(all, /poikki/, 'what a broken link means for calls, not jargon');
  t.equal(fi['nav.audit'], 'Käyttöloki');
  t.same(Object.keys(fi).sort(), Object.keys(en).sort(), 'the same keys in both languages');
});
