// Shared fixtures of the sign-in tests (password rules, hasher, users, sessions, authenticator).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger, type Logger } from '../../../src/log.js';
import { DocumentStore } from '../../../src/storage/document-store.js';
import { PasswordHasher, MIN_ARGON2_PARAMS, type Argon2Params } from '../../../src/access/password-hasher.js';
import { UserStore } from '../../../src/access/user-store.js';

/** Fast in tests: the lowest parameters the hasher accepts. */
export const FAST_PARAMS: Argon2Params = MIN_ARGON2_PARAMS;
export const PASSWORD = 'kuusi kettua juoksee metsässä';
/** 2026-11-28 12:00:00 UTC. */
export const START_MS = Date.UTC(2026, 10, 28, 12, 0, 0);

export async function tempDir(t: { teardown(fn: () => unknown): void }, prefix = 'tallennin-access-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface UserFixture {
  dataDir: string;
  key: Buffer;
  clock: ManualClock;
  hasher: PasswordHasher;
  documents: DocumentStore;
  users: UserStore;
  logger: Logger;
}

export async function openUsers(
  t: { teardown(fn: () => unknown): void },
  options: { dataDir?: string; key?: Buffer; clock?: ManualClock; hasher?: PasswordHasher; logger?: Logger } = {},
): Promise<UserFixture> {
  const dataDir = options.dataDir ?? (await tempDir(t));
  const key = options.key ?? randomBytes(32);
  const clock = options.clock ?? new ManualClock(START_MS);
  const hasher = options.hasher ?? new PasswordHasher({ params: FAST_PARAMS });
  const logger = options.logger ?? silentLogger;
  const documents = await DocumentStore.open({ dataDir, key, logger, clock });
  const users = await UserStore.open({ documents, hasher, clock, logger });
  return { dataDir, key, clock, hasher, documents, users, logger };
}
