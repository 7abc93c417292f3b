/**
 * Ruleset YAML to a validated ruleset file: YAML errors, forbidden keys, alias bombs and schema
 * violations become E_INVALID_INPUT naming the line or key. Loaded only when a ruleset's YAML has
 * to be parsed (the bundled ones come parsed from the build).
 */
import { isMap, isScalar, parseDocument, visit } from "yaml";
import { SpecGateError, formatPath } from "../../../errors.js";
import { RulesetFileSchema, type RulesetFile } from "./schema.js";
import { PARSE_ONCE } from "../../../parse-once.js";

const MAX_ALIASES = 50;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Parses and validates ruleset YAML text (no extends resolution). `source` names it in errors. */
export function parseRulesetYaml(text: string, source: string): RulesetFile {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.pos[0];
    const line = text.slice(0, at).split("\n").length;
    const column = at - text.lastIndexOf("\n", at - 1);
    // Never the source snippet yaml can append: a ruleset path may name a file that holds secrets.
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `Ruleset ${source}: YAML error at line ${line}, column ${column}: ${first.message.split("\n")[0]}.`,
      {
        details: { ruleset: source },
      },
    );
  }
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined && FORBIDDEN_KEYS.has(key)) {
        throw new SpecGateError("E_INVALID_INPUT", `Ruleset ${source}: the key \`${key}\` is not allowed.`, {
          details: { ruleset: source, key },
        });
      }
    },
  });
  if (!isMap(doc.contents) && doc.contents !== null) {
    throw new SpecGateError("E_INVALID_INPUT", `Ruleset ${source}: expected a mapping at the top level.`, {
      details: { ruleset: source },
    });
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new SpecGateError(
      "E_INVALID_INPUT",
      `Ruleset ${source}: ${(error as Error).message.split("\n")[0]} (aliases are limited to ${MAX_ALIASES}).`,
      {
        details: { ruleset: source },
      },
    );
  }
  const parsed = RulesetFileSchema.safeParse(raw ?? {}, PARSE_ONCE);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const key = formatPath([...issue.path, ...(keys.length ? [keys[0]!] : [])]);
    const message = issue.code === "unrecognized_keys" ? "is not a known key" : issue.message;
    throw new SpecGateError("E_INVALID_INPUT", `Ruleset ${source}: \`${key}\` ${message}.`, {
      details: { ruleset: source, key },
    });
  }
  return parsed.data;
}
