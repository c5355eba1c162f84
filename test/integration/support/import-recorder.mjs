/**
 * Preloaded into a process under test (`node --import .../import-recorder.mjs`): appends every
 * module the ES module loader resolves (a file: or node: URL per line) to the file named by
 * TALLENNIN_IMPORT_LOG. Workers run the preload too, so the capture thread's imports are logged.
 * A package imported from our ES modules is resolved here, even a CommonJS one.
 */
import { register } from 'node:module';
import { URL } from 'node:url';

register(new URL('./import-recorder-hooks.mjs', import.meta.url), { data: { file: process.env.TALLENNIN_IMPORT_LOG } });
