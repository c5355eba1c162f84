#!/usr/bin/env node
// Entry point of the `tallennin` command; the CLI itself is compiled from src/cli/.
// libuv's thread pool carries both the serial reads and every recording's fdatasync: with the
// default 4 threads, syncs of many calls delay the reads of the bridge link. It is sized here,
// before anything uses the pool (hence the dynamic import below).
process.env.UV_THREADPOOL_SIZE ??= '16';
await import('../dist/cli/tallennin.js');
