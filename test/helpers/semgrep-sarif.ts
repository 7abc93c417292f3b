/**
 * Hand-made SARIF in the shape Semgrep writes it (`semgrep scan --config .specgate/semgrep/ --sarif`):
 * rule ids prefixed with the config's path, `defaultConfiguration.level` on the rule descriptors,
 * no `level` on results, `matchBasedId/v1` fingerprints, `nosemgrep` matches as `inSource`
 * suppressions. Each generated-rule match is checked against the rule's own `pattern-regex`, so
 * the log says only what Semgrep could have said about that code.
 */
import { parse } from "yaml";

export interface SemgrepMatch {
  /** A generated rule id (`specgate.rule-sec-001`) or any registry rule id. */
  id: string;
  file: string;
  line: number;
  /** The matched source line. */
  code: string;
  /** A `// nosemgrep` match: reported with a suppression. */
  suppressed?: boolean;
}

interface GeneratedRule {
  id: string;
  message: string;
  severity: "ERROR" | "WARNING" | "INFO";
  "pattern-regex"?: string;
  "pattern-either"?: { "pattern-regex"?: string }[];
}

/** The prefix Semgrep gives the ids of rules read from `.specgate/semgrep/specgate-rules.yml`. */
export const CONFIG_PREFIX = ".specgate.semgrep.";

export function semgrepSarif(
  rulesYaml: string,
  matches: readonly SemgrepMatch[],
): { log: object; generated: GeneratedRule[] } {
  const generated = (parse(rulesYaml) as { rules: GeneratedRule[] }).rules;
  const level = { ERROR: "error", WARNING: "warning", INFO: "note" } as const;
  const descriptors = new Map<string, object>();
  const results = matches.map((m, i) => {
    const rule = generated.find((r) => r.id === m.id);
    if (rule) {
      const regexes = [rule["pattern-regex"], ...(rule["pattern-either"] ?? []).map((p) => p["pattern-regex"])].filter(
        (r): r is string => typeof r === "string",
      );
      if (!regexes.some((r) => new RegExp(r).test(m.code))) throw new Error(`${m.code} does not match ${m.id}`);
    }
    const ruleId = rule ? `${CONFIG_PREFIX}${m.id}` : m.id;
    if (!descriptors.has(ruleId)) {
      descriptors.set(ruleId, {
        id: ruleId,
        name: ruleId,
        shortDescription: { text: `Semgrep Finding: ${ruleId}` },
        fullDescription: { text: rule?.message ?? m.id },
        defaultConfiguration: { level: rule ? level[rule.severity] : "warning" },
        properties: { precision: "very-high", tags: [] },
      });
    }
    return {
      ruleId,
      message: { text: rule?.message ?? `${m.id} matched` },
      fingerprints: { "matchBasedId/v1": `${i.toString(16).padStart(8, "0")}${m.file.length.toString(16)}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: m.file, uriBaseId: "%SRCROOT%" },
            region: {
              startLine: m.line,
              startColumn: 1,
              endLine: m.line,
              endColumn: m.code.length + 1,
              snippet: { text: m.code },
            },
          },
        },
      ],
      properties: {},
      ...(m.suppressed ? { suppressions: [{ kind: "inSource" }] } : {}),
    };
  });
  const log = {
    $schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: [] }],
        tool: { driver: { name: "Semgrep OSS", semanticVersion: "1.95.0", rules: [...descriptors.values()] } },
        results,
      },
    ],
  };
  return { log, generated };
}
