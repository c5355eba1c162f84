/**
 * docs/benchmarks.md holds the tables of both benchmarks: `npm run bench` rewrites the file and
 * `npm run bench:access` its access-path section. The section sits between two comment markers,
 * so that each run replaces only what it measured and keeps the other's last figures.
 */
import { readFile, writeFile } from 'node:fs/promises';

const markers = (name) => [`<!-- ${name}: start -->`, `<!-- ${name}: end -->`];

/** The section of `text` with its markers, or '' when it has none. */
function sectionOf(text, name) {
  const [start, end] = markers(name);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  return from >= 0 && to > from ? text.slice(from, to + end.length) : '';
}

/** The section's text with its markers, or '' when the file or the section is not there. */
export async function readSection(file, name) {
  return sectionOf(await readFile(file, 'utf8').catch(() => ''), name);
}

/** Every marked section of the file, in order, with its markers ([] when there is no file). */
export async function readSections(file) {
  const text = await readFile(file, 'utf8').catch(() => '');
  return [...text.matchAll(/<!-- ([a-z0-9-]+): start -->/g)].map((match) => sectionOf(text, match[1])).filter((section) => section !== '');
}

/** Writes `body` as the section: in place of the old one, or at the end of the file. */
export async function writeSection(file, name, body) {
  const [start, end] = markers(name);
  const text = await readFile(file, 'utf8');
  const old = sectionOf(text, name);
  const section = `${start}\n${body.trim()}\n${end}`;
  await writeFile(file, old === '' ? `${text.trimEnd()}\n\n${section}\n` : text.replace(old, () => section));
}
