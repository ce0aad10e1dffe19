/**
 * The contract every `dsar` command fulfils, and the errors that map to exit codes.
 *
 * A command is a module exporting one `CliCommand`; `main.ts` holds the map from name to command, so
 * adding a command is one new file and one line there.
 */

/** Where a command writes. Injected so that commands never touch `process` directly. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CliCommand {
  readonly name: string;
  /** One line for the command list in `dsar --help`. */
  readonly summary: string;
  /** Full usage text for `dsar <command> --help`. */
  readonly usage: string;
  /**
   * Runs the command; throws UsageError (or a domain error) instead of printing errors itself. A
   * command that talks to the running local pipeline (`report`, `sweep`) returns a promise.
   */
  run(args: string[], io: CliIo): void | Promise<void>;
}

/** Exit codes: 0 success, 1 unexpected failure, 2 bad usage or input, 3 official calendar data missing. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The command line itself is wrong: unknown command, missing or malformed option. */
export class UsageError extends Error {
  override name = 'UsageError' as const;
}
