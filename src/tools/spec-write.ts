import { summarizeGeneration } from "../core/generate/summary.js";
import { defineTool, type ToolContext } from "../pipeline/tool.js";
import {
  GENERATE_RESULT_HINT,
  GenerateInputSchema,
  GenerateOutputSchema,
  generateFiles,
  generationCost,
  generationNotices,
} from "./generate-files.js";

/**
 * spec_write: spec_generate's arguments and result, and the files written atomically under the
 * server's workspace. An update, so neither read-only nor (it replaces files SpecGate generated
 * earlier) non-destructive; the same input always yields the same files, so idempotent.
 */
export const specWrite = defineTool({
  name: "spec_write",
  title: "Write generated IDE rules and CI checks to the workspace",
  toolset: "generate",
  description:
    "Generates the same files as spec_generate (same arguments, same result) and writes them atomically under the server's workspace " +
    "(SPECGATE_WORKSPACE) only. An existing file is replaced only if SpecGate generated it (its header says so); other files are never " +
    "touched and are reported in `skipped`. `written` lists the paths written, `unchanged` those already identical on disk. " +
    "Preview with spec_generate first; the same input always writes the same bytes.",
  inputSchema: GenerateInputSchema,
  outputSchema: GenerateOutputSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  cost: generationCost,
  resultHint: GENERATE_RESULT_HINT,
  handler: (input, ctx) => reportWrites(ctx, generateFiles(input, ctx, true)),
  summarize: (out) => summarizeGeneration(out),
  notices: generationNotices,
});

/** Tells the runtime's listeners (resource subscribers) which files the call wrote. */
async function reportWrites<T extends { written: string[] }>(ctx: ToolContext, writing: Promise<T>): Promise<T> {
  const out = await writing;
  if (out.written.length > 0) ctx.events?.emit({ type: "workspace-written", paths: out.written });
  return out;
}
