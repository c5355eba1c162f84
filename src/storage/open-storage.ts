/**
 * Opens what every part of the service stores into: the master key, its subkeys, the document
 * store and the recording store. Used by the service at start and by the offline CLI commands.
 */
import { mkdir } from 'node:fs/promises';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { loadMasterKey, type LoadedMasterKey, type RunMode } from './master-key.js';
import { createKeyHierarchy, type KeyHierarchy } from './key-hierarchy.js';
import { DocumentStore } from './document-store.js';
import { RecordingStore } from '../recording/recording-store.js';
import { PRIVATE_DIR_MODE } from './durable-file.js';

export interface Storage {
  readonly masterKey: LoadedMasterKey;
  readonly keys: KeyHierarchy;
  readonly documents: DocumentStore;
  readonly recordings: RecordingStore;
}

export async function openStorage(options: { dataDir: string; mode: RunMode; clock: Clock; logger: Logger; credentialsDirectory?: string }): Promise<Storage> {
  await mkdir(options.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const masterKey = await loadMasterKey({
    mode: options.mode,
    dataDir: options.dataDir,
    logger: options.logger,
    ...(options.credentialsDirectory === undefined ? {} : { credentialsDirectory: options.credentialsDirectory }),
  });
  const keys = createKeyHierarchy(masterKey.key);
  const documents = await DocumentStore.open({ dataDir: options.dataDir, key: keys.documentKey, logger: options.logger, clock: options.clock });
  const recordings = await RecordingStore.open({ dataDir: options.dataDir, keys, logger: options.logger, clock: options.clock });
  return { masterKey, keys, documents, recordings };
}
