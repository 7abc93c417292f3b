/**
 * Fingerprints and the `baseline` input.
 *
 * A finding's SpecGate fingerprint is a hash of its rule, file and message — not its line, so
 * code moving up or down does not make an old finding look new. The `baseline` input lists the
 * findings that already existed (typically the gate's run on the target branch): a finding that
 * matches an unused baseline entry does not count and is reported in `suppressed[]` with reason
 * `baseline`. Entries are used once each, so a third copy of a finding the baseline had twice
 * still counts. Accepted forms: a SARIF log, a findings list, a previous gate result (its
 * `violations[].fingerprint`), `{ fingerprints: [...] }`, or an array of fingerprint strings.
 * Producer fingerprints (SARIF `partialFingerprints`, as `name=value`) match too.
 */
import { createHash } from "node:crypto";
import { SpecGateError } from "../../errors.js";
import { readFindingList } from "./list-reader.js";
import type { RulesIndex } from "./rules-index.js";
import { isSarifLog, readSarif } from "./sarif-reader.js";
import type { RawFinding } from "./types.js";

/** The SpecGate fingerprint of a finding mapped to `ruleId`. */
export function fingerprintOf(ruleId: string, file: string | undefined, message: string): string {
  const normalized = message.replace(/\s+/g, " ").trim().slice(0, 1000);
  return createHash("sha256")
    .update(`${ruleId}\n${file ?? ""}\n${normalized}`)
    .digest("hex")
    .slice(0, 24);
}

export class Baseline {
  /** Fingerprint → the entries carrying it (indexes), consumed front to back. */
  private readonly entries = new Map<string, { ids: number[]; next: number }>();
  private readonly used: boolean[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(fingerprints: readonly string[]): void {
    const id = this.count++;
    this.used.push(false);
    for (const fp of new Set(fingerprints)) {
      const list = this.entries.get(fp);
      if (list) list.ids.push(id);
      else this.entries.set(fp, { ids: [id], next: 0 });
    }
  }

  /** True (and the entry is used up) when one of `fingerprints` matches an unused entry. */
  take(fingerprints: readonly string[]): boolean {
    for (const fp of fingerprints) {
      const list = this.entries.get(fp);
      if (!list) continue;
      while (list.next < list.ids.length && this.used[list.ids[list.next]!]) list.next++;
      if (list.next < list.ids.length) {
        this.used[list.ids[list.next++]!] = true;
        return true;
      }
    }
    return false;
  }
}

/** All fingerprints of a finding that maps to `ruleId`: the producer's, then SpecGate's. */
export function fingerprintsOf(finding: RawFinding, ruleId: string | undefined): string[] {
  return ruleId === undefined
    ? finding.fingerprints
    : [...finding.fingerprints, fingerprintOf(ruleId, finding.file, finding.message)];
}

/** Reads the `baseline` input in any of its forms (see the module comment). */
export function readBaseline(input: unknown, index: RulesIndex, root = "baseline"): Baseline {
  const baseline = new Baseline();
  const addFinding = (f: RawFinding) => {
    if (f.suppression === "baseline_absent") return;
    const resolved = index.resolve(f.ref, f.explicitRuleId);
    baseline.add(fingerprintsOf(f, resolved.rule?.rule.rule_id));
  };
  if (Array.isArray(input)) {
    if (input.every((v) => typeof v === "string")) {
      for (const fp of input as string[]) baseline.add([fp]);
    } else {
      for (const f of readFindingList(input, root)) addFinding(f);
    }
    return baseline;
  }
  if (typeof input !== "object" || input === null) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `${root} must be a SARIF log, a findings list, a previous gate result or a list of fingerprints.`,
      {
        details: { path: root },
      },
    );
  }
  const o = input as Record<string, unknown>;
  if (Array.isArray(o.fingerprints)) {
    o.fingerprints.forEach((fp, i) => {
      if (typeof fp !== "string")
        throw new SpecGateError("E_INVALID_INPUT", `${root}.fingerprints[${i}] must be a string.`, {
          details: { path: `${root}.fingerprints[${i}]` },
        });
      baseline.add([fp]);
    });
  } else if (Array.isArray(o.violations)) {
    o.violations.forEach((v, i) => {
      const fp = (v as { fingerprint?: unknown } | null)?.fingerprint;
      if (typeof fp !== "string")
        throw new SpecGateError("E_INVALID_INPUT", `${root}.violations[${i}].fingerprint must be a string.`, {
          details: { path: `${root}.violations[${i}].fingerprint` },
        });
      baseline.add([fp]);
    });
  } else if (isSarifLog(o)) {
    for (const f of readSarif(o, root)) if (!("notAFailure" in f)) addFinding(f);
  } else {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `${root} is an object but neither a SARIF log (runs[]), a gate result (violations[]) nor { fingerprints: [...] }.`,
      {
        details: { path: root },
      },
    );
  }
  return baseline;
}
