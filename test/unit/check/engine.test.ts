/**
 * The ast-grep engine as installed by `npm ci`: the binary is found without the package's install
 * script, patterns are judged by it, a run is killed when its call's deadline fires, and the rules
 * SpecGate writes load in it and find what they should, in every language they claim.
 */
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAstGrep, platformPackage } from "../../../src/core/astgrep/binary.js";
import { classifyPattern } from "../../../src/core/astgrep/patterns.js";
import { astGrepRulesFor } from "../../../src/core/astgrep/rules.js";
import { checkBuffers } from "../../../src/core/astgrep/lsp.js";
import { runAstGrep } from "../../../src/core/astgrep/run.js";
import { checkPatterns } from "../../../src/core/astgrep/validate.js";
import { astGrepYaml } from "../../../src/core/generate/astgrep.js";
import { ASTGREP_CLI_VERSION } from "../../../src/core/generate/workflow.js";
import { readRules } from "../../../src/core/spec/design-rule-spec.js";
import { until } from "../../helpers/cache.js";
import { FIXTURES } from "../../helpers/fixtures.js";
import { ROOT } from "../../helpers/spawn.js";

const run = promisify(execFile);

describe("the ast-grep binary", () => {
  it("is the platform package's executable, whatever npm did with the install script", async () => {
    const binary = await findAstGrep();
    expect(binary.command).toContain(path.join("node_modules", platformPackage()!, "ast-grep"));
    expect(binary.prefix).toEqual([]);
    const { stdout } = await run(binary.command, ["--version"]);
    expect(stdout.trim()).toBe(`ast-grep ${binary.version}`);
  });

  it("is the version the generated workflow runs with npx", async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies["@ast-grep/cli"]).toBe(ASTGREP_CLI_VERSION);
    expect((await findAstGrep()).version).toBe(ASTGREP_CLI_VERSION);
  });

  it("is killed, process group and all, when the call's deadline fires", async () => {
    const controller = new AbortController();
    const stdin = new PassThrough(); // never ended: without the kill, ast-grep waits forever
    let pid = 0;
    const running = runAstGrep(["run", "--pattern", "console.log($A)", "--lang", "typescript", "--stdin"], {
      cwd: tmpdir(),
      signal: controller.signal,
      input: stdin,
      onSpawn: (p) => {
        pid = p;
        controller.abort(new DOMException("deadline", "TimeoutError"));
      },
    });
    await expect(running).rejects.toMatchObject({ code: "E_TIMEOUT" });
    expect(pid).toBeGreaterThan(0);
    await until(() => !alive(pid), 10_000, "the ast-grep child to be gone");
    stdin.destroy();
  });
});

describe("the warm language server for buffers", () => {
  const yaml = astGrepYaml(
    astGrepRulesFor(
      readRules([
        {
          rule_id: "RULE-DEV-001",
          priority: "MUST NOT",
          scope: { file_patterns: ["src/**/*.ts"] },
          validation_conditions: { structural_patterns: ["console.log($$$A)"] },
        },
      ]).rules[0]!,
    ).rules.map(({ metadata: _m, ...r }) => r),
  );

  it("finds what a scan finds, honouring the rules' file globs, and stays warm across calls", async () => {
    const files = [
      { path: "src/a.ts", content: "const x = 1;\nconsole.log(x);\n" },
      { path: "other/b.ts", content: "console.log(2);\n" },
      { path: "src/c.md", content: "console.log(3)\n" },
    ];
    const pids = new Set<number>();
    const first = await checkBuffers(yaml, files, undefined, (_f, pid) => pids.add(pid));
    expect(first.map((m) => [m.file, m.line, m.column, m.snippet])).toEqual([["src/a.ts", 2, 1, "console.log(x);"]]);
    const again = await checkBuffers(yaml, files, undefined, (_f, pid) => pids.add(pid));
    expect(again).toEqual(first);
    expect(pids.size).toBe(1);
  });

  it("kills its server when the call's deadline fires mid-check, and starts a fresh one next time", async () => {
    const controller = new AbortController();
    let pid = 0;
    const huge = {
      path: "src/huge.ts",
      content: `${"let y = [1, 2, 3].map((v) => v * 2);\n".repeat(150_000)}console.log(y);\n`,
    };
    const running = checkBuffers(yaml, [huge], controller.signal, (_f, p) => {
      pid = p;
      controller.abort(new DOMException("deadline", "TimeoutError"));
    });
    await expect(running).rejects.toMatchObject({ code: "E_TIMEOUT" });
    await until(() => !alive(pid), 10_000, "the language server to be gone");
    let next = 0;
    expect(
      await checkBuffers(yaml, [{ path: "src/a.ts", content: "console.log(1)" }], undefined, (_f, p) => (next = p)),
    ).toHaveLength(1);
    expect(next).not.toBe(pid);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("patterns judged by the binary that runs them", () => {
  it("accepts what parses in the language and names the problem of what does not", async () => {
    const cases: [string, string, RegExp | undefined][] = [
      ["$LOG.info($$$ARGS, $REQ.getBody())", "java", undefined],
      ["console.log($$$ARGS)", "typescript", undefined],
      ["from $M import $X", "python", undefined],
      ["fmt.Println($$$A)", "go", undefined],
      ["System.out.println($$$A", "java", /does not parse as java: .*ERROR/],
      ["foo(a,, b)", "java", /does not parse as java/],
      ["a; b;", "java", /Multiple AST nodes/],
      ["console.log($$$ARGS)", "nolang", /not a language ast-grep parses/],
      ["@GetMapping\\(.*\\)", "java", undefined],
      ["/(unclosed/", "java", /does not compile as a regex/],
      ["http://(?!localhost)", "java", /look-around/],
      ["[[:alpha:]]+\\p{Greek}", "java", undefined],
    ];
    const problems = await checkPatterns(cases.map(([p, language]) => ({ pattern: classifyPattern(p), language })));
    cases.forEach(([p, language, expected], i) => {
      if (expected) expect(problems[i], `${p} (${language})`).toMatch(expected);
      else expect(problems[i], `${p} (${language})`).toBeUndefined();
    });
  });

  it("wants a language for a structural pattern", async () => {
    expect(await checkPatterns([{ pattern: classifyPattern("eval($X)") }])).toEqual([
      expect.stringMatching(/needs a language/),
    ]);
  });
});

describe("rules SpecGate writes, in the real binary", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "specgate-langs-"));
    const files: Record<string, string> = {
      "src/main/java/com/acme/controller/UserController.java":
        "package com.acme.controller;\nimport com.acme.repository.UserRepository;\nimport com.acme.service.UserService;\nclass UserController {}\n",
      "app/src/main/kotlin/com/acme/controller/User.kt":
        "package com.acme.controller\nimport com.acme.repositories.UserRepository\nimport com.acme.service.UserService\n",
      "web/src/controllers/user.ts":
        'import { repo } from "../repositories/user";\nimport { svc } from "../services/user";\nconst r = require("../repository/index");\nexport { y } from "./user.repository";\n',
      "web/src/controllers/view.tsx": 'import { repo } from "../repository";\nexport const V = () => <div />;\n',
      "web/src/controllers/legacy.js": 'const repo = require("../repository");\n',
      "py/app/controllers/user.py": "from app.repository import user_repo\nimport app.services\n",
      "go/controller/user.go": 'package controller\n\nimport (\n\t"fmt"\n\t"github.com/acme/shop/repository"\n)\n',
      "cs/Controllers/UserController.cs":
        "using System;\nusing Acme.Shop.Repositories;\nnamespace Acme.Shop.Controllers { class UserController {} }\n",
      "src/main/java/com/acme/service/UserService.java":
        "package com.acme.service;\nimport com.acme.repository.UserRepository;\nclass UserService {}\n",
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const scan = async (rulesYaml: string, cwd = dir) => {
    const found: { ruleId: string; file: string; range: { start: { line: number } } }[] = [];
    const { code, stderr } = await runAstGrep(["scan", "--inline-rules", rulesYaml, "--json=stream", "."], {
      cwd,
      onJson: (v) => found.push(v as (typeof found)[number]),
    });
    expect(code === 0 || code === 1, stderr).toBe(true);
    return found.map((m) => `${m.ruleId} ${m.file}:${m.range.start.line + 1}`).sort();
  };

  it("finds a forbidden dependency in every language whose imports it knows, and only in the `from` layer", async () => {
    const { rules } = readRules([
      {
        rule_id: "RULE-ARCH-001",
        priority: "MUST NOT",
        validation_conditions: { dependency_rules: [{ from: "controller", to: "repository", direction: "forbidden" }] },
      },
    ]);
    const t = astGrepRulesFor(rules[0]!);
    expect(t.rules.map((r) => r.language)).toEqual([
      "java",
      "kotlin",
      "typescript",
      "tsx",
      "javascript",
      "python",
      "go",
      "csharp",
    ]);
    expect(await scan(astGrepYaml(t.rules))).toEqual(
      [
        "specgate.rule-arch-001.java src/main/java/com/acme/controller/UserController.java:2",
        "specgate.rule-arch-001.kotlin app/src/main/kotlin/com/acme/controller/User.kt:2",
        "specgate.rule-arch-001.typescript web/src/controllers/user.ts:1",
        "specgate.rule-arch-001.typescript web/src/controllers/user.ts:3",
        "specgate.rule-arch-001.typescript web/src/controllers/user.ts:4",
        "specgate.rule-arch-001.tsx web/src/controllers/view.tsx:1",
        "specgate.rule-arch-001.javascript web/src/controllers/legacy.js:1",
        "specgate.rule-arch-001.python py/app/controllers/user.py:1",
        "specgate.rule-arch-001.go go/controller/user.go:5",
        "specgate.rule-arch-001.csharp cs/Controllers/UserController.cs:2",
      ].sort(),
    );
  });

  it("reports a regex at the smallest syntax node around its match", async () => {
    const { rules } = readRules([
      {
        rule_id: "RULE-SEC-001",
        priority: "MUST",
        scope: { file_patterns: ["**/*.java"] },
        validation_conditions: { code_patterns: ["import com\\.acme\\.repository\\."] },
      },
    ]);
    expect(await scan(astGrepYaml(astGrepRulesFor(rules[0]!).rules))).toEqual([
      "specgate.rule-sec-001 src/main/java/com/acme/controller/UserController.java:2",
      "specgate.rule-sec-001 src/main/java/com/acme/service/UserService.java:2",
    ]);
  });

  it("loads every golden rule set's ast-grep files from a repository root", async () => {
    const golden = path.join(FIXTURES, "generate", "golden");
    for (const name of ["standards-all", "java-layered", "spring-examples"]) {
      const { code, stderr } = await runAstGrep(
        ["scan", "-c", ".specgate/ast-grep/sgconfig.yml", "--json=stream", "."],
        { cwd: path.join(golden, name, "files"), onJson: () => undefined },
      );
      expect(code === 0 || code === 1, `${name}: ${stderr}`).toBe(true);
    }
  });
});
