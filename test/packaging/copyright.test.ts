/**
 * The package's copyright file generator (systemd/debian/make-copyright.mjs), run on staged
 * application folders the way build-deb.sh runs it: a dependency with a licence outside the
 * permissive set, or with no licence text at all, stops the build and is named, so no new
 * dependency ships without its licence.
 */
import { join } from 'node:path';
import type { Test } from 'tap';
import t from 'tap';
import { describe, REPO_ROOT, run } from './support/commands.js';

const GENERATOR = join(REPO_ROOT, 'systemd/debian/make-copyright.mjs');
const MIT = (holder: string): string =>
  `MIT License\n\nCopyright (c) 2024 ${holder}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.\n`;

/** A staged app: its package.json and one installed dependency per entry. */
function stagedApp(
  t: Test,
  dependencies: Record<string, { license: string; files: Record<string, string> }>,
): string {
  const nodeModules: Record<string, Record<string, string>> = {};
  for (const [name, { license, files }] of Object.entries(dependencies)) {
    nodeModules[name] = { 'package.json': JSON.stringify({ name, version: '1.0.0', license, main: 'index.js' }), 'index.js': '', ...files };
  }
  return t.testdir({
    'package.json': JSON.stringify({
      name: 'staged-app',
      version: '1.0.0',
      private: true,
      license: 'UNLICENSED',
      dependencies: Object.fromEntries(Object.keys(dependencies).map((name) => [name, '1.0.0'])),
    }),
    node_modules: nodeModules,
    'no-clarifications.json': '{}',
  });
}

function generate(app: string): ReturnType<typeof run> {
  return run(process.execPath, [GENERATOR, app, join(app, 'no-clarifications.json')]);
}

t.test('when every dependency has a permissive licence file, then each gets a DEP-5 paragraph with its text', async (t) => {
  const app = stagedApp(t, {
    'left-pad-like': { license: 'MIT', files: { LICENSE: MIT('Ada Lovelace') } },
    'other-lib': { license: 'ISC', files: { 'LICENSE.md': 'ISC License\n\nCopyright (c) 2023 Grace Hopper\n\nPermission to use, copy, modify.\n' } },
  });
  const result = await generate(app);
  t.equal(result.code, 0, describe(result));
  t.match(result.stdout, /^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/$/m);
  t.match(result.stdout, /^Files: usr\/lib\/tallennin\/node_modules\/left-pad-like\/\*\nCopyright: Copyright \(c\) 2024 Ada Lovelace\n/m);
  t.match(result.stdout, /^License: MIT\n MIT License\n \.\n Copyright \(c\) 2024 Ada Lovelace/m);
  t.match(result.stdout, /^Files: usr\/lib\/tallennin\/node_modules\/other-lib\/\*\nCopyright: Copyright \(c\) 2023 Grace Hopper\n/m);
  t.match(result.stdout, /^License: ISC$/m);
});

t.test('when a dependency is under a copyleft licence, then the generator refuses and names it', async (t) => {
  const app = stagedApp(t, {
    'fine-lib': { license: 'MIT', files: { LICENSE: MIT('Ada Lovelace') } },
    'copyleft-lib': { license: 'GPL-3.0-only', files: { COPYING: 'GNU GENERAL PUBLIC LICENSE\nCopyright (C) 2007 Free Software Foundation\n' } },
  });
  const result = await generate(app);
  t.equal(result.code, 1, describe(result));
  t.match(result.stderr, /copyleft-lib/);
  t.equal(result.stdout, '', 'no copyright file is written');
});

t.test('when a dependency ships no licence file, then the generator refuses and says where to clarify it', async (t) => {
  const app = stagedApp(t, {
    'fine-lib': { license: 'MIT', files: { LICENSE: MIT('Ada Lovelace') } },
    'bare-lib': { license: 'MIT', files: { 'README.md': '# bare-lib\n\nA library. MIT\n' } },
  });
  const result = await generate(app);
  t.equal(result.code, 1, describe(result));
  t.match(result.stderr, /bare-lib@1\.0\.0 \(node_modules\/bare-lib\): no licence file; add its licence to systemd\/debian\/licence-clarifications\.json/);
  t.equal(result.stdout, '');
});

t.test('when the generator is called without a folder, then it prints its usage', async (t) => {
  const result = await run(process.execPath, [GENERATOR]);
  t.equal(result.code, 2);
  t.match(result.stderr, /usage: make-copyright\.mjs/);
});
