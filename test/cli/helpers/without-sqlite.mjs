// Preloaded with `node --import`: makes `better-sqlite3` look uninstalled, as after a plain
// `npm install @smartpass/oneroster` (the driver is an optional peer dependency).
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'better-sqlite3') {
      throw Object.assign(new Error("Cannot find module 'better-sqlite3'"), {
        code: 'MODULE_NOT_FOUND',
      });
    }
    return nextResolve(specifier, context);
  },
});
