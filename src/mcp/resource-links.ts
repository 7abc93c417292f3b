/**
 * Tool results that name a resource point to it: a `resource_link` content item is appended
 * (after the text, which stays first), so a client can show or read the page or file without
 * another tool call. confluence_fetch links each page it returned (confluence://{space}/{id}) and
 * records it for completions; spec_write links the workspace rules when they are on disk as
 * generated (written now, or already identical).
 */
import type { CallToolResult, ResourceLink } from "@modelcontextprotocol/sdk/types.js";
import { WORKSPACE_RULES_URI, confluencePageUri } from "./resources.js";
import type { SeenPages } from "./seen-pages.js";
import { RULES_PATH } from "./workspace-rules.js";

interface FetchedPage {
  id: string;
  title: string;
  space_key: string;
}

export function linkResources(tool: string, result: CallToolResult, seen: SeenPages): CallToolResult {
  if (result.isError || !result.structuredContent) return result;
  const links = linksOf(tool, result.structuredContent, seen);
  return links.length === 0 ? result : { ...result, content: [...result.content, ...links] };
}

function linksOf(tool: string, out: Record<string, unknown>, seen: SeenPages): ResourceLink[] {
  if (tool === "confluence_fetch") {
    const pages = (out.documents ?? []) as FetchedPage[];
    return pages.map((page) => {
      seen.record({ id: page.id, title: page.title, spaceKey: page.space_key });
      return {
        type: "resource_link",
        uri: confluencePageUri(page.space_key, page.id),
        name: `confluence-page-${page.id}`,
        title: page.title,
        mimeType: "text/markdown",
      };
    });
  }
  if (tool === "spec_write") {
    const onDisk = [...((out.written ?? []) as string[]), ...((out.unchanged ?? []) as string[])];
    if (!onDisk.some((p) => isRulesPath(p))) return [];
    return [
      {
        type: "resource_link",
        uri: WORKSPACE_RULES_URI,
        name: "workspace-rules",
        title: `Workspace rules (${RULES_PATH})`,
        mimeType: "application/json",
      },
    ];
  }
  return [];
}

/** A workspace-relative path, as tools report them, that is the rules file. */
export function isRulesPath(p: string): boolean {
  return p.replaceAll("\\", "/").replace(/^\.\//, "") === RULES_PATH;
}
