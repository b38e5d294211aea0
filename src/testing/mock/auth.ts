/**
 * Credential checks of the mock server. (First version: no auth.)
 *
 * @module
 */
import type { AuthVerifier } from './handle';

/** How the mock server authenticates requests. */
export type MockAuthOptions = { type: 'none' };

/** Build the verifier for the configured auth. */
export function createAuthVerifier(_options: MockAuthOptions | undefined): AuthVerifier {
  return {
    tokenPath: undefined,
    verify: async () => ({ ok: true, outcome: 'none' }),
    allows: () => true,
  };
}
