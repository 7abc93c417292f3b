/**
 * GitHub Actions: `.github/workflows/design-guard.yml`, plus `.specgate/rules.json` (the rules
 * the gate scores against, so the workflow is self-contained in the repository).
 *
 * The workflow runs on pull requests and by hand, with least permissions and one run per PR at
 * a time. Steps: checkout → Semgrep with the generated rules to SARIF (findings never fail the
 * step) → ast-grep with the generated rules to SARIF (from npm: no Docker, no pip) → ArchUnit when the generated Java test and a Maven/Gradle build exist → merge the
 * findings → `specgate gate` → upload SARIF → job summary → sticky PR comment → exit with the
 * gate's code. Each optional step checks with `hashFiles` that its input exists, so the file is
 * valid whichever other targets were generated.
 */
import { stringify } from "yaml";
import type { DesignRuleSpec } from "../spec/design-rule-spec.js";
import { PACKAGE_NAME, VERSION } from "../../version.js";
import { compareRuleIds, headerText, oneLine } from "./common.js";
import { ARCHTEST_CLASS, ARCHTEST_DIR } from "./archunit.js";
import { SEMGREP_PATH } from "./semgrep.js";
import { WORKFLOW_FLAVOURS, type GeneratedFile, type WorkflowOptions } from "./types.js";
import { ASTGREP_CONFIG } from "./astgrep.js";
import {
  ASTGREP_SARIF,
  COLLECT_FINDINGS_JS,
  FINDINGS_SARIF,
  GATE_JSON,
  SEMGREP_SARIF,
  STICKY_COMMENT_JS,
  archunitScript,
  astgrepScript,
  collectScript,
  gateScript,
  semgrepScript,
  summaryScript,
} from "./workflow-scripts.js";
import { RULES_PATH } from "./types.js";

export const WORKFLOW_PATH = ".github/workflows/design-guard.yml";
export const GITLAB_CI_PATH = ".specgate/ci/specgate.gitlab-ci.yml";
export const BITBUCKET_PATH = ".specgate/ci/bitbucket-pipelines.yml";
/** The @ast-grep/cli version the workflow runs: the one SpecGate itself depends on (a test keeps them equal). */
export const ASTGREP_CLI_VERSION = "0.51.1";
export { RULES_PATH };

const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+~-]{0,63}$/;
/** npm specs, git and tarball URLs; nothing a shell would interpret. */
const PACKAGE_PATTERN = /^[A-Za-z0-9@][A-Za-z0-9@/._:#+~=%-]{0,299}$/;
const BRANCH_PATTERN = /^[^\s:?[\\^~]{1,200}$/;

/** Problems with workflow options (they end up inside shell commands and YAML). */
export function workflowOptionProblems(options: WorkflowOptions): string[] {
  const problems: string[] = [];
  if (options.flavour !== undefined && !(WORKFLOW_FLAVOURS as readonly string[]).includes(options.flavour))
    problems.push(`flavour ${JSON.stringify(options.flavour)} is not one of ${WORKFLOW_FLAVOURS.join(", ")}`);
  for (const [name, value] of [
    ["specgate_version", options.specgateVersion],
    ["semgrep_version", options.semgrepVersion],
    ["astgrep_version", options.astgrepVersion],
    ["java_version", options.javaVersion],
    ["node_version", options.nodeVersion],
  ] as const) {
    if (value !== undefined && !VERSION_PATTERN.test(value))
      problems.push(`${name} ${JSON.stringify(value)} is not a version`);
  }
  if (
    options.specgatePackage !== undefined &&
    (!PACKAGE_PATTERN.test(options.specgatePackage) || options.specgatePackage.includes("${{"))
  ) {
    problems.push(
      `specgate_package ${JSON.stringify(options.specgatePackage)} is not an npm package spec, git URL or tarball URL`,
    );
  }
  for (const b of options.branches ?? [])
    if (!BRANCH_PATTERN.test(b) || b.includes("${{"))
      problems.push(`branch ${JSON.stringify(b)} is not a branch name or pattern`);
  for (const [name, v] of Object.entries(options.thresholds ?? {})) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 100))
      problems.push(`thresholds.${name} must be between 0 and 100`);
  }
  return problems;
}

/** Rendered workflow bodies by options: the body does not depend on the rules, so it is built once. */
const bodies = new Map<string, string>();
const MAX_BODIES = 32;

function workflowBody(project: string | undefined, options: WorkflowOptions): string {
  const key = JSON.stringify([project ?? null, options]);
  let body = bodies.get(key);
  if (body === undefined) {
    body =
      options.flavour === "gitlab"
        ? renderGitlab(project, options)
        : options.flavour === "bitbucket"
          ? renderBitbucket(options)
          : renderWorkflow(project, options);
    if (bodies.size >= MAX_BODIES) bodies.delete(bodies.keys().next().value!);
    bodies.set(key, body);
  }
  return body;
}

/** The workflow file and the rules file it gates on. Options must pass {@link workflowOptionProblems}. */
export function generateWorkflow(
  rules: readonly DesignRuleSpec[],
  source: string,
  project: string | undefined,
  options: WorkflowOptions,
): GeneratedFile[] {
  const ids = rules.map((r) => r.rule_id).sort(compareRuleIds);
  const header = `# ${headerText(source)}\n# Rules: ${ids.length} (${RULES_PATH}). Findings: ${SEMGREP_SARIF}, ${ASTGREP_SARIF}, ${FINDINGS_SARIF}; gate result: ${GATE_JSON}.\n`;
  const workflowFile: GeneratedFile = {
    path:
      options.flavour === "gitlab" ? GITLAB_CI_PATH : options.flavour === "bitbucket" ? BITBUCKET_PATH : WORKFLOW_PATH,
    content: header + workflowBody(project, options),
    target: "workflow",
    rule_ids: ids,
  };
  const rulesFile: GeneratedFile = {
    path: RULES_PATH,
    content: `${JSON.stringify({ $comment: headerText(source), rules }, null, 2)}\n`,
    target: "workflow",
    rule_ids: ids,
  };
  return [workflowFile, rulesFile];
}

function specgateCommand(options: WorkflowOptions): string {
  return `npx --yes --package=${options.specgatePackage ?? `${PACKAGE_NAME}@${options.specgateVersion ?? VERSION}`} specgate`;
}

/**
 * The guard as plain shell lines for GitLab and Bitbucket, run in one shell session that stops
 * at the first failing line: ast-grep with the generated rules to SARIF (when its config is
 * there), the findings merged as on GitHub, then `specgate gate`, whose exit code ends the job.
 * Semgrep and ArchUnit run only in the GitHub flavour (ast-grep runs the same patterns as Semgrep).
 */
function plainScript(options: WorkflowOptions): string[] {
  const astgrep = options.astgrepVersion ?? ASTGREP_CLI_VERSION;
  const flags = [
    options.thresholds?.fail !== undefined ? ` --fail ${options.thresholds.fail}` : "",
    options.thresholds?.warn !== undefined ? ` --warn ${options.thresholds.warn}` : "",
  ].join("");
  return [
    [
      `if [ -f ${ASTGREP_CONFIG} ]; then`,
      `  ASTGREP_EXIT=0`,
      `  npx --yes --package=@ast-grep/cli@${astgrep} ast-grep scan -c ${ASTGREP_CONFIG} --format sarif > ${ASTGREP_SARIF} || ASTGREP_EXIT=$?`,
      "  # 1 means error-level matches: a result (the gate decides). Without a SARIF log it is a failure.",
      `  if [ "$ASTGREP_EXIT" -le 1 ] && ! grep -q '"runs"' ${ASTGREP_SARIF} 2> /dev/null; then ASTGREP_EXIT=2; fi`,
      `  if [ "$ASTGREP_EXIT" -gt 1 ]; then rm -f ${ASTGREP_SARIF}; fi`,
      "  export ASTGREP_EXIT",
      "fi",
    ].join("\n"),
    ["node --input-type=commonjs <<'SPECGATE_JS'", COLLECT_FINDINGS_JS, "SPECGATE_JS"].join("\n"),
    [
      "GATE_EXIT=0",
      `${specgateCommand(options)} gate --rules ${RULES_PATH} --sarif ${FINDINGS_SARIF}${flags} --format json > ${GATE_JSON} || GATE_EXIT=$?`,
      `node -e 'const g = JSON.parse(require("fs").readFileSync("${GATE_JSON}", "utf8")); console.log("SpecGate: " + g.decision + ", Drift Score " + g.drift_score)' || GATE_EXIT=2`,
      'exit "$GATE_EXIT"',
    ].join("\n"),
  ];
}

const REPORTS = [ASTGREP_SARIF, FINDINGS_SARIF, GATE_JSON];

function renderGitlab(project: string | undefined, options: WorkflowOptions): string {
  const job = {
    image: `node:${options.nodeVersion ?? "20"}`,
    stage: "test",
    rules: [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }, { if: '$CI_PIPELINE_SOURCE == "web"' }],
    script: plainScript(options),
    artifacts: { when: "always", expire_in: "30 days", paths: REPORTS },
  };
  const name = project ? `design-guard (${oneLine(project).slice(0, 80)})` : "design-guard";
  return (
    "# Include from .gitlab-ci.yml:  include: [{ local: " +
    GITLAB_CI_PATH +
    " }]\n" +
    stringify({ [name]: job }, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false })
  );
}

function renderBitbucket(options: WorkflowOptions): string {
  const step = () => ({
    step: {
      name: "SpecGate design guard",
      script: plainScript(options),
      artifacts: REPORTS,
    },
  });
  const pipelines = {
    image: `node:${options.nodeVersion ?? "20"}`,
    pipelines: { "pull-requests": { "**": [step()] }, custom: { "design-guard": [step()] } },
  };
  return (
    "# Copy the step into bitbucket-pipelines.yml (or move this file there).\n" +
    stringify(pipelines, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false })
  );
}

function renderWorkflow(project: string | undefined, options: WorkflowOptions): string {
  const npx = specgateCommand(options);
  const archInputs = `hashFiles('${ARCHTEST_DIR}/**/*.java') != '' && hashFiles('pom.xml', 'build.gradle', 'build.gradle.kts') != ''`;
  const pullRequest: Record<string, unknown> = { types: ["opened", "synchronize", "reopened"] };
  if (options.branches?.length) pullRequest.branches = [...options.branches];
  const workflow = {
    name: project ? `Design Guard (${oneLine(project).slice(0, 80)})` : "Design Guard",
    on: { pull_request: pullRequest, workflow_dispatch: {} },
    permissions: { contents: "read" },
    concurrency: {
      group: "design-guard-${{ github.event.pull_request.number || github.ref }}",
      "cancel-in-progress": true,
    },
    jobs: {
      "design-guard": {
        name: "SpecGate design guard",
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 30,
        permissions: {
          contents: "read",
          "security-events": "write",
          "pull-requests": "write",
          actions: "read",
        },
        steps: [
          { name: "Checkout", uses: "actions/checkout@v4", with: { "persist-credentials": false } },
          {
            name: "Set up Node.js",
            uses: "actions/setup-node@v4",
            with: { "node-version": options.nodeVersion ?? "20" },
          },
          {
            name: "Semgrep (SpecGate rules) to SARIF",
            if: `hashFiles('${SEMGREP_PATH}') != ''`,
            run: semgrepScript(SEMGREP_PATH, options.semgrepVersion),
          },
          {
            name: "ast-grep (SpecGate rules) to SARIF",
            id: "astgrep",
            if: `hashFiles('${ASTGREP_CONFIG}') != ''`,
            run: astgrepScript(ASTGREP_CONFIG, options.astgrepVersion ?? ASTGREP_CLI_VERSION),
          },
          {
            name: "Set up Java",
            if: archInputs,
            uses: "actions/setup-java@v4",
            with: { distribution: "temurin", "java-version": options.javaVersion ?? "17" },
          },
          {
            name: "ArchUnit design rules",
            id: "archunit",
            if: archInputs,
            run: archunitScript(ARCHTEST_DIR, ARCHTEST_CLASS),
          },
          {
            name: "Collect findings",
            env: {
              ARCHUNIT_EXIT: "${{ steps.archunit.outputs.exit_code }}",
              ASTGREP_EXIT: "${{ steps.astgrep.outputs.exit_code }}",
            },
            run: collectScript(),
          },
          { name: "SpecGate gate", id: "gate", run: gateScript(npx, RULES_PATH, options.thresholds) },
          {
            name: "Upload SARIF to code scanning",
            if: `always() && hashFiles('${SEMGREP_SARIF}') != ''`,
            "continue-on-error": true,
            uses: "github/codeql-action/upload-sarif@v3",
            with: { sarif_file: SEMGREP_SARIF, category: "specgate-semgrep" },
          },
          {
            name: "Upload ast-grep SARIF to code scanning",
            if: `always() && hashFiles('${ASTGREP_SARIF}') != ''`,
            "continue-on-error": true,
            uses: "github/codeql-action/upload-sarif@v3",
            with: { sarif_file: ASTGREP_SARIF, category: "specgate-astgrep" },
          },
          { name: "Job summary", if: "always()", run: summaryScript() },
          {
            name: "Drift Radar PR comment",
            if: "always() && github.event_name == 'pull_request'",
            "continue-on-error": true,
            uses: "actions/github-script@v7",
            with: { script: STICKY_COMMENT_JS },
          },
          {
            name: "Apply the gate decision",
            if: "always()",
            env: { GATE_EXIT: "${{ steps.gate.outputs.exit_code }}" },
            run: 'echo "specgate gate exit code: ${GATE_EXIT:-none}"\nexit "${GATE_EXIT:-2}"',
          },
        ],
      },
    },
  };
  return stringify(workflow, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}
