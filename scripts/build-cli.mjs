// The build's second step, after `tsc` has built dist/:
// - the bundled rulesets parsed and validated once (dist/rulesets/<name>.json, used while the
//   YAML is unchanged);
// - the `specgate` command (src/cli.ts) bundled into dist/cli.js and dist/chunks/: a command then
//   loads a few files instead of hundreds of modules (Node's ESM loader resolves, reads and
//   compiles each one), which is most of a short command's time. Lazy `import()`s stay lazy, each
//   a chunk of its own. The library (dist/index.js) and the worker thread's module
//   (dist/perf/worker.js) stay as tsc built them.
//
// Packages stay outside the bundle when they start threads or processes from files of their own
// (piscina, ast-grep's binaries) or are only loaded when configured (ioredis, undici). pino is
// inside: SpecGate writes its logs to file descriptor 2 itself and uses no pino transport (the
// part of pino that starts a thread from a file).
//
// dist/chunks/meta.json maps each output file to the sources and packages in it: what a command
// loads can still be read module by module (the startup tests do).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));

const { parseRulesetYaml } = await import(pathToFileURL(path.join(root, "dist/core/lint/ruleset/parse.js")).href);
const { BUNDLED_RULESETS, sourceHash } = await import(
  pathToFileURL(path.join(root, "dist/core/lint/ruleset/load.js")).href
);
await mkdir(path.join(root, "dist", "rulesets"), { recursive: true });
for (const name of BUNDLED_RULESETS) {
  const text = await readFile(path.join(root, "rulesets", `${name}.yaml`), "utf8");
  const compiled = { source_sha256: sourceHash(text), ruleset: parseRulesetYaml(text, name) };
  await writeFile(path.join(root, "dist", "rulesets", `${name}.json`), `${JSON.stringify(compiled)}\n`);
}

// zod re-exports every language's error messages as `z.locales` (about a third of its code);
// SpecGate never reads them, and zod imports its English messages directly. In the bundle,
// `z.locales` holds English only.
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: path.join(path.dirname(args.importer), "..", "locales", "en.js"), namespace: "zod-locales" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

// The SDK's Server module imports its ajv-based validator for a default SpecGate never uses (it
// passes its own, which loads ajv on the first schema compiled: src/mcp/json-schema-validator.ts).
// Bundled, that import would load and evaluate ajv and its formats at every start; it gets the
// lazy validator instead, under the SDK's name.
const sdkValidatorLazy = {
  name: "sdk-validator-lazy",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/validation\/ajv-provider\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]esm[\\/]server[\\/]/.test(args.importer)
        ? { path: "ajv-provider", namespace: "sdk-validator-lazy" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "sdk-validator-lazy" }, () => ({
      contents: `export { LazyJsonSchemaValidator as AjvJsonSchemaValidator } from ${JSON.stringify(
        path.join(root, "src", "mcp", "json-schema-validator.ts"),
      )};`,
      resolveDir: root,
    }));
  },
};

// pino's transports run a logger in a worker thread (thread-stream); SpecGate writes its logs to
// file descriptor 2 itself and starts none. Bundled, pino's transport module would load and
// evaluate thread-stream, node:assert and their helpers at every start: it gets a stand-in that
// says so if it is ever called.
const pinoWithoutTransports = {
  name: "pino-without-transports",
  setup(b) {
    b.onResolve({ filter: /^\.\/(lib\/)?transport$/ }, (args) =>
      /[\\/]node_modules[\\/]pino[\\/]/.test(args.importer)
        ? { path: "pino-transport", namespace: "pino-without-transports" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "pino-without-transports" }, () => ({
      contents:
        "module.exports = function transport() { throw new Error('pino transports are not available in the specgate command'); };",
      loader: "js",
    }));
  },
};

// Chunks are named by content hash: an earlier build's would otherwise stay beside the new ones.
await rm(path.join(root, "dist", "chunks"), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist",
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: `node${pkg.engines.node.replace(/^>=\s*/, "")}`,
  external: ["@ast-grep/*", "piscina", "ioredis", "undici"],
  // Packages written as CommonJS call require(); in an ES module it has to be made.
  banner: {
    js: 'import { createRequire as __sgRequire } from "node:module"; const require = __sgRequire(import.meta.url);',
  },
  // Less to parse at every start; names are kept, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "linked",
  plugins: [zodEnglishOnly, sdkValidatorLazy, pinoWithoutTransports],
  // `specgate --version` prints it without reading package.json (src/cli.ts).
  define: { SPECGATE_BUNDLED_VERSION: JSON.stringify(pkg.version) },
  metafile: true,
  logLevel: "warning",
});

const meta = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith(".js")) continue;
  meta[path.relative("dist", file)] = Object.keys(output.inputs).sort();
}
await mkdir(path.join(root, "dist", "chunks"), { recursive: true });
await writeFile(path.join(root, "dist", "chunks", "meta.json"), `${JSON.stringify(meta, null, 1)}\n`);
