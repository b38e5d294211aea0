/**
 * Identifiers the adapter splices into SQL (the schema name, staging table names). They cannot
 * be bound as parameters, so they are checked against a strict pattern and always quoted.
 *
 * @module
 */
import { ConfigurationError } from '../../errors';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Check a schema name (lower-case letters, digits, `_`; at most 63 bytes) and quote it. */
export function quoteSchema(schema: unknown): string {
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    throw new ConfigurationError(
      'schema',
      'must be a lower-case SQL identifier: letters, digits and _ (at most 63 characters, not starting with a digit)',
    );
  }
  return `"${schema}"`;
}

/** Quote an identifier this adapter generated itself. */
export function quoteGenerated(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`internal: unsafe identifier ${name}`);
  return `"${name}"`;
}
