/** Small hand-written auth strategies for transport tests that are not about auth itself. */
import type { AuthStrategy } from '../../../src/auth/types';

export function noAuth(): AuthStrategy {
  return {
    type: 'none',
    authorize: async () => ({}),
    describe: () => 'no authentication',
    secrets: () => [],
  };
}

/** A bearer strategy with a rotating token; `refresh()` rotates it and reports success. */
export function rotatingBearer(tokens: string[]): AuthStrategy & { current(): string } {
  let index = 0;
  const current = (): string => tokens[Math.min(index, tokens.length - 1)] as string;
  return {
    type: 'bearer',
    current,
    authorize: async () => ({ authorization: `Bearer ${current()}` }),
    refresh: async () => {
      if (index >= tokens.length - 1) return false;
      index++;
      return true;
    },
    describe: () => 'a bearer token',
    secrets: () => tokens,
  };
}
