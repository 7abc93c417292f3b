/**
 * The HTML comments that mark where another page's content was included in converted Markdown:
 *
 *   <!-- specgate:include {"id":"123","title":"Shared rules","url":"https://…"} -->
 *   …the included page's Markdown…
 *   <!-- /specgate:include -->
 *
 * Markdown renderers show nothing for them; rule extraction reads them so that rules in the
 * region carry the included page as their source. Pairs nest (an included page including another).
 */

export interface IncludeMarker {
  id: string;
  title: string;
  url: string;
}

export const INCLUDE_END = "<!-- /specgate:include -->";

const START = /<!-- specgate:include (\{.*\}) -->/;

/** The opening marker; `--` inside the JSON is escaped so the comment cannot end early. */
export function includeStart(m: IncludeMarker): string {
  const json = JSON.stringify({ id: m.id, title: m.title, url: m.url }).replace(/--/g, "-\\u002d");
  return `<!-- specgate:include ${json} -->`;
}

/** What a line holds: an opening marker (with its page), a closing one, or neither. */
export function readIncludeMarker(line: string): IncludeMarker | "end" | undefined {
  if (!line.includes("specgate:include")) return undefined;
  if (line.includes(INCLUDE_END)) return "end";
  const m = START.exec(line);
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[1]!) as Partial<IncludeMarker>;
    if (typeof v.id !== "string") return undefined;
    return { id: v.id, title: typeof v.title === "string" ? v.title : "", url: typeof v.url === "string" ? v.url : "" };
  } catch {
    return undefined;
  }
}
