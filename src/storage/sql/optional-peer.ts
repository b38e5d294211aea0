/**
 * Loading of the optional peer dependencies (`better-sqlite3`, `pg`). They are loaded with
 * `require` at the moment an adapter is constructed, not imported at module load, so that:
 * importing a subpath never fails for someone who does not use it, and a missing driver is a
 * {@link ConfigurationError} saying what to install instead of a bare `ERR_MODULE_NOT_FOUND`.
 * Both drivers are CommonJS, so `require` returns them synchronously.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { ConfigurationError } from '../../errors';

const requireFromHere = createRequire(import.meta.url);

/**
 * `require(name)`, or a {@link ConfigurationError} naming the package to install.
 *
 * @param adapter - the adapter that needs it, for the message (e.g. `SqliteStorage`).
 */
export function loadOptionalPeer<T>(name: string, adapter: string): T {
  try {
    return requireFromHere(name) as T;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new ConfigurationError(
        name,
        `${adapter} needs the optional peer dependency "${name}"; install it with \`npm install ${name}\``,
      );
    }
    // Installed but broken (e.g. a native binary built for another Node version).
    throw new ConfigurationError(
      name,
      `${adapter} could not load "${name}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
