/**
 * The logger `--verbose` hands to the client and the sync engine: one line per entry on
 * stderr. The library never puts credentials or record bodies in log entries.
 *
 * @module
 */
import type { Logger } from '../options';
import type { OutputStream } from './io';

/**
 * A {@link Logger} writing `level message {fields}` lines.
 *
 * @example
 * ```ts
 * new OneRosterClient({ baseUrl, logger: lineLogger(io.stderr) });
 * ```
 */
export function lineLogger(stream: OutputStream): Logger {
  const write = (level: string) => (fields: object, message?: string) => {
    stream.write(`${level} ${message ?? ''} ${JSON.stringify(fields)}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
