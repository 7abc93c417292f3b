import { PassThrough, Readable } from "node:stream";
import { Command, Help } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS, selectedCommand } from "../../../src/cli/commands/index.js";
import { buildProgram } from "../../../src/cli/program.js";
import type { CliIO } from "../../../src/cli/io.js";

function io(): CliIO & { out: () => string } {
  const stdout = new PassThrough();
  let out = "";
  stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  return {
    stdout,
    stderr: new PassThrough(),
    stdin: Readable.from([]),
    env: {},
    cwd: process.cwd(),
    isTTY: false,
    out: () => out,
  };
}

describe("the command list the top-level help shows without loading the commands", () => {
  it("names, describes and shows each command's usage as its module registers it", async () => {
    const help = new Help();
    for (const entry of COMMANDS) {
      const program = new Command("specgate");
      (await entry.load())(program, io());
      const [registered] = program.commands;
      expect(registered, entry.name).toBeDefined();
      expect(
        { name: registered!.name(), usage: help.subcommandTerm(registered!), description: registered!.description() },
        `src/cli/commands/index.ts entry "${entry.name}" must say what its module registers`,
      ).toEqual({ name: entry.name, usage: entry.usage, description: entry.description });
    }
  });

  it("lists every command, in order, as a fully loaded program would", async () => {
    const lazy = await buildProgram(io());
    const loaded = await buildProgram(io());
    // The same program with every command's module registered, as before commands loaded lazily.
    for (const [i, entry] of COMMANDS.entries()) {
      const full = new Command("specgate");
      (await entry.load())(full, io());
      (loaded.commands as Command[])[i] = full.commands[0]!;
    }
    loaded.configureHelp({});
    expect(lazy.helpInformation()).toBe(loaded.helpInformation());
    expect(lazy.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
  });

  it("finds the command in the arguments as commander does", () => {
    const name = (argv: string[]) => selectedCommand(argv)?.name;
    expect(name(["lint", "a.md"])).toBe("lint");
    expect(name(["--config", "lint", "convert", "x.html"])).toBe("convert");
    expect(name(["--no-config", "-v"])).toBeUndefined();
    expect(name(["help", "gate"])).toBe("gate");
    expect(name(["help"])).toBeUndefined();
    expect(name(["--", "lint"])).toBeUndefined();
    expect(name(["no-such-command"])).toBeUndefined();
  });
});
