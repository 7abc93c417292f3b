/**
 * The shell and JavaScript bodies of the design-guard workflow's steps. Kept apart from the
 * workflow's structure so each can be read (and tested: the findings collector runs under Node
 * in the unit tests) on its own. None may contain GitHub's `${{` expression opener.
 */

export const SEMGREP_SARIF = "semgrep.sarif";
export const ASTGREP_SARIF = "astgrep.sarif";
export const FINDINGS_SARIF = "specgate-findings.sarif";
export const GATE_JSON = "specgate-gate.json";
export const RADAR_MARKER = "<!-- specgate:drift-radar -->";

export function semgrepScript(rulesPath: string, version: string | undefined): string {
  return [
    `pipx install ${version ? `"semgrep==${version}"` : "semgrep"}`,
    "# Findings do not fail this step (no --error); the gate decides.",
    `semgrep scan --config ${rulesPath} --sarif --output ${SEMGREP_SARIF} --metrics off`,
  ].join("\n");
}

/**
 * ast-grep from npm, no Docker or pip. `npx @ast-grep/cli …` cannot work (the package has two
 * executables, neither named after it), so npx is told the package and the executable apart;
 * this runs whether or not npm ran the package's install script.
 */
export function astgrepScript(configPath: string, version: string): string {
  return [
    "set +e",
    `npx --yes --package=@ast-grep/cli@${version} ast-grep scan -c ${configPath} --format sarif > ${ASTGREP_SARIF}`,
    "code=$?",
    "# 1 means it found error-level matches: a result, not a failure (the gate decides). npx also exits 1",
    "# when it cannot fetch or start ast-grep: without a SARIF log that is a failure too.",
    `if [ "$code" -le 1 ] && ! grep -q '"runs"' ${ASTGREP_SARIF} 2> /dev/null; then code=2; fi`,
    'if [ "$code" -gt 1 ]; then',
    `  echo "::error::ast-grep could not run the SpecGate rules (exit code $code); see its message above."`,
    `  rm -f ${ASTGREP_SARIF}`,
    "fi",
    'echo "exit_code=$code" >> "$GITHUB_OUTPUT"',
  ].join("\n");
}

export function archunitScript(archDir: string, testClass: string): string {
  return [
    "set +e",
    "# The generated test joins the project's own tests for this run only; the project needs",
    "# com.tngtech.archunit:archunit-junit5 as a test dependency.",
    "mkdir -p src/test/java",
    `cp -R ${archDir}/. src/test/java/`,
    "if [ -f pom.xml ]; then",
    `  mvn -B -ntp test -Dtest=${testClass} -Dsurefire.failIfNoSpecifiedTests=false`,
    "elif [ -f gradlew ]; then",
    `  chmod +x gradlew && ./gradlew test --tests '*${testClass}'`,
    "else",
    `  gradle test --tests '*${testClass}'`,
    "fi",
    'echo "exit_code=$?" >> "$GITHUB_OUTPUT"',
  ].join("\n");
}

/**
 * Merges Semgrep's and ast-grep's SARIF with ArchUnit's JUnit XML reports (Surefire or Gradle)
 * into one SARIF log for `specgate gate`. A result another tool already reported for the same
 * design rule, file and line is dropped (Semgrep and ast-grep run the same patterns). Each
 * ArchUnit violation line becomes a result whose ruleId is the RULE-… id from the test's
 * `because(…)`; file paths assume the standard Java source root. A failed ast-grep scan fails
 * the step (exit 2): its rules would otherwise pass unchecked.
 */
export const COLLECT_FINDINGS_JS = String.raw`const fs = require("fs");
const path = require("path");
const srcRoot = process.env.JAVA_SOURCE_ROOT || "src/main/java";
const runs = [];
const reported = new Set();
const keyOf = (r) => {
  const props = r.properties || {};
  const m = /rule[-_]([a-z][a-z0-9]*)[-_]([0-9a-z]+)(?![0-9a-z])/i.exec(String(r.ruleId || ""));
  const id = String(props["specgate/rule_id"] || (m ? "RULE-" + m[1] + "-" + m[2] : "")).toUpperCase();
  const loc = ((r.locations || [])[0] || {}).physicalLocation || {};
  return id ? [id, (loc.artifactLocation || {}).uri, (loc.region || {}).startLine].join("|") : "";
};
for (const file of ["${SEMGREP_SARIF}", "${ASTGREP_SARIF}"]) {
  if (!fs.existsSync(file)) continue;
  let log;
  try {
    log = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    console.log("::error::" + file + " is not valid JSON: " + e.message);
    continue;
  }
  const keys = [];
  for (const run of log.runs || []) {
    if (Array.isArray(run.results)) {
      run.results = run.results.filter((r) => {
        const key = keyOf(r);
        if (key && reported.has(key)) return false;
        keys.push(key);
        return true;
      });
    }
    runs.push(run);
  }
  for (const key of keys) if (key) reported.add(key);
}
if (process.env.ASTGREP_EXIT && Number(process.env.ASTGREP_EXIT) > 1) {
  console.log("::error::The ast-grep scan failed, so its design rules were not checked; the gate does not run.");
  process.exitCode = 2;
}
const entities = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };
const decode = (s) => s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|quot|apos|amp);/g, (m, e) =>
  entities[e] || String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)));
const results = [];
const ruleIds = new Set();
let failures = 0;
for (const dir of ["target/surefire-reports", "build/test-results/test"]) {
  if (!fs.existsSync(dir)) continue;
  const reports = fs.readdirSync(dir).filter((n) => /^TEST-.*DesignRulesArchTest\.xml$/.test(n)).sort();
  for (const name of reports) {
    const xml = fs.readFileSync(path.join(dir, name), "utf8");
    for (const m of xml.matchAll(/<(failure|error)\b([^>]*)>([^<]*)/g)) {
      failures++;
      const attr = /\bmessage="([^"]*)"/.exec(m[2]);
      const text = decode(attr ? attr[1] : m[3]);
      const id = (/RULE-[A-Z][A-Z0-9]*-[0-9A-Z]+/.exec(text) || [])[0];
      if (!id) {
        console.log("::error::ArchUnit failed without naming a design rule: " + text.split("\n")[0].slice(0, 300));
        continue;
      }
      ruleIds.add(id);
      const details = text.split("\n").slice(1).filter((l) => l.trim()).slice(0, 500);
      for (const line of details.length ? details : [text.split("\n")[0]]) {
        const cls = /<([\w$.]+)[(>]/.exec(line);
        const loc = /\(([\w$]+\.java):(\d+)\)/.exec(line);
        let uri = ".specgate/archtest";
        if (cls && loc) {
          const parts = cls[1].split(".");
          const firstType = parts.findIndex((p) => /^[A-Z]/.test(p));
          uri = [srcRoot, ...parts.slice(0, Math.max(0, firstType)), loc[1]].join("/");
        }
        results.push({
          ruleId: id,
          level: "error",
          message: { text: line.trim() },
          locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: Math.max(1, Number(loc ? loc[2] : 1)) } } }],
          properties: { "specgate/rule_id": id },
        });
      }
    }
  }
}
if (process.env.ARCHUNIT_EXIT && process.env.ARCHUNIT_EXIT !== "0" && failures === 0) {
  console.log("::error::The ArchUnit step failed before checking any rule (is archunit-junit5 a test dependency?); architecture rules were not checked.");
}
if (ruleIds.size) {
  const rules = [...ruleIds].sort().map((id) => ({ id, properties: { "specgate/rule_id": id } }));
  runs.push({ tool: { driver: { name: "ArchUnit", informationUri: "https://www.archunit.org", rules } }, results });
}
const log = { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs };
fs.writeFileSync("${FINDINGS_SARIF}", JSON.stringify(log, null, 2) + "\n");
console.log("SpecGate findings: " + runs.reduce((n, r) => n + (r.results || []).length, 0) + " results from " + runs.length + " tools");`;

export function collectScript(): string {
  return ["node --input-type=commonjs <<'SPECGATE_JS'", COLLECT_FINDINGS_JS, "SPECGATE_JS"].join("\n");
}

export function gateScript(
  command: string,
  rulesPath: string,
  thresholds: { fail?: number | undefined; warn?: number | undefined } | undefined,
): string {
  const flags = [
    thresholds?.fail !== undefined ? ` --fail ${thresholds.fail}` : "",
    thresholds?.warn !== undefined ? ` --warn ${thresholds.warn}` : "",
  ].join("");
  // npx exits 1 when it cannot fetch or start specgate, which would read as a gate FAIL: without a
  // gate result in the JSON, the step records 2 (an error, not a verdict) and says why.
  return [
    "set +e",
    `${command} gate --rules ${rulesPath} --sarif ${FINDINGS_SARIF}${flags} --format json > ${GATE_JSON}`,
    "code=$?",
    `if ! grep -q '"decision"' ${GATE_JSON} 2> /dev/null; then`,
    `  echo "::error::SpecGate produced no gate result (exit code $code): check that '${command}' can run in this job (the specgate package must be installable here, e.g. as a devDependency of the repository)."`,
    "  code=2",
    "fi",
    'echo "exit_code=$code" >> "$GITHUB_OUTPUT"',
  ].join("\n");
}

export function summaryScript(): string {
  return [
    `if [ -s ${GATE_JSON} ] && jq -e '.radar_markdown' ${GATE_JSON} > /dev/null 2>&1; then`,
    `  jq -r '.radar_markdown' ${GATE_JSON} >> "$GITHUB_STEP_SUMMARY"`,
    "else",
    '  echo "SpecGate produced no Drift Radar; see the gate step\'s log." >> "$GITHUB_STEP_SUMMARY"',
    "fi",
  ].join("\n");
}

/** actions/github-script body: create or update the one PR comment carrying the radar marker. */
export const STICKY_COMMENT_JS = String.raw`const fs = require("fs");
const marker = "${RADAR_MARKER}";
if (!fs.existsSync("${GATE_JSON}")) {
  core.warning("No ${GATE_JSON}; the Drift Radar comment was not updated.");
  return;
}
const gate = JSON.parse(fs.readFileSync("${GATE_JSON}", "utf8"));
let body = String(gate.radar_markdown || "SpecGate produced no Drift Radar.");
if (!body.includes(marker)) body = marker + "\n" + body;
const { owner, repo } = context.repo;
const issue_number = context.issue.number;
const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
const mine = comments.find((c) => c.user && c.user.type === "Bot" && (c.body || "").includes(marker));
if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
else await github.rest.issues.createComment({ owner, repo, issue_number, body });`;
