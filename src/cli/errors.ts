/**
 * CLI error kinds and their exit codes. Pure (no `vscode`).
 *  - `UsageError` → exit 2: the command line is wrong (unknown option, missing argument, bad number).
 *  - `DataError`  → exit 1: the command line is fine but the data is not (missing file, nothing to fit, …).
 */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

export class DataError extends Error {
  readonly exitCode = 1;
}
