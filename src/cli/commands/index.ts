/**
 * Every CLI command, in the order `specgate --help` lists them. A command's module is imported
 * only when that command runs (or its own help is asked for): `specgate --version`, `--help`
 * and every other command never load it. The name, usage and description here are what the
 * top-level help shows without loading the module; test/unit/cli/command-list.test.ts checks
 * that they match what each module registers.
 */
import type { Command } from "commander";
import type { CliIO } from "../io.js";

export type RegisterCommand = (program: Command, io: CliIO) => void;

export interface CommandEntry {
  readonly name: string;
  /** The command as the top-level help lists it: name, `[options]`, arguments. */
  readonly usage: string;
  readonly description: string;
  /** Imports the command's module and returns the function that registers it. */
  load(): Promise<RegisterCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "serve",
    usage: "serve [options]",
    description: "Run the MCP server: Streamable HTTP (default) or stdio.",
    load: async () => (await import("./serve.js")).registerServe,
  },
  {
    name: "fetch",
    usage: "fetch [options]",
    description: "Fetch Confluence pages as Markdown files (<id>-<slug>.md), following search results to the end.",
    load: async () => (await import("./fetch.js")).registerFetch,
  },
  {
    name: "convert",
    usage: "convert [options] [file]",
    description: "Convert Confluence storage XHTML or HTML to Markdown (stdout).",
    load: async () => (await import("./convert.js")).registerConvert,
  },
  {
    name: "lint",
    usage: "lint [options] <files...>",
    description:
      "Lint design documents (Markdown or Confluence/HTML) against the SpecGate template; exit 1 when a score is below the minimum.",
    load: async () => (await import("./lint.js")).registerLint,
  },
  {
    name: "extract",
    usage: "extract [options] <files...>",
    description: "Extract DesignRuleSpec rules from design documents (Markdown, or HTML/Confluence storage XHTML).",
    load: async () => (await import("./extract.js")).registerExtract,
  },
  {
    name: "diff",
    usage: "diff [options] <from> <to>",
    description:
      "Show the rule changes between two versions of a design document: rules added, removed and changed (field by field).",
    load: async () => (await import("./diff.js")).registerDiff,
  },
  {
    name: "generate",
    usage: "generate [options] <input>",
    description:
      "Generate Cursor rules, Semgrep rules, ast-grep rules, an ArchUnit test and a GitHub workflow from DesignRuleSpec rules or a design document (dry run unless --out).",
    load: async () => (await import("./generate.js")).registerGenerate,
  },
  {
    name: "check",
    usage: "check [options] [paths...]",
    description:
      "Check code against design rules (their patterns and forbidden dependencies, run by ast-grep). Exit 0 no findings, 1 findings, 2 bad input.",
    load: async () => (await import("./check.js")).registerCheck,
  },
  {
    name: "gate",
    usage: "gate [options]",
    description:
      "Score the CI gate: map SARIF findings to design rules → Drift Score, PASS/WARNING/FAIL, Drift Radar. Exit 0 PASS/WARNING, 1 FAIL, 2 bad input.",
    load: async () => (await import("./gate.js")).registerGate,
  },
  {
    name: "cache",
    usage: "cache",
    description: "Inspect or invalidate the shared Redis cache (L2) of a SpecGate deployment.",
    load: async () => (await import("./cache.js")).registerCache,
  },
];

/**
 * The command `argv` runs (or asks help for: `help lint`), read the way commander will: the
 * first word that is neither an option nor the value of `--config`. Undefined when there is none.
 */
export function selectedCommand(argv: readonly string[]): CommandEntry | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    if (arg === "--config") i++;
    else if (!arg.startsWith("-")) words.push(arg);
  }
  const name = words[0] === "help" ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}
