/**
 * The rules a gate scores against, indexed for the three ways a finding names a rule
 * (docs/gate.md): `properties["specgate/rule_id"]`, a `RULE-AREA-NNN` id inside the producer's
 * rule id (any case), or the Semgrep id `spec_generate` gave the rule (`specgate.rule-api-001`,
 * matched as a dotted suffix because Semgrep prefixes ids with the config path).
 */
import { SpecGateError } from "../../errors.js";
import { semgrepRuleId } from "../generate/semgrep.js";
import { readRules, type DesignRuleSpec } from "../spec/design-rule-spec.js";
import { microPoints, weightsFor } from "./formula.js";
import type { RadarLang, Weights } from "./types.js";

export interface IndexedRule {
  rule: DesignRuleSpec;
  weights: Weights;
  overrides: (keyof Weights)[];
  /** Weighted points of one violation, in micro-points. */
  micro: number;
  fix: string;
  codeExample?: string;
  /** A URL describing the rule (its document), for SARIF helpUri. */
  helpUri?: string;
}

export type Resolution =
  { rule: IndexedRule; via: "property" | "rule_id" | "semgrep_id" } | { rule?: undefined; reason: string };

/** Producer rule ids longer than this are only searched in their first part (keeps matching linear). */
const MAX_REF_SCAN = 1024;
/** `RULE-AREA-NNN` inside any text, any case; the id must not run on into more letters or digits. */
const EMBEDDED_ID = /rule[-_]([a-z][a-z0-9]*)[-_]([0-9a-z]+)(?![0-9a-z])/gi;

/** The Semgrep rule id spec_generate writes for a rule: `specgate.rule-api-001` (one definition, in the generator). */
export function semgrepIdFor(ruleId: string): string {
  return semgrepRuleId(ruleId);
}

export class RulesIndex {
  readonly byId = new Map<string, IndexedRule>();
  private readonly bySemgrepId = new Map<string, IndexedRule>();
  readonly warnings: string[] = [];

  constructor(rules: readonly DesignRuleSpec[], build: (rule: DesignRuleSpec) => IndexedRule) {
    for (const rule of rules) {
      if (this.byId.has(rule.rule_id)) {
        this.warnings.push(`${rule.rule_id} is given more than once; the first definition is used.`);
        continue;
      }
      const entry = build(rule);
      this.byId.set(rule.rule_id, entry);
      this.bySemgrepId.set(semgrepIdFor(rule.rule_id), entry);
      const custom = (rule.ci_info?.semgrep_rule as { rule_id?: unknown; id?: unknown } | undefined) ?? {};
      for (const id of [custom.rule_id, custom.id]) {
        if (typeof id === "string" && id.trim() && !this.bySemgrepId.has(id.trim().toLowerCase()))
          this.bySemgrepId.set(id.trim().toLowerCase(), entry);
      }
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** Maps a finding to a rule, or says why it cannot. */
  resolve(ref: string, explicitRuleId: string | undefined): Resolution {
    if (explicitRuleId !== undefined) {
      const id = explicitRuleId.trim().toUpperCase();
      const rule = this.byId.get(id);
      return rule
        ? { rule, via: "property" }
        : { reason: `specgate/rule_id ${explicitRuleId} is not among the rules given` };
    }
    const text = ref.length > MAX_REF_SCAN ? ref.slice(0, MAX_REF_SCAN) : ref;
    if (!text.trim()) return { reason: "the finding names no rule" };
    let named: string | undefined;
    EMBEDDED_ID.lastIndex = 0;
    for (let m = EMBEDDED_ID.exec(text); m !== null; m = EMBEDDED_ID.exec(text)) {
      const id = `RULE-${m[1]!.toUpperCase()}-${m[2]!.toUpperCase()}`;
      const rule = this.byId.get(id);
      if (rule) return { rule, via: "rule_id" };
      named ??= id;
    }
    for (let candidate = text.trim().toLowerCase(); ;) {
      const rule = this.bySemgrepId.get(candidate);
      if (rule) return { rule, via: "semgrep_id" };
      const dot = candidate.indexOf(".");
      if (dot < 0) break;
      candidate = candidate.slice(dot + 1);
    }
    return { reason: named ? `${named} is not among the rules given` : `no rule matches "${shorten(text, 120)}"` };
  }
}

/**
 * Reads lenient rules (only `rule_id` and `priority` required) into an index. A rule that
 * cannot be read is an error, not a silent gap in the gate: E_INVALID_INPUT names its path.
 */
export function indexRules(input: unknown, path = "rules"): RulesIndex {
  const { rules, issues } = readRules(input, path);
  if (issues.length > 0) {
    const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `Some rules cannot be read — ${shown.join("; ")}${more}. Each rule needs at least rule_id (RULE-AREA-NNN) and priority.`,
      {
        details: { issues: issues.slice(0, 5) },
      },
    );
  }
  if (rules.length === 0) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `${path} is empty: give the DesignRuleSpec rules the findings should be scored against.`,
      { details: { path } },
    );
  }
  return new RulesIndex(rules, (rule) => {
    const { weights, overrides } = weightsFor(rule);
    return { rule, weights, overrides, micro: microPoints(weights), ...guidanceOf(rule) };
  });
}

/** The fix hint, code example and help URL a rule carries, from its richest field down to its own text. */
export function guidanceOf(rule: DesignRuleSpec): { fix: string; codeExample?: string; helpUri?: string } {
  const r = rule as Record<string, unknown>;
  const ci = (rule.ci_info ?? {}) as Record<string, unknown>;
  const pr = asRecord(ci.pr_comment);
  const dev = asRecord(r.development_info);
  const guide = asRecord(dev?.realtime_guide);
  const detection = asRecord(dev?.violation_detection);
  const suggestions = Array.isArray(detection?.fix_suggestions) ? detection.fix_suggestions : [];
  const fix =
    str(pr?.fix_guidance) ??
    str(guide?.suggestion_message) ??
    str(suggestions[0]) ??
    (rule.description && rule.description !== rule.rule_id ? rule.description : undefined) ??
    `Make the code follow ${rule.rule_id} (${rule.priority}).`;
  const codeExample = str(pr?.code_example);
  const reference = asRecord(r.reference_info);
  const urls = [rule.source?.url, reference?.confluence_url, ...(rule.references ?? [])];
  const helpUri = urls.find((u): u is string => typeof u === "string" && /^https?:\/\/\S+$/.test(u));
  return { fix, ...(codeExample ? { codeExample } : {}), ...(helpUri ? { helpUri } : {}) };
}

/** `ko` when most rules that carry text are written in Korean, otherwise `en`. */
export function detectLang(index: RulesIndex): RadarLang {
  let korean = 0;
  let total = 0;
  for (const { rule } of index.byId.values()) {
    const text = `${rule.title} ${rule.description}`;
    if (text.trim() === `${rule.rule_id} ${rule.rule_id}`) continue;
    total++;
    if (/[\uac00-\ud7a3]/.test(text)) korean++;
  }
  return total > 0 && korean * 2 > total ? "ko" : "en";
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
}

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
