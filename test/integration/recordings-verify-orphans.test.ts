/**
 * `tallennin recordings verify --all` walks the union of recording files, data keys and the
 * contact records that say recorded: every orphan is named, by recording and call id.
 */
import t from 'tap';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from './support/service-process.js';
import { dataWithRecordings, recordingFile } from './support/record-calls.js';

t.test('when a recording file is deleted, a key is lost, or both go, then verify --all names each orphan and exits 1', async (t) => {
  const { dataDir, ids } = await dataWithRecordings(t, 5);
  const [intact, fileGone, keyGone, bothGone, shredded] = ids as [string, string, string, string, string];
  // The purge shredded this key and died before removing the file: its mark says so.
  await rm(join(dataDir, 'keys', `${shredded}.key`));
  await writeFile(join(dataDir, 'keys', `${shredded}.shredded`), '{}');
  await rm(recordingFile(dataDir, fileGone));
  await rm(join(dataDir, 'keys', `${keyGone}.key`));
  await rm(recordingFile(dataDir, bothGone));
  await rm(join(dataDir, 'keys', `${bothGone}.key`));
  const result = await runCli(['recordings', 'verify', '--all', '--data-dir', dataDir]);
  t.equal(result.code, 1, result.stdout + result.stderr);
  t.match(result.stdout, new RegExp(`ok    ${intact}`));
  t.match(result.stdout, new RegExp(`FAIL  ${fileGone}: FILE_MISSING: .*key`));
  t.match(result.stdout, new RegExp(`FAIL  ${keyGone}: KEY_MISSING`));
  t.match(result.stdout, new RegExp(`FAIL  ${bothGone}: RECORDING_MISSING: .*call [0-9a-f-]{36}`));
  t.match(result.stdout, new RegExp(`ok    ${shredded} \\(shredded by the purge`));
  t.match(result.stdout, /2 ok, 3 failed/);
  t.notMatch(result.stdout, /\+?358[0-9]{9}|0401234567|0201234567/, 'no phone numbers');
  const listed = await runCli(['recordings', 'list', '--data-dir', dataDir]);
  t.match(listed.stdout, new RegExp(`${fileGone}.*recording file missing`), 'the list shows the orphan key too');
});
