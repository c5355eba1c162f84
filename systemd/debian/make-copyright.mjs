// Writes the package's machine-readable copyright file (DEP-5,
// https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/) to stdout, from the
// production node_modules that the package ships. The licences are read by
// license-checker-rseidelsohn (a development dependency) from each installed package:
//
//   node systemd/debian/make-copyright.mjs <staged app directory> [clarifications.json]
//
// Every shipped package gets a Files paragraph with its copyright lines and the full text of its
// own licence file. The build stops, naming the package, when one has a licence outside
// ALLOWED, no licence file and no clarification, or no copyright holder: a new dependency cannot
// ship without its licence. Clarifications (licence-clarifications.json, exact versions) cover
// packages whose tarball carries no licence file; an unused one is an error too, so they do
// not outlive the version they describe.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
// Permissive licences only: the box is closed, so nothing copyleft may be linked in unnoticed.
const APACHE_POINTER = 'On Debian systems, the full text of the Apache License, Version 2.0 can be found in\n/usr/share/common-licenses/Apache-2.0.';
const ALLOWED = ['MIT', 'MIT-0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD', 'BlueOak-1.0.0', 'CC0-1.0'];

const app = process.argv[2];
if (app === undefined) {
  process.stderr.write('usage: make-copyright.mjs <staged app directory> [clarifications.json]\n');
  process.exit(2);
}
const clarifications = process.argv[3] ?? join(here, 'licence-clarifications.json');
const self = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));

let report;
try {
  report = execFileSync(
    process.execPath,
    [
      join(repo, 'node_modules/license-checker-rseidelsohn/bin/license-checker-rseidelsohn.js'),
      '--start', app,
      '--production',
      '--excludePrivatePackages',
      '--json',
      '--customPath', join(here, 'licence-fields.json'),
      '--clarificationsFile', clarifications,
      '--clarificationsMatchAll', 'true',
      '--onlyAllow', ALLOWED.join(';'),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
  );
} catch (error) {
  process.stderr.write(`make-copyright.mjs: license-checker-rseidelsohn refused the dependencies:\n${error.stderr ?? ''}${error.stdout ?? ''}\n`);
  process.exit(1);
}

// Every installed package folder, by name@version: the checker reports a name@version once even
// when npm installed it in several places (a nested node_modules), and each place ships.
const installed = new Map();
const walk = (nodeModules) => {
  if (!existsSync(nodeModules)) return;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@')
      ? readdirSync(join(nodeModules, entry.name), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(nodeModules, entry.name, d.name))
      : [join(nodeModules, entry.name)];
    for (const dir of dirs) {
      if (!existsSync(join(dir, 'package.json'))) continue;
      const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const key = `${name}@${version}`;
      installed.set(key, [...(installed.get(key) ?? []), relative(app, dir)]);
      walk(join(dir, 'node_modules'));
    }
  }
};
walk(join(app, 'node_modules'));

const clarified = new Set(Object.keys(JSON.parse(readFileSync(clarifications, 'utf8'))));
const packages = Object.values(JSON.parse(report)).sort((a, b) => a.path.localeCompare(b.path));
const problems = [];
/** A DEP-5 multi-line value: continuation lines start with a space, empty lines are " .". */
const multiline = (text) =>
  text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split('\n')
    .map((line) => (line.trim() === '' ? ' .' : ` ${line.replace(/\t/g, '    ')}`))
    .join('\n');

const paragraphs = [
  [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
    `Upstream-Name: ${self.name}`,
    'Comment: Generated at build time by systemd/debian/make-copyright.mjs from the production',
    ' node_modules under /usr/lib/tallennin (license-checker-rseidelsohn). Each bundled npm',
    ' package is listed with its own licence text.',
  ].join('\n'),
  [
    'Files: *',
    'Copyright: Tallennin developers',
    `License: ${self.license === 'UNLICENSED' ? 'proprietary' : self.license}`,
    ' The Tallennin service, its web UI and its tools. No licence is granted to use, copy or',
    ' distribute them beyond the agreement under which this appliance was delivered.',
  ].join('\n'),
];

const reported = new Set();
for (const entry of packages) {
  const where = relative(app, entry.path);
  const name = `${entry.name}@${entry.version}`;
  reported.add(name);
  const licence = String(entry.licenses);
  const text = typeof entry.licenseText === 'string' ? entry.licenseText.trim() : '';
  if (!ALLOWED.includes(licence)) problems.push(`${name} (${where}): licence "${licence}" is not one of ${ALLOWED.join(', ')}`);
  const fromFile = entry.licenseFile !== undefined && /(?:licen[cs]e|copying)[^/]*$/i.test(entry.licenseFile);
  if (text === '' || (!fromFile && !clarified.has(name))) {
    problems.push(`${name} (${where}): no licence file; add its licence to systemd/debian/licence-clarifications.json`);
    continue;
  }
  const holders = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^(?:copyright\b|\(c\)|©)/i.test(line) && !/^copyright (?:notice|holders?|owner)/i.test(line));
  const copyright = holders.length > 0 ? [...new Set(holders)] : entry.publisher !== undefined ? [entry.publisher] : [];
  if (copyright.length === 0) {
    problems.push(`${name} (${where}): no copyright holder in its licence file or package.json`);
    continue;
  }
  paragraphs.push(
    [
      `Files: ${(installed.get(name) ?? [where]).map((dir) => `usr/lib/tallennin/${dir}/*`).join(' ')}`,
      `Copyright: ${copyright[0]}${copyright.slice(1).map((line) => `\n ${line}`).join('')}`,
      `Comment: ${name}${entry.repository ? `, ${entry.repository}` : ''}`,
      `License: ${licence}`,
      // Debian ships the Apache License 2.0 itself; policy 12.5 asks for a pointer, not the text.
      licence === 'Apache-2.0' ? multiline(APACHE_POINTER) : multiline(text),
    ].join('\n'),
  );
}

for (const [name, dirs] of installed) {
  if (!reported.has(name)) problems.push(`${name} (${dirs.join(', ')}): installed but not reported by the licence checker`);
}

if (problems.length > 0) {
  process.stderr.write(`make-copyright.mjs: ${problems.length} shipped package(s) without a usable licence:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write(`${paragraphs.join('\n\n')}\n`);
