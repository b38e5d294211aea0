/**
 * One JSON object per line on stdout (what log collectors ingest), pino-style.
 */

/** Write `{ time, level, msg, ...fields }` as one line. */
export function log(
  level: 'info' | 'warn' | 'error',
  msg: string,
  fields: Record<string, unknown> = {},
): void {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`,
  );
}
