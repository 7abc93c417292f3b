/**
 * Include macros (`include`, `excerpt-include`): which page they name, how the content found for
 * them is written in their place, and the excerpt of a page (the body of its `excerpt` macro),
 * which is all `excerpt-include` shows.
 */
import { flattenCell } from "./container.js";
import { INCLUDE_END, includeStart } from "../markdown/include-markers.js";
import type { Resource } from "./links.js";
import type { StreamConverter } from "./stream.js";
import type { IncludedContent, IncludeRef } from "./types.js";

/**
 * The page an include macro names: the `ri:page` in its parameter (title and space key, or content
 * id), else the parameter's text, `Title` or `KEY:Title` as wiki markup wrote it. Undefined for
 * other include-like macros (multiexcerpt-include, page-include) and a macro naming no page.
 */
export function includeRefOf(
  name: string,
  params: ReadonlyMap<string, string>,
  refs: readonly Resource[],
): IncludeRef | undefined {
  const macro = name.toLowerCase();
  if (macro !== "include" && macro !== "excerpt-include") return undefined;
  const excerptName = macro === "excerpt-include" ? params.get("name")?.trim() : undefined;
  const named = excerptName ? { excerptName } : {};
  const page = refs.find((r) => r.kind === "page" || r.kind === "blog-post" || r.kind === "content-entity");
  if (page && (page.title || page.contentId)) {
    return {
      macro,
      ...(page.title ? { title: page.title } : {}),
      ...(page.space ? { spaceKey: page.space } : {}),
      ...(page.contentId ? { contentId: page.contentId } : {}),
      ...named,
    };
  }
  const text = (params.get("") ?? params.get("page") ?? params.get("pageTitle") ?? "").trim();
  if (text === "") return undefined;
  const m = /^([A-Za-z0-9~_-]+):(.+)$/.exec(text);
  return m ? { macro, spaceKey: m[1]!, title: m[2]!.trim(), ...named } : { macro, title: text, ...named };
}

/**
 * Writes included content as blocks between include markers. In a table cell it is flattened
 * onto the cell's line, without markers (a comment cannot span a cell).
 */
export function writeIncluded(conv: StreamConverter, content: IncludedContent): void {
  const body = content.markdown.trim();
  if (conv.cur.inCell) {
    if (body !== "") conv.cur.addBlock(flattenCell(body), "para");
    return;
  }
  const start = includeStart(content);
  conv.cur.addBlock(body === "" ? `${start}\n${INCLUDE_END}` : `${start}\n\n${body}\n\n${INCLUDE_END}`, "para");
}

const EXCERPT_OPEN = /<ac:(?:structured-)?macro\b[^>]*\bac:name="excerpt"[^>]*>/gi;
const NAME_PARAM =
  /^\s*(?:<ac:parameter\b[^>]*>[^<]*<\/ac:parameter>\s*)*?<ac:parameter ac:name="name">([^<]*)<\/ac:parameter>/;
const BODY_TOKENS = /<!\[CDATA\[[\s\S]*?\]\]>|<ac:rich-text-body\b[^>]*?(\/?)>|<\/ac:rich-text-body\s*>/g;

/**
 * The storage XHTML inside an `excerpt` macro's rich-text body: the one whose `name` parameter is
 * `name`, or the first one when no name is given; undefined when the page has no such excerpt.
 * Nested macros' bodies are counted so the excerpt's own end is found; CDATA sections (code)
 * are skipped.
 */
export function excerptOf(storage: string, name?: string): string | undefined {
  const opens = new RegExp(EXCERPT_OPEN.source, "gi");
  for (let open = opens.exec(storage); open !== null; open = opens.exec(storage)) {
    const end = open.index + open[0].length;
    if (name !== undefined && NAME_PARAM.exec(storage.slice(end, end + 2048))?.[1]?.trim() !== name) continue;
    return excerptBody(storage, end);
  }
  return undefined;
}

function excerptBody(storage: string, from: number): string | undefined {
  const re = new RegExp(BODY_TOKENS.source, "g");
  re.lastIndex = from;
  let depth = 0;
  let start = -1;
  for (let m = re.exec(storage); m !== null; m = re.exec(storage)) {
    const token = m[0];
    if (token.startsWith("<![CDATA[")) continue;
    if (token.startsWith("</")) {
      depth--;
      if (depth === 0) return storage.slice(start, m.index);
      continue;
    }
    if (m[1] === "/") {
      if (depth === 0) return "";
      continue;
    }
    if (depth === 0) start = m.index + token.length;
    depth++;
  }
  return start === -1 ? undefined : storage.slice(start);
}
