/**
 * Input validation for every tool: zod parses the arguments; failures become one E_INVALID_INPUT
 * that names each bad field (`documents[3].content: expected string`), and any string over the
 * document limit becomes E_TOO_LARGE before anything else runs. A string holding a NUL character
 * is not text (core/input-text.ts): E_INVALID_INPUT naming the field.
 */
import type { z } from "zod";
import { assertText } from "../core/input-text.js";
import { SpecGateError, formatBytes, formatPath, oversizedBytes } from "../errors.js";
import type { AnyToolDefinition } from "./tool.js";

const MAX_REPORTED_ISSUES = 5;

export function parseToolInput(tool: AnyToolDefinition, args: unknown, maxDocumentBytes: number): unknown {
  return checkArguments(tool.name, tool.inputSchema as z.ZodType, args ?? {}, {
    maxDocumentBytes,
    batchField: tool.batchField,
  });
}

/**
 * The validation every entry point shares (tools through {@link parseToolInput}, the library API
 * directly): strings over `maxDocumentBytes` (when given) are E_TOO_LARGE; `schema` failures one
 * E_INVALID_INPUT naming each bad field, `Invalid arguments for <name>: …`; strings that are not
 * text (NUL) E_INVALID_INPUT naming the field. Returns the parsed value. Strings inside
 * `batchField` are left to the caller, so each item can be its own error.
 */
export function checkArguments(
  name: string,
  schema: z.ZodType,
  args: unknown,
  options: { maxDocumentBytes?: number | undefined; batchField?: string | undefined } = {},
): unknown {
  const { maxDocumentBytes, batchField } = options;
  const oversized =
    maxDocumentBytes === undefined ? undefined : findOversizedString(args, maxDocumentBytes, batchField);
  if (oversized) {
    throw new SpecGateError(
      "E_TOO_LARGE",
      `\`${oversized.path}\` is ${formatBytes(oversized.bytes)}; the limit is ${formatBytes(maxDocumentBytes!)}. Split the document or trim it.`,
      { details: { path: oversized.path, bytes: oversized.bytes, limit: maxDocumentBytes } },
    );
  }
  const parsed = schema.safeParse(args);
  if (parsed.success) {
    assertStringsAreText(parsed.data, batchField);
    return parsed.data;
  }
  const issues = parsed.error.issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more =
    parsed.error.issues.length > MAX_REPORTED_ISSUES
      ? ` (and ${parsed.error.issues.length - MAX_REPORTED_ISSUES} more)`
      : "";
  throw new SpecGateError("E_INVALID_INPUT", `Invalid arguments for ${name}: ${issues.join("; ")}${more}.`, {
    details: {
      issues: parsed.error.issues
        .slice(0, MAX_REPORTED_ISSUES)
        .map((i) => ({ path: formatPath(i.path), message: i.message })),
    },
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

/**
 * Every string of the (parsed) arguments is text: no NUL character. Strings inside the batch
 * field are the tool's to check, so that such a document is its own error entry.
 */
function assertStringsAreText(value: unknown, perItemField?: string): void {
  const stack: Node[] = [{ v: value, key: undefined, parent: undefined }];
  let nodes = 0;
  while (stack.length > 0 && nodes++ < 1_000_000) {
    const node = stack.pop()!;
    const v = node.v;
    if (typeof v === "string") {
      if (v.includes("\u0000")) assertText(v, `\`${formatPath(pathOf(node))}\``);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], key: i, parent: node });
    } else if (v && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        if (node.parent === undefined && k === perItemField) continue;
        stack.push({ v: item, key: k, parent: node });
      }
    }
  }
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
function findOversizedString(
  value: unknown,
  limit: number,
  perItemField?: string,
): { path: string; bytes: number } | undefined {
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

function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.unshift(n.key);
  return path;
}
