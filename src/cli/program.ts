/**
 * The `specgate` command line: builds the commander program from the command list and runs it
 * with injected IO. `specgate.ts`-style side effects live only in src/cli.ts.
 */
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config.js";
import { SpecGateError } from "../errors.js";
import { VERSION } from "../version.js";
import { COMMANDS } from "./commands/index.js";
import { CliExit, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIO } from "./io.js";

export function buildProgram(io: CliIO): Command {
  const program = new Command("specgate")
    .description("Design documents in, enforceable rules out: Confluence → Markdown → lint → DesignRuleSpec → IDE/CI checks → CI gate.")
    .version(VERSION, "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride();
  for (const register of COMMANDS) register(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });
  return program;
}

/** Runs the CLI and resolves with the exit code (never calls process.exit). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv as string[], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliExit) {
      if (error.message) io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof SpecGateError) {
      io.stderr.write(`specgate: ${error.code}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`specgate: ${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`specgate: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
