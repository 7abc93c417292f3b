/**
 * Regions of converted Markdown that came from another Confluence page (confluence_fetch writes
 * them between include markers, see core/markdown/include-markers.ts): rules found inside one
 * carry that page — its id, title and URL — as their source, so a gate or drift report links to
 * the page where the rule is written.
 */
import { readIncludeMarker, type IncludeMarker } from "../markdown/include-markers.js";
import type { MarkdownDocument } from "../markdown/document.js";

interface Region {
  start: number;
  end: number;
  page: IncludeMarker;
}

/** The included page a line belongs to (the innermost region), or undefined for the document's own lines. */
export function includedPageAt(doc: MarkdownDocument): (line: number) => IncludeMarker | undefined {
  if (!doc.source.includes("specgate:include")) return () => undefined;
  const regions: Region[] = [];
  const open: { start: number; page: IncludeMarker }[] = [];
  for (const block of doc.blocks) {
    if (block.kind !== "html") continue;
    block.text.split("\n").forEach((text, i) => {
      const m = readIncludeMarker(text);
      if (m === undefined) return;
      if (m === "end") {
        const region = open.pop();
        if (region) regions.push({ ...region, end: block.line + i });
      } else open.push({ start: block.line + i, page: m });
    });
  }
  for (const region of open) regions.push({ ...region, end: doc.lineCount });
  if (regions.length === 0) return () => undefined;
  return (line) => {
    let best: Region | undefined;
    for (const r of regions) if (r.start <= line && line <= r.end && (!best || r.start > best.start)) best = r;
    return best?.page;
  };
}
