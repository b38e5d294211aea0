#!/usr/bin/env node
/**
 * The `oneroster` command (bin entry). Everything happens in {@link runCli}; this file only
 * connects it to the real process. No top-level await: the bundle must also load where it is
 * not allowed.
 *
 * @module
 */
import { processIo } from './io';
import { runCli } from './main';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // The reader went away (`oneroster get users -f ndjson | head`): stop quietly, as Unix tools do.
  if (error.code === 'EPIPE')
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // runCli never rejects; if it does, that is a bug worth its stack trace.
    console.error(error);
    process.exitCode = 1;
  },
);
