/**
 * Per-version facts the mock server needs: base paths and scope URIs.
 *
 * @module
 */
import type { OneRosterVersion } from '../../models/types';

/** The Rostering service base path of each version (oneroster.md §1). */
export const BASE_PATHS: Readonly<Record<OneRosterVersion, string>> = {
  '1.1': '/ims/oneroster/v1p1',
  '1.2': '/ims/oneroster/rostering/v1p2',
};

/** Prefix of scope URIs per version (oneroster.md §10). */
export const SCOPE_PREFIXES: Readonly<Record<OneRosterVersion, string>> = {
  '1.1': 'https://purl.imsglobal.org/spec/or/v1p1/scope/',
  '1.2': 'https://purl.imsglobal.org/spec/or/v1p2/scope/',
};

/** The three Rostering scopes (short names). */
export type RosterScope =
  | 'roster-core.readonly'
  | 'roster.readonly'
  | 'roster-demographics.readonly';

/**
 * Reduce a scope to its short name (`roster.readonly`) whichever way it was written: the full
 * purl URI of either version, or the short name itself.
 */
export function shortScope(scope: string): string {
  for (const prefix of Object.values(SCOPE_PREFIXES)) {
    if (scope.startsWith(prefix)) return scope.slice(prefix.length);
  }
  return scope;
}
