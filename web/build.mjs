// Builds the web UI into web/dist: compiles web/src with TypeScript (plain ES modules, no
// bundler needed) and copies the page and its stylesheet. The service serves web/dist at /.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const dist = join(web, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
execFileSync(process.execPath, [join(web, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(web, 'tsconfig.json')], { stdio: 'inherit' });
for (const file of ['index.html', 'styles.css']) copyFileSync(join(web, file), join(dist, file));
