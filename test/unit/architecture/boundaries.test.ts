/**
 * The layers, read from the import lines of every source file (docs/architecture.md draws them):
 *
 *   entry points (cli, transports, server, index, bootstrap; mcp: the server's resources and prompts)
 *     → tools (MCP contracts) → app (use cases: per-document caching shared by tools)
 *     → pipeline (the call wrapper) → cache, perf
 *     → core (the work; declares its ports)
 *
 * - core knows no infrastructure: not the pipeline, tools, CLI, transports, cache, metrics or
 *   configuration; it declares the ports it needs. Everyone may use the kernel: errors, signals
 *   (deadlines), secrets (scrubbing), logger, text, version, canonical-json;
 * - the cache knows no domain (no core, no tools);
 * - the pipeline runs tools without knowing any (no tools, CLI or transports);
 * - no tool imports another tool, no CLI command another command.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../../src");
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)"|import\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g;

/** Every relative import in src/, as [importer, imported], both relative to src/ without extension. */
function edges(): [string, string][] {
  const out: [string, string][] = [];
  for (const file of globSync("**/*.ts", { cwd: SRC })) {
    const text = readFileSync(path.join(SRC, file), "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, "");
      out.push([file.replace(/\.ts$/, ""), target]);
    }
  }
  return out;
}

const ALL = edges();
const layer = (module: string) => module.split("/")[0]!;
const crossings = (from: (m: string) => boolean, to: (m: string) => boolean) =>
  ALL.filter(([a, b]) => from(a) && to(b)).map(([a, b]) => `${a} → ${b}`);

describe("layer boundaries", () => {
  it("finds the imports it checks", () => {
    expect(ALL.length).toBeGreaterThan(300);
    expect(ALL).toContainEqual(["tools/html-to-md", "core/convert/index"]);
  });

  it("core imports no infrastructure", () => {
    const infrastructure = new Set([
      "pipeline",
      "tools",
      "cli",
      "transports",
      "cache",
      "perf",
      "app",
      "config",
      "runtime",
      "bootstrap",
      "server",
      "index",
    ]);
    expect(
      crossings(
        (a) => layer(a) === "core",
        (b) => infrastructure.has(layer(b)),
      ),
    ).toEqual([]);
  });

  it("the cache knows no domain", () => {
    expect(
      crossings(
        (a) => layer(a) === "cache",
        (b) => ["core", "tools", "app", "pipeline", "cli", "transports"].includes(layer(b)),
      ),
    ).toEqual([]);
  });

  it("use cases know no entry point: no tool, command, transport or server", () => {
    expect(
      crossings(
        (a) => layer(a) === "app",
        (b) => ["tools", "cli", "transports", "server", "index", "bootstrap"].includes(layer(b)),
      ),
    ).toEqual([]);
  });

  it("the pipeline knows no tool, command or transport", () => {
    expect(
      crossings(
        (a) => layer(a) === "pipeline",
        (b) => ["tools", "cli", "transports", "app"].includes(layer(b)),
      ),
    ).toEqual([]);
  });

  it("no tool imports another tool, no command another command", () => {
    // Shared by design: the registry, the cache policies, and the arguments and work spec_generate
    // (preview) and spec_write (writes) have in common.
    const shared = new Set(["tools/index", "tools/cache-policies", "tools/generate-files"]);
    const tool = (m: string) => layer(m) === "tools" && !shared.has(m);
    expect(
      crossings(
        (a) => tool(a),
        (b) => tool(b),
      ),
    ).toEqual([]);
    const command = (m: string) => m.startsWith("cli/commands/") && m !== "cli/commands/index";
    expect(crossings(command, command)).toEqual([]);
  });

  it("resources, prompts and completions (src/mcp) belong to the server: only it imports them, and they import no entry point", () => {
    expect(
      crossings(
        (a) => layer(a) !== "mcp" && a !== "server",
        (b) => layer(b) === "mcp",
      ),
    ).toEqual([]);
    expect(
      crossings(
        (a) => layer(a) === "mcp",
        (b) => ["cli", "transports", "server", "index", "bootstrap"].includes(layer(b)),
      ),
    ).toEqual([]);
  });

  it("only entry points reach the tools: the CLI runs use cases and the core, not tool modules", () => {
    expect(
      crossings(
        (a) => layer(a) === "cli",
        (b) => layer(b) === "tools" && b !== "tools/cache-policies" && b !== "tools/index",
      ),
    ).toEqual([]);
  });

  it("entry points lint and extract through the use cases, never the linter or extractor directly", () => {
    const entry = (m: string) => layer(m) === "cli" || layer(m) === "tools" || m === "index";
    const work = new Set(["lint", "extractDocument", "lintBatch"]);
    const direct = ALL.filter(([a, b]) => entry(a) && layer(b) === "core")
      .filter(([a, b]) => namesImported(a, b).some((name) => work.has(name)))
      .map(([a, b]) => `${a} → ${b}`);
    expect(direct).toEqual([]);
  });
});

/** The value names `from` imports from `to` (`import type` and `type` specifiers left out). */
function namesImported(from: string, to: string): string[] {
  const text = readFileSync(path.join(SRC, `${from}.ts`), "utf8");
  const names: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*import(\s+type)?\s*\{([^}]*)\}\s*from\s+"(\.{1,2}\/[^"]+)"/g)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), m[3]!)).replace(/\.js$/, "");
    if (target !== to || m[1] !== undefined) continue;
    for (const specifier of m[2]!.split(",")) {
      const [name] = specifier.trim().split(/\s+as\s+/);
      if (name && !name.startsWith("type ")) names.push(name);
    }
  }
  return names;
}
