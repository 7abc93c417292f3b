/**
 * Input validation for every tool: zod parses the arguments; failures become one E_INVALID_INPUT
 * that names each bad field (`documents[3].content: expected string`), and any string over the
 * document limit becomes E_TOO_LARGE before anything else runs.
 */
import type { z } from "zod";
import { SpecGateError } from "../errors.js";
import type { AnyToolDefinition } from "../tools/types.js";

const MAX_REPORTED_ISSUES = 5;

export function parseToolInput(tool: AnyToolDefinition, args: unknown, maxDocumentBytes: number): unknown {
  const raw = args ?? {};
  const oversized = findOversizedString(raw, maxDocumentBytes);
  if (oversized) {
    throw new SpecGateError(
      "E_TOO_LARGE",
      `\`${oversized.path}\` is ${formatBytes(oversized.bytes)}; the limit is ${formatBytes(maxDocumentBytes)}. Split the document or trim it.`,
      { details: { path: oversized.path, bytes: oversized.bytes, limit: maxDocumentBytes } },
    );
  }
  const parsed = (tool.inputSchema as z.ZodType).safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = parsed.error.issues.length > MAX_REPORTED_ISSUES ? ` (and ${parsed.error.issues.length - MAX_REPORTED_ISSUES} more)` : "";
  throw new SpecGateError("E_INVALID_INPUT", `Invalid arguments for ${tool.name}: ${issues.join("; ")}${more}.`, {
    details: { issues: parsed.error.issues.slice(0, MAX_REPORTED_ISSUES).map((i) => ({ path: formatPath(i.path), message: i.message })) },
  });
}

/** Sum of string lengths in the arguments (UTF-16 units): a cheap proxy for their memory. */
export function estimateInputBytes(value: unknown): number {
  let total = 0;
  const stack: unknown[] = [value];
  let nodes = 0;
  while (stack.length > 0 && nodes++ < 1_000_000) {
    const v = stack.pop();
    if (typeof v === "string") total += v.length;
    else if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v && typeof v === "object") for (const item of Object.values(v)) stack.push(item);
  }
  return total;
}

/** The first string whose UTF-8 size exceeds `limit`, with its path. */
function findOversizedString(value: unknown, limit: number): { path: string; bytes: number } | undefined {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  let nodes = 0;
  while (stack.length > 0 && nodes++ < 1_000_000) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      // UTF-8 needs at most 3 bytes per UTF-16 unit, and at least 1.
      if (v.length * 3 <= limit) continue;
      const bytes = v.length > limit ? v.length : Buffer.byteLength(v, "utf8");
      if (bytes > limit) return { path: formatPath(path), bytes };
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ v: item, path: [...path, i] }));
    } else if (v && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) stack.push({ v: item, path: [...path, k] });
    }
  }
  return undefined;
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "arguments";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
