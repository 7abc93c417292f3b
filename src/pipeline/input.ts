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
  const oversized = findOversizedString(raw, maxDocumentBytes, tool.batchField);
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

interface Node {
  v: unknown;
  key: string | number | undefined;
  parent: Node | undefined;
}

/**
 * The first string whose UTF-8 size exceeds `limit`, with its path. Strings inside the array
 * named `perItemField` (a tool's batch of documents) are skipped: the tool checks each item and
 * reports an oversized one as that item's own error. Paths are built only for a hit.
 */
function findOversizedString(value: unknown, limit: number, perItemField?: string): { path: string; bytes: number } | undefined {
  const stack: Node[] = [{ v: value, key: undefined, parent: undefined }];
  let nodes = 0;
  while (stack.length > 0 && nodes++ < 1_000_000) {
    const node = stack.pop()!;
    const v = node.v;
    if (typeof v === "string") {
      const bytes = oversizedBytes(v, limit);
      if (bytes !== undefined) return { path: formatPath(pathOf(node)), bytes };
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], key: i, parent: node });
    } else if (v && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        if (node.parent === undefined && k === perItemField) continue;
        stack.push({ v: item, key: k, parent: node });
      }
    }
  }
  return undefined;
}

/** The UTF-8 size of `text` when it is over `limit`, else undefined (cheap for most strings). */
function oversizedBytes(text: string, limit: number): number | undefined {
  // UTF-8 needs at most 3 bytes per UTF-16 unit, and at least 1.
  if (text.length * 3 <= limit) return undefined;
  const bytes = text.length > limit ? text.length : Buffer.byteLength(text, "utf8");
  return bytes > limit ? bytes : undefined;
}

function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.unshift(n.key);
  return path;
}

/**
 * For tools that take a batch: throws E_TOO_LARGE when one item's text is over the limit, so the
 * item gets its own error entry while the rest of the batch is processed.
 */
export function assertItemSize(text: string, limit: number, path: string): void {
  const bytes = oversizedBytes(text, limit);
  if (bytes !== undefined) {
    throw new SpecGateError("E_TOO_LARGE", `\`${path}\` is ${formatBytes(bytes)}; the limit is ${formatBytes(limit)}. Split the document or trim it.`, {
      details: { path, bytes, limit },
    });
  }
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
