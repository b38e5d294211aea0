/**
 * Exit codes of the `oneroster` command. Scripts and schedulers branch on them, so they never
 * change meaning once released (docs/cli.md lists them).
 *
 * @module
 */

/**
 * What the process exit code means.
 *
 * @example
 * ```ts
 * process.exitCode = report.status === 'refused' ? EXIT.refused : EXIT.ok;
 * ```
 */
export const EXIT = Object.freeze({
  /** Everything asked for succeeded. */
  ok: 0,
  /** A sync failed, the server was unreachable or refused the credentials, or a read failed. */
  failure: 1,
  /** The command line or the config file is wrong: nothing was attempted. */
  usage: 2,
  /** The shrink guard refused a sync (nothing was changed); rerun with `--force` after checking. */
  refused: 3,
  /** Stopped by Ctrl+C or SIGTERM (128 + SIGINT, the shell convention); nothing was changed. */
  interrupted: 130,
});

/** One of the {@link EXIT} values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
