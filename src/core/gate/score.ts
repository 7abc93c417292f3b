/**
 * `scoreGate`: rules + findings (+ a lint result, or a document it lints) → Drift Score, decision, areas, violations and
 * the Drift Radar. The one entry point the gate_score tool, the `specgate gate` command and the
 * library's `score()` share. Throws SpecGateError: E_INVALID_INPUT (bad rules, malformed SARIF or
 * findings, naming the JSON path), E_TOO_LARGE (over {@link MAX_FINDINGS}), E_CANCELLED/E_TIMEOUT
 * when `signal` fires.
 */
import { SpecGateError, throwIfAborted } from "../../errors.js";
import type { LoadRulesetOptions } from "../lint/ruleset/load.js";
import { readBaseline, fingerprintOf } from "./baseline.js";
import {
  MANDATORY_PRIORITIES,
  areaWeightFor,
  decide,
  describeFormula,
  fromMicro,
  resolveThresholds,
  toScore,
  worst,
} from "./formula.js";
import { lineUrl, linkTarget, type LinkTarget } from "./links.js";
import { readFindingList } from "./list-reader.js";
import { resolveQualityGate, type GateLint, type LintRunner } from "./quality.js";
import { renderRadar } from "./radar.js";
import { detectLang, indexRules, type IndexedRule, type RulesIndex } from "./rules-index.js";
import { isSarifLog, readSarif } from "./sarif-reader.js";
import { Tally } from "./tally.js";
import type { GateArea, GateResult, GateViolation, RadarLang, RawFinding } from "./types.js";

/** Findings read per call at most (all sources together). */
export const MAX_FINDINGS = 5_000_000;
export const DEFAULT_MAX_LISTED = 1000;
/** How often (in findings) the loop checks its signal and yields to the event loop. */
const CHUNK = 4096;

/** The gate's input; the same snake_case names as the gate_score tool. */
export interface GateInput {
  /** DesignRuleSpec rules, lenient: only rule_id and priority are required. */
  rules: unknown;
  /** A SARIF 2.1.0 log, or a list `[{ rule_id, file, line, message, level? }]`. */
  findings?: unknown | undefined;
  /** One SARIF log or several (e.g. Semgrep and CodeQL). */
  sarif?: unknown | undefined;
  /**
   * The document-quality gate: a speclint result, or `{content, ruleset?, check_type?, format?,
   * id?}` — a document the gate lints first. Grade medium → WARNING, low → FAIL.
   */
  lint?: GateLint | undefined;
  thresholds?: { fail?: number | undefined; warn?: number | undefined } | undefined;
  /** Findings that already existed (see baseline.ts): matches do not count. */
  baseline?: unknown | undefined;
  /** `owner/name` and a commit SHA: violations get links to the line. */
  repository?: string | undefined;
  commit?: string | undefined;
  /** Default https://github.com (GitHub Enterprise: its web URL). */
  server_url?: string | undefined;
  /** Language of the Drift Radar; `auto` (default) follows the rules' language. */
  lang?: RadarLang | "auto" | undefined;
  /** How many entries `violations`, `suppressed` and `unmapped` list at most (default 1000). */
  max_listed?: number | undefined;
}

/** A source of findings with its display label and the root of JSON paths in its errors. */
export interface FindingSource {
  label: string;
  root?: string;
  data: unknown;
}

export interface GateOptions {
  signal?: AbortSignal | undefined;
  /** More sources, e.g. one per file on the command line. */
  sources?: readonly FindingSource[] | undefined;
  /** JSON-path root of baseline errors (default `baseline`). */
  baselineRoot?: string | undefined;
  /** Where rule errors point (default `rules`). */
  rulesRoot?: string | undefined;
  /** How a `lint.content` document is linted (the MCP tool caches); default the linter itself. */
  lintDocument?: LintRunner | undefined;
  /** Where a `lint.ruleset` file may be read from, for the default linting. */
  rulesets?: LoadRulesetOptions | undefined;
}

export async function scoreGate(input: GateInput, options: GateOptions = {}): Promise<GateResult> {
  const { signal } = options;
  const thresholds = resolveThresholds(input.thresholds);
  const target = linkTarget(input.repository, input.commit, input.server_url);
  const maxListed = input.max_listed ?? DEFAULT_MAX_LISTED;
  if (!Number.isInteger(maxListed) || maxListed < 0) {
    throw new SpecGateError("E_INVALID_INPUT", `max_listed must be a whole number ≥ 0 (got ${String(maxListed)}).`, {
      details: { path: "max_listed" },
    });
  }
  const index = indexRules(input.rules, options.rulesRoot);
  const baseline =
    input.baseline === undefined || input.baseline === null
      ? undefined
      : readBaseline(input.baseline, index, options.baselineRoot);
  const sources = collectSources(input, options.sources);
  // After the cheap checks of rules and findings: linting a document is the expensive part.
  const quality = await resolveQualityGate(input.lint, {
    signal,
    lintDocument: options.lintDocument,
    rulesets: options.rulesets,
  });
  throwIfAborted(signal);

  const tally = new Tally(index, maxListed, new Set(MANDATORY_PRIORITIES), baseline);
  const perSource: GateResult["stats"]["sources"] = [];
  for (const source of sources) {
    const before = tally.findings;
    let tool: string | undefined;
    const root = source.root ?? source.label;
    const items = isSarifLog(source.data)
      ? readSarif(source.data, root, source.label, { fingerprints: baseline !== undefined })
      : readFindingList(source.data, root, source.label);
    for (const item of items) {
      if ("notAFailure" in item) tally.notAFailure();
      else {
        tool ??= item.tool;
        tally.add(item);
      }
      if (tally.findings % CHUNK === 0) {
        if (tally.findings > MAX_FINDINGS) {
          throw new SpecGateError(
            "E_TOO_LARGE",
            `More than ${MAX_FINDINGS.toLocaleString("en-US")} findings; score them in parts or filter the SARIF first.`,
          );
        }
        throwIfAborted(signal);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    perSource.push({ source: source.label, ...(tool ? { tool } : {}), results: tally.findings - before });
  }
  throwIfAborted(signal);

  const driftScore = toScore(tally.totalMicro);
  const driftDecision = decide(driftScore, thresholds);
  const afterScore = toScore(tally.totalMicro - tally.mandatoryMicro);
  const violations = tally.listed().map(({ entry, finding }) => toViolation(entry, finding, target));
  const warnings = [...index.warnings];
  if (sources.length === 0) warnings.push("No findings were given: the drift score is 0.");
  for (const [name, total, shown] of [
    ["violations", tally.counted, violations.length],
    ["suppressed", tally.suppressedCount, tally.suppressed.length],
    ["unmapped", tally.unmappedCount, tally.unmapped.length],
  ] as const) {
    if (shown < total) warnings.push(`${name} lists ${shown} of ${total} (max_listed ${maxListed}).`);
  }

  const partial: Omit<GateResult, "radar_markdown"> = {
    drift_score: driftScore,
    decision: quality ? worst(driftDecision, quality.decision) : driftDecision,
    drift_decision: driftDecision,
    raw_score: toScore(tally.totalMicro, Infinity),
    ...(quality ? { quality_gate: quality } : {}),
    after_fix: {
      drift_score: afterScore,
      decision: decide(afterScore, thresholds),
      fixed: tally.mandatoryCount,
      priorities: [...MANDATORY_PRIORITIES],
    },
    thresholds,
    areas: areasOf(index, tally),
    violations,
    suppressed: tally.suppressed,
    unmapped: tally.unmapped,
    formula: describeFormula(thresholds, [...index.byId.values()].filter((e) => e.overrides.length > 0).length),
    stats: {
      findings: tally.findings,
      violations: tally.counted,
      suppressed: tally.suppressedCount,
      unmapped: tally.unmappedCount,
      not_failures: tally.notFailures,
      listed: { violations: violations.length, suppressed: tally.suppressed.length, unmapped: tally.unmapped.length },
      rules: index.size,
      unmapped_rules: [...tally.unmappedByRef]
        .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
        .slice(0, 20)
        .map(([ref, g]) => ({ producer_rule_id: ref, count: g.count, reason: g.reason })),
      sources: perSource,
    },
    warnings,
  };
  const lang = input.lang === undefined || input.lang === "auto" ? detectLang(index) : input.lang;
  return { ...partial, radar_markdown: renderRadar(partial, { lang }) };
}

function collectSources(input: GateInput, extra: readonly FindingSource[] | undefined): FindingSource[] {
  const out: FindingSource[] = [];
  if (input.findings !== undefined && input.findings !== null) {
    if (!isSarifLog(input.findings) && !Array.isArray(input.findings)) {
      throw new SpecGateError(
        "E_INVALID_INPUT",
        "findings must be a SARIF 2.1.0 log (an object with runs[]) or a list of { rule_id, file, line, message }.",
        {
          details: { path: "findings" },
        },
      );
    }
    out.push({ label: "findings", data: input.findings });
  }
  if (input.sarif !== undefined && input.sarif !== null) {
    if (Array.isArray(input.sarif))
      input.sarif.forEach((log, i) => out.push({ label: `sarif[${i}]`, data: requireSarif(log, `sarif[${i}]`) }));
    else out.push({ label: "sarif", data: requireSarif(input.sarif, "sarif") });
  }
  return [...out, ...(extra ?? [])];
}

function requireSarif(value: unknown, path: string): unknown {
  if (!isSarifLog(value))
    throw new SpecGateError("E_INVALID_INPUT", `${path} must be a SARIF 2.1.0 log (an object with runs[]).`, {
      details: { path },
    });
  return value;
}

function toViolation(entry: IndexedRule, f: RawFinding, target: LinkTarget | undefined): GateViolation {
  const { rule } = entry;
  const url = lineUrl(target, f.file, f.line);
  return {
    rule_id: rule.rule_id,
    priority: rule.priority,
    area: rule.area,
    title: rule.title,
    ...(f.file ? { file: f.file } : {}),
    ...(f.line ? { line: f.line } : {}),
    ...(f.column ? { column: f.column } : {}),
    message: f.message.length > 2000 ? `${f.message.slice(0, 1999)}…` : f.message,
    level: f.level,
    points: fromMicro(entry.micro),
    weights: { ...entry.weights },
    overrides: [...entry.overrides],
    fix: entry.fix,
    ...(entry.codeExample ? { code_example: entry.codeExample } : {}),
    fingerprint: fingerprintOf(rule.rule_id, f.file, f.message),
    ...(url ? { url } : {}),
    source: f.source,
    ...(f.tool ? { tool: f.tool } : {}),
    ...(f.ref && f.ref !== rule.rule_id ? { producer_rule_id: f.ref } : {}),
  };
}

/** One row per area that has rules, heaviest area weight first, then by name. */
function areasOf(index: RulesIndex, tally: Tally): GateArea[] {
  const areas = new Map<string, GateArea & { micro: number }>();
  for (const { rule } of index.byId.values()) {
    const a = areas.get(rule.area);
    if (a) a.rules++;
    else
      areas.set(rule.area, {
        area: rule.area,
        score: 0,
        area_weight: areaWeightFor(rule.area),
        count: 0,
        rules: 1,
        top: [],
        micro: 0,
      });
  }
  const byArea = new Map<string, { rule_id: string; count: number; micro: number }[]>();
  for (const t of tally.perRule.values()) {
    const area = areas.get(t.entry.rule.area)!;
    area.count += t.count;
    area.micro += t.micro;
    const list = byArea.get(area.area) ?? [];
    list.push({ rule_id: t.entry.rule.rule_id, count: t.count, micro: t.micro });
    byArea.set(area.area, list);
  }
  return [...areas.values()]
    .sort((a, b) => b.area_weight - a.area_weight || (a.area < b.area ? -1 : 1))
    .map(({ micro, ...a }) => ({
      ...a,
      score: toScore(micro),
      top: (byArea.get(a.area) ?? [])
        .sort((x, y) => y.micro - x.micro || (x.rule_id < y.rule_id ? -1 : 1))
        .slice(0, 3)
        .map((t) => ({ rule_id: t.rule_id, count: t.count, points: fromMicro(t.micro) })),
    }));
}
