/**
 * Rule ids: reading the ones documents write, and generating stable ones for rules that have none.
 *
 * Generated ids are `RULE-GEN-` + the first 8 hex digits (upper case) of the SHA-256 of the
 * normalised sentence (see normalizeSentence: case, punctuation and spacing do not matter), so
 * the same sentence gets the same id on every run and in every document. When two different
 * sentences of one document share the 8 digits, the later one (in document order) takes 10, then
 * 12 digits — deterministic for a given document.
 */
import { createHash } from "node:crypto";
import { RULE_ID_PATTERN } from "../spec/rule-terms.js";

/**
 * The id a document wrote, made valid: upper case, the number padded to three digits
 * (`rule-api-4` → `RULE-API-004`). Undefined when it cannot be (e.g. `RULE-API-AUTH-001`).
 */
export function normalizeWrittenId(written: string): string | undefined {
  const id = written.trim().toUpperCase();
  const numeric = /^RULE-([A-Z][A-Z0-9]*)-(\d{1,6})$/.exec(id);
  if (numeric) return `RULE-${numeric[1]}-${numeric[2]!.padStart(3, "0")}`;
  return RULE_ID_PATTERN.test(id) ? id : undefined;
}

export class IdGenerator {
  private readonly taken = new Map<string, string>();

  /** The generated id for a normalised sentence. */
  idFor(normalized: string): string {
    const hex = createHash("sha256").update(normalized).digest("hex").toUpperCase();
    for (const length of [8, 10, 12]) {
      const id = `RULE-GEN-${hex.slice(0, length)}`;
      const owner = this.taken.get(id);
      if (owner === undefined || owner === normalized) {
        this.taken.set(id, normalized);
        return id;
      }
    }
    // 12 equal hex digits for different sentences: practically never; count on rather than fail.
    for (let n = 1; n < 100; n++) {
      const id = `RULE-GEN-${hex.slice(0, 10)}${String(n).padStart(2, "0")}`;
      const owner = this.taken.get(id);
      if (owner === undefined || owner === normalized) {
        this.taken.set(id, normalized);
        return id;
      }
    }
    throw new Error("rule id space exhausted for one hash prefix");
  }
}
