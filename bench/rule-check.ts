/**
 * rule_check benchmark: design rules run on code.
 *
 *   node --expose-gc --import tsx bench/rule-check.ts
 *
 * - 1,000 generated source files (~200 lines each, half Java, half TypeScript) × 20 rules
 *   (structural patterns, regexes, forbidden dependencies): rule_check through the whole tool
 *   pipeline (`paths`), next to the floor — the ast-grep CLI alone on the same files with the same
 *   rules (the ones spec_generate writes), run in turns in this run. Target ≤ 1.3× the floor.
 * - Peak RSS: SpecGate's process (rule_check in a fresh process) plus the ast-grep child (the
 *   floor's peak, the same work). Target ≤ 300 MB.
 * - One 500-line buffer against the 20 rules, warm (`files`, cache off). Target ≤ 50 ms.
 * - The in-process engine, @ast-grep/napi (+ @ast-grep/lang-java), on the same files and rules when
 *   `npm run bench:peers` installed it: the measurement behind using the CLI binary.
 * Prints Markdown tables and writes bench/results/rule-check.json.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig } from "../src/config.js";
import { findAstGrep } from "../src/core/astgrep/binary.js";
import { astGrepRulesFor, type AstGrepRule } from "../src/core/astgrep/rules.js";
import { astGrepYaml } from "../src/core/generate/astgrep.js";
import { readRules, type DesignRuleSpec } from "../src/core/spec/design-rule-spec.js";
import { createLogger } from "../src/logger.js";
import { createRuntime } from "../src/runtime.js";
import { ruleCheck } from "../src/tools/rule-check.js";
import {
  fmtMs,
  fmtRatio,
  measure,
  printTable,
  printTargets,
  reportIsolated,
  runIsolated,
  summarize,
  writeResults,
  type TargetRow,
} from "./lib.js";

const FILES = 1000;
const LAYERS = ["controller", "service", "repository"] as const;

const java = (i: number, lines: number) => {
  const layer = LAYERS[i % 3]!;
  const out = [
    `package com.acme.shop.${layer};`,
    "",
    "import com.acme.shop.repository.OrderRepository;",
    "import java.util.List;",
    "",
    `public class C${i} {`,
  ];
  for (let m = 0; out.length < lines - 1; m++) {
    out.push(
      `  public int m${m}(List<String> items, Request req) {`,
      "    int total = 0;",
      "    for (String s : items) { total += s.length(); }",
    );
    out.push(m % 9 === 0 ? '    System.out.println("total " + total);' : '    log.debug("total {}", total);');
    out.push(m % 13 === 0 ? '    log.info("body {}", req.getBody());' : "    helper.call(total, items.size());");
    out.push(
      m % 17 === 0 ? '    String password = "s3cret-value";' : "    String label = names.get(total);",
      "    return total;",
      "  }",
    );
  }
  out.push("}");
  return `${out.join("\n")}\n`;
};
const ts = (i: number, lines: number) => {
  const out = [
    'import { repo } from "../repositories/orders";',
    'import * as fs from "node:fs";',
    "",
    `export class S${i} {`,
  ];
  for (let m = 0; out.length < lines - 1; m++) {
    out.push(
      `  m${m}(items: string[]): number {`,
      "    let total = 0;",
      "    for (const s of items) total += s.length;",
    );
    out.push(m % 9 === 0 ? '    console.log("total", total);' : '    logger.debug("total", total);');
    out.push(
      m % 19 === 0
        ? "    const copy = JSON.parse(JSON.stringify(items)); // TODO: structuredClone"
        : "    const copy = items.slice();",
      "    return total + copy.length;",
      "  }",
    );
  }
  out.push("}");
  return `${out.join("\n")}\n`;
};

/** The 20 rules: 10 on Java, 10 on TypeScript. */
export function benchRules(): DesignRuleSpec[] {
  const javaScope = { file_patterns: ["**/*.java"] };
  const tsScope = { file_patterns: ["**/*.ts"] };
  const p = (n: number, scope: object, vc: object, priority = "MUST NOT") => ({
    rule_id: `RULE-DEV-${String(n).padStart(3, "0")}`,
    priority,
    description: `rule ${n}`,
    scope,
    validation_conditions: vc,
  });
  const raw = [
    p(1, javaScope, { structural_patterns: ["System.out.println($$$A)"] }),
    p(2, javaScope, { structural_patterns: ["$L.info($$$A, $R.getBody())"] }),
    p(3, javaScope, { structural_patterns: ["$X.printStackTrace()"] }),
    p(4, javaScope, { structural_patterns: ["new Thread($$$A)"] }),
    p(5, javaScope, { structural_patterns: ["Thread.sleep($$$A)"] }),
    p(6, javaScope, { structural_patterns: ["System.exit($$$A)"] }),
    p(7, javaScope, { code_patterns: ['password\\s*=\\s*"'] }),
    p(8, javaScope, {
      dependency_rules: [{ from: "controller", to: "repository", direction: "forbidden" }],
      languages: ["java"],
    }),
    p(9, javaScope, { structural_patterns: ['$S.equals("")'] }, "SHOULD"),
    p(10, javaScope, { structural_patterns: ["Runtime.getRuntime().exec($$$A)"] }),
    p(11, tsScope, { structural_patterns: ["console.log($$$A)"] }, "SHOULD NOT"),
    p(12, tsScope, { structural_patterns: ["eval($$$A)"] }),
    p(13, tsScope, { structural_patterns: ["debugger;"] }),
    p(14, tsScope, { structural_patterns: ["$X.innerHTML = $Y"] }),
    p(15, tsScope, { structural_patterns: ["new Function($$$A)"] }),
    p(16, tsScope, { structural_patterns: ["setTimeout($S, 0)"] }),
    p(17, tsScope, { structural_patterns: ["JSON.parse(JSON.stringify($X))"] }, "SHOULD"),
    p(18, tsScope, { code_patterns: ["TODO|FIXME"] }, "MAY"),
    p(19, tsScope, {
      dependency_rules: [{ from: "controller", to: "repository", direction: "forbidden" }],
      languages: ["typescript"],
    }),
    p(20, tsScope, { structural_patterns: ["process.exit($$$A)"] }),
  ];
  const { rules, issues } = readRules(raw);
  if (issues.length) throw new Error(JSON.stringify(issues));
  return rules;
}

export async function writeRepo(dir: string): Promise<void> {
  for (let i = 0; i < FILES; i++) {
    const isJava = i % 2 === 0;
    const layer = LAYERS[(i >> 1) % 3]!;
    const sub = isJava ? `src/main/java/com/acme/shop/${layer}` : `web/src/${layer}s`;
    await mkdir(path.join(dir, sub), { recursive: true });
    await writeFile(path.join(dir, sub, isJava ? `C${i}.java` : `s${i}.ts`), isJava ? java(i, 200) : ts(i, 200));
  }
}

/** Runs the ast-grep CLI alone on the repository; resolves with the number of matches and the child's peak RSS (VmHWM). */
async function floor(repo: string, config: string): Promise<{ ms: number; matches: number; peakMb: number }> {
  const { command } = await findAstGrep();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, ["scan", "-c", config, "--json=stream", "."], {
      cwd: repo,
      stdio: ["ignore", "pipe", "ignore"],
    });
    let matches = 0;
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // gone
      }
    }, 10);
    child.stdout.on("data", (d: Buffer) => {
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) matches++;
    });
    child.on("error", reject);
    child.on("close", () => {
      clearInterval(poll);
      resolve({ ms: performance.now() - t0, matches, peakMb: Math.round(peakKb / 1024) });
    });
  });
}

/** The in-process engine, when installed as a bench peer: parse each file, run the rules of its language. */
async function napiRun(
  repo: string,
  rules: readonly AstGrepRule[],
): Promise<{ ms: number; matches: number } | undefined> {
  const require = createRequire(import.meta.url);
  let napi: {
    parse(lang: unknown, src: string): { root(): { findAll(m: unknown): unknown[] } };
    Lang: Record<string, unknown>;
    registerDynamicLanguage(l: object): void;
  };
  try {
    napi = require("@ast-grep/napi");
    napi.registerDynamicLanguage({ java: require("@ast-grep/lang-java") });
  } catch {
    return undefined;
  }
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(path.join(d, e.name));
      else files.push(path.relative(repo, path.join(d, e.name)));
    }
  };
  await walk(repo);
  // The rules' `files` globs, as the bench's rules write them: **/*.ext or **/<dir>/**.
  const applies = (r: AstGrepRule, file: string) =>
    !r.files ||
    r.files.some((g) =>
      g.startsWith("**/*.")
        ? file.endsWith(g.slice(4))
        : g.startsWith("**/") && g.endsWith("/**")
          ? `/${file}`.includes(`/${g.slice(3, -3)}/`)
          : false,
    );
  const t0 = performance.now();
  let matches = 0;
  for (const f of files) {
    const isJava = f.endsWith(".java");
    const src = await readFile(path.join(repo, f), "utf8");
    const root = napi.parse(isJava ? "java" : napi.Lang.TypeScript, src).root();
    for (const r of rules) {
      if ((r.language === "java") !== isJava || !applies(r, f)) continue;
      matches += root.findAll({ rule: r.rule, ...(r.utils ? { utils: r.utils } : {}) }).length;
    }
  }
  return { ms: performance.now() - t0, matches };
}

async function isolatedCheck(repo: string): Promise<void> {
  const runtime = createRuntime({
    config: loadConfig({ LOG_LEVEL: "silent", SPECGATE_WORKSPACE: repo, SPECGATE_TOOL_TIMEOUT_MS: "600000" }),
    logger: createLogger({ level: "silent" }),
  });
  const out = await runtime.pipeline.execute<{ findings: unknown[] }>(
    { ...ruleCheck, cache: undefined },
    { rules: benchRules(), paths: ["src", "web"] },
  );
  reportIsolated({ findings: out.output.findings.length });
}

async function main(): Promise<void> {
  const repo = await mkdtemp(path.join(tmpdir(), "specgate-bench-check-"));
  const cfg = await mkdtemp(path.join(tmpdir(), "specgate-bench-rules-"));
  try {
    await writeRepo(repo);
    const rules = benchRules();
    const astGrep = rules.flatMap((r) => astGrepRulesFor(r).rules);
    await mkdir(path.join(cfg, "rules"));
    await writeFile(path.join(cfg, "sgconfig.yml"), "ruleDirs:\n  - rules\n");
    await writeFile(path.join(cfg, "rules", "rules.yml"), astGrepYaml(astGrep.map(({ metadata: _m, ...r }) => r)));

    const runtime = createRuntime({
      config: loadConfig({ LOG_LEVEL: "silent", SPECGATE_WORKSPACE: repo, SPECGATE_TOOL_TIMEOUT_MS: "600000" }),
      logger: createLogger({ level: "silent" }),
    });
    const tool = { ...ruleCheck, cache: undefined };
    const check = async () =>
      (await runtime.pipeline.execute<{ findings: unknown[] }>(tool, { rules, paths: ["src", "web"] })).output;

    // Warm both, then alternate so load on the shared machine falls on both alike.
    await floor(repo, path.join(cfg, "sgconfig.yml"));
    const warm = await check();
    const floorMs: number[] = [];
    const checkMs: number[] = [];
    const ratios: number[] = [];
    let floorRun = { ms: 0, matches: 0, peakMb: 0 };
    for (let i = 0; i < 9; i++) {
      floorRun = await floor(repo, path.join(cfg, "sgconfig.yml"));
      floorMs.push(floorRun.ms);
      const t0 = performance.now();
      await check();
      checkMs.push(performance.now() - t0);
      ratios.push(checkMs[i]! / floorMs[i]!);
    }
    const f = summarize(floorMs);
    const c = summarize(checkMs);
    // Each pair ran back to back: the median of the pairs' ratios is steadier than the ratio of
    // medians when other jobs' load comes and goes.
    const ratio = summarize(ratios).median;
    const napi = await napiRun(repo, astGrep);
    const napi2 = napi ? await napiRun(repo, astGrep) : undefined;

    const isolated = await runIsolated<{ findings: number }>(
      new URL(import.meta.url).pathname,
      ["--child", repo],
      ["--expose-gc"],
    );
    const peakTotal = isolated.maxRssMb + floorRun.peakMb;

    // One 500-line buffer, warm, cache off.
    const buffer = java(1, 500);
    const single = await measure(
      () =>
        runtime.pipeline.execute(tool, {
          rules,
          files: [{ path: "src/main/java/com/acme/shop/controller/Big.java", content: buffer }],
        }),
      { runs: 40, warmup: 5 },
    );

    printTable(
      `1,000 files (~200 lines; 500 Java, 500 TypeScript) × 20 rules (${astGrep.length} ast-grep rules), median of ${c.runs}`,
      ["engine", "median", "p95", "findings", "vs the CLI alone"],
      [
        ["ast-grep CLI alone (floor)", fmtMs(f.median), fmtMs(f.p95), floorRun.matches, "1.0×"],
        [
          "rule_check (pipeline, `paths`)",
          fmtMs(c.median),
          fmtMs(c.p95),
          warm.findings.length,
          `${fmtRatio(ratio)} (median of ${ratios.length} back-to-back pairs)`,
        ],
        ...(napi
          ? [
              [
                "@ast-grep/napi in process (one thread)",
                fmtMs(Math.min(napi.ms, napi2!.ms)),
                "",
                napi.matches,
                fmtRatio(Math.min(napi.ms, napi2!.ms) / f.median),
              ],
            ]
          : [["@ast-grep/napi", "not installed (npm run bench:peers)", "", "", ""]]),
      ],
    );
    printTable(
      "Peak RSS",
      ["process", "peak RSS"],
      [
        ["SpecGate (rule_check in a fresh process)", `${isolated.maxRssMb} MB`],
        ["ast-grep child (the same scan)", `${floorRun.peakMb} MB`],
        ["together", `${peakTotal} MB`],
      ],
    );
    printTable(
      "One 500-line Java buffer × 20 rules, warm (cache off)",
      ["median", "p95", "runs"],
      [[fmtMs(single.median), fmtMs(single.p95), single.runs]],
    );

    const targets: TargetRow[] = [
      {
        row: "rule_check, 1,000 files × 20 rules",
        target: "≤ 1.3× the ast-grep CLI alone",
        specgate: fmtMs(c.median),
        peer: `CLI alone ${fmtMs(f.median)}`,
        ratio: fmtRatio(ratio),
        met: ratio <= 1.3,
        note: `median of ${ratios.length} back-to-back pairs' ratios (${fmtRatio(Math.min(...ratios))} to ${fmtRatio(Math.max(...ratios))}); the in-process engine (@ast-grep/napi, one thread) took ${napi ? fmtRatio(Math.min(napi.ms, napi2!.ms) / f.median) : "(not installed)"} the CLI's time`,
      },
      {
        row: "rule_check peak RSS (1,000 files)",
        target: "≤ 300 MB",
        specgate: `${peakTotal} MB`,
        peer: `ast-grep child ${floorRun.peakMb} MB of it`,
        ratio: "—",
        met: peakTotal <= 300,
      },
      {
        row: "rule_check, one 500-line buffer, warm",
        target: "≤ 50 ms",
        specgate: fmtMs(single.median),
        peer: "—",
        ratio: "—",
        met: single.median <= 50,
      },
    ];
    printTargets("Targets", targets);
    await writeResults("rule-check", {
      files: FILES,
      rules: rules.length,
      astGrepRules: astGrep.length,
      floor: f,
      ruleCheck: c,
      pairRatios: ratios,
      ratio,
      napi: napi ? { ms: Math.min(napi.ms, napi2!.ms), matches: napi.matches } : null,
      findings: warm.findings.length,
      floorMatches: floorRun.matches,
      peakRssMb: { specgate: isolated.maxRssMb, astGrep: floorRun.peakMb, total: peakTotal },
      singleBuffer: single,
      targets,
    });
  } finally {
    await rm(repo, { recursive: true, force: true });
    await rm(cfg, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (process.argv[2] === "--child") await isolatedCheck(process.argv[3]!);
  else await main();
}
