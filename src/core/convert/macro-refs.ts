/**
 * What a macro names besides its body: the pages, attachments and URLs in its parameters (kept as
 * links for an unknown macro, whose settings are otherwise dropped) and the attachment a diagram
 * lives in (linked from its placeholder).
 */
import { plainText } from "./escape.js";
import { absolutize, readResource, resourceText, resourceUrl, type Resource } from "./links.js";
import { diagramName, diagramPlaceholder } from "./macros.js";
import type { MacroState, StreamConverter } from "./stream.js";

/**
 * The placeholder of a diagram whose picture cannot be converted: its name, linked to its
 * attachment when the page names one (the caller emphasises it).
 */
export function diagramMarkup(conv: StreamConverter, macro: MacroState): string {
  const title = diagramName(macro.params);
  // Diagram apps keep the diagram in an attachment: drawio and gliffy under the diagram's name,
  // plantumlcloud under its `filename`; an `ri:attachment` or a URL in a parameter says so outright.
  const named = macro.params.get("filename")?.trim() || (/drawio|gliffy/i.test(macro.name) ? title : "");
  const refs: Resource[] = [...macro.refs, ...urlParams(macro)];
  if (refs.length === 0 && named !== "") refs.push({ kind: "attachment", filename: named });
  const target = refs[0];
  const url = target && conv.linkDepth === 0 && conv.codeDepth === 0 ? resourceUrl(target, conv.options) : null;
  const label = plainText(title || (target ? resourceText(target) : ""), true);
  const link = url && label !== "" ? `[${label}](${url})` : undefined;
  return diagramPlaceholder(macro.name, title, link);
}

/** Records a `ri:*` a parameter holds; an `ri:page` right after an `ri:attachment` names the page it belongs to. */
export function addRef(refs: Resource[], name: string, a: Record<string, string>): void {
  const last = refs[refs.length - 1];
  if (name === "ri:page" && last?.kind === "attachment" && last.pageTitle === undefined) {
    refs[refs.length - 1] = readResource(name, a, last)!;
    return;
  }
  const r = readResource(name, a, null);
  if (r !== null && r.kind !== "user") refs.push(r);
}

/** Parameters whose whole value is an http(s) URL (an embed's `url`, a board's `accessLink`). */
function urlParams(macro: MacroState): Resource[] {
  const out: Resource[] = [];
  for (const value of macro.params.values()) {
    const v = value.trim();
    if (/^https?:\/\/\S+$/i.test(v)) out.push({ kind: "url", url: v });
  }
  return out;
}

/** Links to the pages, files and URLs an unknown macro's parameters name, each once. */
export function refLinks(conv: StreamConverter, macro: MacroState): string[] {
  if (conv.codeDepth > 0) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of [...macro.refs, ...urlParams(macro)]) {
    const text = plainText(resourceText(r), conv.linkDepth > 0);
    const url = r.kind === "url" ? absolutize(r.url ?? "", conv.options.baseUrl) : resourceUrl(r, conv.options);
    const key = url ?? text;
    if (key === "" || seen.has(key)) continue;
    seen.add(key);
    out.push(url === null || url === "" || conv.linkDepth > 0 ? text : `[${text || url}](${url})`);
  }
  return out.filter((s) => s !== "");
}
