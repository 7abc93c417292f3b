/**
 * The streaming half of the gate: findings go in one at a time, sums and bounded lists come out.
 * Memory stays proportional to the number of rules plus `maxListed`, whatever the number of
 * findings: totals are integer micro-points, and only the `maxListed` violations with the most
 * points are kept (a buffer of 2 × maxListed is sorted and cut whenever it fills).
 */
import { addMicro } from "./formula.js";
import type { Baseline } from "./baseline.js";
import { fingerprintsOf } from "./baseline.js";
import type { IndexedRule, Resolution, RulesIndex } from "./rules-index.js";
import type { GateSuppressed, GateUnmapped, Level, RawFinding, SuppressionReason } from "./types.js";
import type { Priority } from "../spec/design-rule-spec.js";

export interface Candidate {
  entry: IndexedRule;
  finding: RawFinding;
  seq: number;
}

export interface RuleTally {
  entry: IndexedRule;
  count: number;
  micro: number;
}

const LEVEL_RANK: Readonly<Record<Level, number>> = { error: 3, warning: 2, note: 1, none: 0 };
/** Distinct producer rule ids remembered with their resolution (a bound, not a cache policy). */
const MAX_MEMO = 50_000;
/** SpecGate lint findings name rules too ("RULE-API-001 has no scope"), but they are about the document. */
const DOCUMENT_FINDING: Resolution = {
  reason:
    "a speclint finding about the design document, not about code: it is not drift (give the document or its lint result as `lint` for the quality gate)",
};

export function levelRank(level: Level): number {
  return LEVEL_RANK[level];
}

/** Most points first, then most severe, then rule, file, line, and reading order. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    b.entry.micro - a.entry.micro ||
    LEVEL_RANK[b.finding.level] - LEVEL_RANK[a.finding.level] ||
    cmp(a.entry.rule.rule_id, b.entry.rule.rule_id) ||
    cmp(a.finding.file ?? "", b.finding.file ?? "") ||
    (a.finding.line ?? 0) - (b.finding.line ?? 0) ||
    a.seq - b.seq
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Tally {
  findings = 0;
  notFailures = 0;
  counted = 0;
  suppressedCount = 0;
  unmappedCount = 0;
  totalMicro = 0;
  mandatoryMicro = 0;
  mandatoryCount = 0;
  readonly perRule = new Map<string, RuleTally>();
  readonly suppressed: GateSuppressed[] = [];
  readonly unmapped: GateUnmapped[] = [];
  private candidates: Candidate[] = [];
  /** Unmapped findings per producer rule id (the first {@link MAX_MEMO} distinct ids). */
  readonly unmappedByRef = new Map<string, { count: number; reason: string }>();
  private readonly memoRef = new Map<string, Resolution>();
  private readonly memoExplicit = new Map<string, Resolution>();
  /** After a prune: the worst kept candidate; anything that sorts after it cannot be listed. */
  private worstKept: Candidate | undefined;

  constructor(
    private readonly index: RulesIndex,
    private readonly maxListed: number,
    private readonly mandatory: ReadonlySet<Priority>,
    private readonly baseline: Baseline | undefined,
  ) {}

  notAFailure(): void {
    this.findings++;
    this.notFailures++;
  }

  add(f: RawFinding): void {
    this.findings++;
    if (f.suppression) {
      const resolved = this.resolve(f);
      this.suppress(f, f.suppression, resolved.rule?.rule.rule_id);
      return;
    }
    const resolved = this.resolve(f);
    if (!resolved.rule) {
      this.unmappedCount++;
      const group = this.unmappedByRef.get(f.ref);
      if (group) group.count++;
      else if (this.unmappedByRef.size < MAX_MEMO) this.unmappedByRef.set(f.ref, { count: 1, reason: resolved.reason });
      if (this.unmapped.length < this.maxListed) {
        this.unmapped.push({
          producer_rule_id: f.ref,
          ...where(f),
          message: f.message,
          reason: resolved.reason,
          source: f.source,
          ...(f.tool ? { tool: f.tool } : {}),
        });
      }
      return;
    }
    const entry = resolved.rule;
    if (this.baseline && this.baseline.take(fingerprintsOf(f, entry.rule.rule_id))) {
      this.suppress(f, "baseline", entry.rule.rule_id);
      return;
    }
    this.counted++;
    this.totalMicro = addMicro(this.totalMicro, entry.micro);
    if (this.mandatory.has(entry.rule.priority)) {
      this.mandatoryMicro = addMicro(this.mandatoryMicro, entry.micro);
      this.mandatoryCount++;
    }
    const tally = this.perRule.get(entry.rule.rule_id);
    if (tally) {
      tally.count++;
      tally.micro = addMicro(tally.micro, entry.micro);
    } else {
      this.perRule.set(entry.rule.rule_id, { entry, count: 1, micro: entry.micro });
    }
    if (this.maxListed > 0) {
      const candidate = { entry, finding: f, seq: this.counted };
      if (this.worstKept && compareCandidates(candidate, this.worstKept) > 0) return;
      this.candidates.push(candidate);
      if (this.candidates.length >= this.maxListed * 2) this.prune();
    }
  }

  /** The kept violations, best first. */
  listed(): Candidate[] {
    this.prune();
    return this.candidates;
  }

  private prune(): void {
    this.candidates.sort(compareCandidates);
    if (this.candidates.length >= this.maxListed) {
      this.candidates.length = this.maxListed;
      this.worstKept = this.candidates[this.maxListed - 1];
    }
  }

  private resolve(f: RawFinding): Resolution {
    if (f.document) return DOCUMENT_FINDING;
    const memo = f.explicitRuleId === undefined ? this.memoRef : this.memoExplicit;
    const key = f.explicitRuleId ?? f.ref;
    let r = memo.get(key);
    if (!r) {
      r = this.index.resolve(f.ref, f.explicitRuleId);
      if (memo.size < MAX_MEMO) memo.set(key, r);
    }
    return r;
  }

  private suppress(f: RawFinding, reason: SuppressionReason, ruleId: string | undefined): void {
    this.suppressedCount++;
    if (this.suppressed.length < this.maxListed) {
      this.suppressed.push({
        ...(ruleId ? { rule_id: ruleId } : {}),
        producer_rule_id: f.ref,
        ...where(f),
        message: f.message,
        reason,
        source: f.source,
        ...(f.tool ? { tool: f.tool } : {}),
      });
    }
  }
}

function where(f: RawFinding): { file?: string; line?: number } {
  return { ...(f.file ? { file: f.file } : {}), ...(f.line ? { line: f.line } : {}) };
}
