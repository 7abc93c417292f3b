/**
 * The `specgate` command line: builds the commander program from the command list and runs it
 * with injected IO. `specgate.ts`-style side effects live only in src/cli.ts.
 *
 * Only the command being run is loaded (src/cli/commands/index.ts): the others are registered by
 * name and description, which is all the top-level help shows.
 */
import { Command, CommanderError, Help } from "commander";
import { ConfigError } from "../config-error.js";
import { SpecGateError } from "../errors.js";
import { VERSION } from "../version.js";
import { COMMANDS, selectedCommand } from "./commands/index.js";
import { CliExit, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./exit.js";
import type { CliIO } from "./io.js";

/** The program for `argv`: the command it names fully registered, the others as their help entries. */
export async function buildProgram(io: CliIO, argv: readonly string[] = []): Promise<Command> {
  const program = new Command("specgate")
    .description(
      "Design documents in, enforceable rules out: Confluence → Markdown → lint → DesignRuleSpec → IDE/CI checks → CI gate.",
    )
    .version(VERSION, "-v, --version")
    .option("--config <file>", "read this configuration file instead of looking for .specgate.yaml upwards")
    .option("--no-config", "read no configuration file")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride();
  const selected = selectedCommand(argv);
  const register = await selected?.load();
  const usage = new Map<string, string>();
  for (const entry of COMMANDS) {
    if (entry === selected && register) register(program, io);
    else {
      // Never run: `selectedCommand` reads argv as commander does. Should they ever disagree,
      // this says so instead of doing nothing.
      program
        .command(entry.name)
        .description(entry.description)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(() => {
          throw new Error(`the ${entry.name} command was not loaded for these arguments`);
        });
      usage.set(entry.name, entry.usage);
    }
  }
  const help = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => usage.get(cmd.name()) ?? help.subcommandTerm(cmd) });
  for (const cmd of program.commands)
    cmd
      .exitOverride()
      .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });
  return program;
}

/** Runs the CLI and resolves with the exit code (never calls process.exit). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const program = await buildProgram(io, argv);
    await program.parseAsync(argv as string[], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliExit) {
      if (error.message) io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      )
        return EXIT_OK;
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
    io.stderr.write(
      `specgate: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_FAILURE;
  }
}
