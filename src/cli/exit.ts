/**
 * Exit codes and the exception commands throw to end with one: 0 ok, 1 gate or lint failure,
 * 2 usage or input error. Kept apart from the IO helpers so that `specgate --version` and
 * `--help` load nothing else.
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Thrown by commands to end with a given exit code after printing `message` to stderr. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = "",
  ) {
    super(message);
    this.name = "CliExit";
  }
}
