/**
 * `tallennin audit verify` on a real trail: intact it exits 0; an edited, deleted, reordered or
 * cut-off entry makes it exit 1 and name the first bad entry.
 */
import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from './support/service-process.js';
import { entryLines, isEntry, trailWithEntries } from './support/audit-trail-on-disk.js';

t.test('when the trail is intact, then audit verify exits 0 with the count', async (t) => {
  const { dataDir } = await trailWithEntries(t, 10);
  const result = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(result.code, 0, result.stdout + result.stderr);
  t.match(result.stdout, /audit trail ok: 10 entries, last seq 10/);
});

t.test('when an entry is edited, then audit verify fails naming it', async (t) => {
  const { dataDir, segment } = await trailWithEntries(t, 10);
  const lines = await entryLines(segment);
  const index = lines.findIndex((line) => isEntry(line) && line.includes('"seq":5,'));
  lines[index] = lines[index]!.replace('"outcome":"success"', '"outcome":"denied"');
  await writeFile(segment, lines.join('\n') + '\n');
  const result = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(result.code, 1);
  t.match(result.stdout, /FAILED at entry 5: entry 5 was changed/);
});

t.test('when an entry is deleted, then audit verify fails naming the missing one', async (t) => {
  const { dataDir, segment } = await trailWithEntries(t, 10);
  const lines = (await entryLines(segment)).filter((line) => !(isEntry(line) && line.includes('"seq":3,')));
  await writeFile(segment, lines.join('\n') + '\n');
  const result = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(result.code, 1);
  t.match(result.stdout, /FAILED at entry 3: entry 3 is missing or out of order/);
});

t.test('when two entries are swapped, then audit verify fails at the first of them', async (t) => {
  const { dataDir, segment } = await trailWithEntries(t, 10);
  const lines = await entryLines(segment);
  const a = lines.findIndex((line) => isEntry(line) && line.includes('"seq":6,'));
  const b = lines.findIndex((line) => isEntry(line) && line.includes('"seq":7,'));
  [lines[a], lines[b]] = [lines[b]!, lines[a]!];
  await writeFile(segment, lines.join('\n') + '\n');
  const result = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(result.code, 1);
  t.match(result.stdout, /FAILED at entry 6/);
});

t.test('when the last entries are cut off, then audit verify fails naming the first missing one', async (t) => {
  const { dataDir, segment } = await trailWithEntries(t, 10);
  const lines = await entryLines(segment);
  const cut = lines.findIndex((line) => isEntry(line) && line.includes('"seq":9,'));
  await writeFile(segment, lines.slice(0, cut).join('\n') + '\n');
  const result = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(result.code, 1);
  t.match(result.stdout, /FAILED at entry 9: entries 9-10 were cut off the end/);
});

t.test('when the head is forged without the key, then audit verify fails', async (t) => {
  const { dataDir, segment } = await trailWithEntries(t, 10);
  const lines = await entryLines(segment);
  const cut = lines.findIndex((line) => isEntry(line) && line.includes('"seq":9,'));
  await writeFile(segment, lines.slice(0, cut).join('\n') + '\n');
  const head = JSON.parse(await readFile(join(dataDir, 'audit', 'head.json'), 'utf8')) as { seq: number };
  head.seq = 8;
  await writeFile(join(dataDir, 'audit', 'head.json'), JSON.stringify(head));
  const result = await runCli(['audit', 'verify', '--data-dir', dataDir]);
  t.equal(result.code, 1);
  t.match(result.stdout, /signed head’s signature is not valid/);
});
