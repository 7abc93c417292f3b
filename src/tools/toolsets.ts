/**
 * Which tools a server lists and runs: those of the configured toolsets (SPECGATE_TOOLSETS), and in
 * read-only mode (SPECGATE_READ_ONLY) only those whose `readOnlyHint` is true, so that nothing the
 * server offers writes files or invalidates caches. A tool without a toolset (a test's own) is
 * always served unless read-only mode leaves it out.
 */
import type { Config } from "../config.js";
import type { AnyToolDefinition } from "../pipeline/tool.js";

export function servedTools(tools: readonly AnyToolDefinition[], mcp: Config["mcp"]): AnyToolDefinition[] {
  const toolsets = new Set<string>(mcp.toolsets);
  return tools.filter(
    (tool) =>
      (tool.toolset === undefined || toolsets.has(tool.toolset)) && (!mcp.readOnly || tool.annotations.readOnlyHint),
  );
}
