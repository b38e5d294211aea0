/**
 * A copy of a `pg` error fit to travel as the `cause` of a `StorageError`: PostgreSQL's
 * `detail`, `where` and `internalQuery` fields can quote row values (record bodies, which may
 * carry PII), so only the fields that identify the failure are kept.
 *
 * @module
 */

const KEPT = ['code', 'severity', 'routine', 'schema', 'table', 'column', 'constraint'] as const;

/** The driver error without fields that may quote data; non-`pg` errors pass unchanged. */
export function withoutRowValues(error: unknown): unknown {
  if (
    !(error instanceof Error) ||
    !('severity' in error || 'where' in error || 'detail' in error)
  ) {
    return error;
  }
  const copy = new Error(error.message);
  copy.name = error.name;
  if (error.stack) copy.stack = error.stack.replace(/^.*$/m, `${error.name}: ${error.message}`);
  const source = error as unknown as Record<string, unknown>;
  for (const key of KEPT) {
    if (source[key] !== undefined) Object.assign(copy, { [key]: source[key] });
  }
  return copy;
}
